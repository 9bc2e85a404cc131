package runtime_test

// The conformance suite: one subtest per checklist item (shared/guide/spec-checklist.md) that
// binds the runner (`run` or `both`) at MUST, SHALL or SHOULD level, named by the item's id,
// e.g. TestSpec/SACT-04. Each runs a small document through runtime.Run against a scripted
// server (harness_test.go) and checks what was sent and what the result says.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/runtime"
)

var ok200 = map[string][]reply{"GET /items": {js(200, `{"items":[{"id":"a1","status":"Available"}],"count":1}`)}}

func TestSpec(t *testing.T) {
	t.Parallel()
	specFlow(t)
	specData(t)
}

// specFlow covers documents, workflows, steps and actions.
func specFlow(t *testing.T) {
	t.Run("GEN-01", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - { stepId: s, operationId: listItems, successCriteria: [ { condition: $statusCode == 200 } ] }
`
		for _, v := range []string{"1.0.0", "1.0.1", "1.0.9-rc1", "1.1.0", "1.1.3"} {
			r := runSpec(t, v, body, ok200)
			assert.True(t, r.wf(t, "w").Success, v)
		}
	})
	t.Run("GEN-02", func(t *testing.T) {
		t.Parallel()
		// The document's version decides what a goto to a workflow passes: 1.0 has no action
		// parameters, so the current inputs go by name; 1.1 passes exactly the parameters.
		body := `workflows:
  - workflowId: a
    steps:
      - stepId: s
        operationId: listItems
        onSuccess: [ { name: jump, type: goto, workflowId: b } ]
  - workflowId: b
    steps:
      - stepId: t
        operationId: listItems
        parameters: [ { name: status, in: query, value: $inputs.status } ]
`
		r10 := runSpec(t, "1.0.1", body, ok200, withWorkflow("a"), withInputs(map[string]any{"status": "sold"}))
		assert.True(t, r10.wf(t, "a").Success, r10.wf(t, "a").Error)
		assert.Equal(t, []string{"GET /items", "GET /items?status=sold"}, r10.srv.paths())
		r11 := runSpec(t, "1.1.0", body, ok200, withWorkflow("a"), withInputs(map[string]any{"status": "sold"}))
		w := r11.wf(t, "a")
		assert.False(t, w.Success)
		assert.Equal(t, "b", w.TransferredTo)
		assert.Contains(t, w.Error, `no input "status"`)
	})
	t.Run("GEN-07", func(t *testing.T) {
		t.Parallel()
		// A workflow of another Arazzo document runs with that document's own sources and
		// components (the X-Trace header comes from its components); its outputs come back as
		// for a local workflow and are visible through $workflows.
		doc := `arazzo: 1.1.0
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
  - { name: shared, url: ./shared.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: w
    outputs: { viaStep: $steps.s.outputs.count, viaWorkflows: $workflows.child.outputs.count }
    steps:
      - stepId: s
        workflowId: $sourceDescriptions.shared.child
        parameters: [ { name: status, value: sold } ]
        successCriteria: [ { condition: $outputs.count == 1 } ]
`
		r := runText(t, doc, ok200)
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, map[string]any{"viaStep": json.Number("1"), "viaWorkflows": json.Number("1")}, w.Outputs)
		assert.Equal(t, "$sourceDescriptions.shared.child", w.Steps[0].WorkflowID)
		assert.Equal(t, []string{"GET /items?status=sold"}, r.srv.paths())
		assert.Equal(t, "shared", r.srv.requests()[0].Header.Get("X-Trace"))

		// --mock mocks the OpenAPI sources of every loaded document: the called workflow's
		// request reaches the mock of its own source ($statusCode is its last exchange's).
		mocked := runText(t, doc[:strings.Index(doc, "workflows:")]+`workflows:
  - workflowId: w
    steps:
      - { stepId: s, workflowId: $sourceDescriptions.shared.ping, successCriteria: [ { condition: $statusCode == 200 } ] }
`, nil, func(o *runtime.RunOptions) { o.Servers, o.Mock = nil, true })
		mw := mocked.wf(t, "w")
		assert.True(t, mw.Success, mw.Error)
		assert.Empty(t, mocked.srv.requests())

		// A source without a type is an Arazzo one when its root has an `arazzo` key.
		untyped := runText(t, strings.Replace(doc, "url: ./shared.arazzo.yaml, type: arazzo", "url: ./shared.arazzo.yaml", 1), ok200)
		assert.True(t, untyped.wf(t, "w").Success, untyped.wf(t, "w").Error)

		// An unknown workflow of the source stops the run before any request.
		bad := runText(t, strings.Replace(doc, "shared.child", "shared.nope", 1), ok200)
		var se *runtime.SetupError
		require.ErrorAs(t, bad.err, &se)
		assert.Contains(t, bad.err.Error(), `step "s" calls workflow "nope", which the Arazzo source "shared" does not have (it has child, ping)`)
		assert.Empty(t, bad.srv.requests())

		// Documents that reference each other (and themselves) are loaded once: a -> b -> a.
		dir := t.TempDir()
		api, err := filepath.Abs("testdata/spec/api.openapi.yaml")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "b.arazzo.yaml"), []byte(`arazzo: 1.0.1
info: { title: b, version: 1 }
sourceDescriptions:
  - { name: a, url: ./a.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: middle
    steps: [ { stepId: back, workflowId: $sourceDescriptions.a.leaf } ]
`), 0o600))
		a := `arazzo: 1.0.1
info: { title: a, version: 1 }
sourceDescriptions:
  - { name: api, url: ` + api + `, type: openapi }
  - { name: b, url: ./b.arazzo.yaml, type: arazzo }
  - { name: me, url: ./a.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: main
    steps:
      - { stepId: there, workflowId: $sourceDescriptions.b.middle }
      - { stepId: self, workflowId: $sourceDescriptions.me.leaf }
  - workflowId: leaf
    steps: [ { stepId: l, operationId: listItems } ]
`
		require.NoError(t, os.WriteFile(filepath.Join(dir, "a.arazzo.yaml"), []byte(a), 0o600))
		cyc := runAt(t, filepath.Join(dir, "a.arazzo.yaml"), a, ok200, withWorkflow("main"))
		assert.True(t, cyc.wf(t, "main").Success, cyc.wf(t, "main").Error)
		assert.Equal(t, []string{"GET /items", "GET /items"}, cyc.srv.paths())

		// Distinct documents nesting without end stop at a depth limit, before any request.
		deep := t.TempDir()
		for i := range 12 {
			text := fmt.Sprintf("arazzo: 1.0.1\ninfo: { title: d%d, version: 1 }\nsourceDescriptions:\n  - { name: next, url: ./d%d.arazzo.yaml, type: arazzo }\n"+
				"workflows:\n  - { workflowId: w, steps: [ { stepId: s, workflowId: $sourceDescriptions.next.w } ] }\n", i, i+1)
			require.NoError(t, os.WriteFile(filepath.Join(deep, fmt.Sprintf("d%d.arazzo.yaml", i)), []byte(text), 0o600))
		}
		d0, err := os.ReadFile(filepath.Join(deep, "d0.arazzo.yaml"))
		require.NoError(t, err)
		dr := runAt(t, filepath.Join(deep, "d0.arazzo.yaml"), string(d0), ok200)
		require.ErrorAs(t, dr.err, &se)
		assert.Contains(t, dr.err.Error(), "arazzo documents nest more than 8 deep")
		assert.Empty(t, dr.srv.requests())
	})
	t.Run("GEN-11", func(t *testing.T) {
		t.Parallel()
		// An absolute source url is matched by identity: identity.arazzo.yaml, loaded as
		// `local`, has that url as its $self, so nothing is fetched from flows.invalid.
		r := runText(t, `arazzo: 1.1.0
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: remote, url: https://flows.invalid/identity.arazzo.yaml, type: arazzo }
  - { name: local, url: ./identity.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: w
    steps: [ { stepId: s, workflowId: $sourceDescriptions.remote.byIdentity } ]
`, map[string][]reply{"GET /other": {js(200, `{}`)}}, withSources(map[string]string{"api": "testdata/spec/api.openapi.yaml"}))
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, []string{"GET /other"}, r.srv.paths())
	})
	t.Run("GEN-10", func(t *testing.T) {
		t.Parallel()
		// References resolve against everything parsed: a source listed after the workflows'
		// first use and a goto to a workflow declared later.
		r := runText(t, `arazzo: 1.0.1
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: second, url: ./second.openapi.yaml, type: openapi }
  - { name: api, url: ./api.openapi.yaml, type: openapi }
workflows:
  - workflowId: first
    steps:
      - stepId: s
        operationId: $sourceDescriptions.api.listItems
        onSuccess: [ { name: on, type: goto, workflowId: later } ]
  - workflowId: later
    steps:
      - { stepId: p, operationId: ping }
`, map[string][]reply{"GET /items": {js(200, `{}`)}, "GET /ping": {js(200, `{}`)}}, withWorkflow("first"))
		assert.True(t, r.wf(t, "first").Success, r.wf(t, "first").Error)
		assert.Equal(t, []string{"GET /items", "GET /ping"}, r.srv.paths())
	})
	t.Run("GEN-12", func(t *testing.T) {
		t.Parallel()
		// A relative source url resolves against $self, not against where the document was read.
		spec := readFile(t, "testdata/spec/api.openapi.yaml")
		r := runText(t, `arazzo: 1.1.0
$self: SERVER/specs/flows/doc.arazzo.yaml
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: api, url: ../api.yaml, type: openapi }
workflows:
  - workflowId: w
    outputs: { self: $self }
    steps:
      - { stepId: s, operationId: listItems }
`, map[string][]reply{"GET /specs/api.yaml": {{Status: 200, Header: map[string]string{"Content-Type": "application/yaml"}, Body: spec}}, "GET /items": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, []string{"GET /specs/api.yaml", "GET /items"}, r.srv.paths())
		assert.Equal(t, r.srv.URL+"/specs/flows/doc.arazzo.yaml", w.Outputs["self"])
	})
	t.Run("GEN-13", func(t *testing.T) {
		t.Parallel()
		// $ref in inputs follows JSON Pointer and plain-name ($anchor) fragments.
		body := `components:
  inputs:
    order:
      type: object
      required: [ pet ]
      properties:
        pet: { $ref: "#petId" }
    petIdSchema: { $anchor: petId, type: integer }
workflows:
  - workflowId: w
    inputs: { $ref: "#/components/inputs/order" }
    steps:
      - { stepId: s, operationId: listItems }
`
		r := runSpec(t, "1.1.0", body, ok200, withInputs(map[string]any{"pet": "abc"}))
		var se *runtime.SetupError
		require.ErrorAs(t, r.err, &se)
		assert.Contains(t, r.err.Error(), "input pet: got string, want integer")
		r = runSpec(t, "1.1.0", body, ok200, withInputs(map[string]any{"pet": 7}))
		assert.True(t, r.wf(t, "w").Success)
	})
	t.Run("DOC-01", func(t *testing.T) {
		t.Parallel()
		r := runSpec(t, "1.0.1", "workflows: [ { workflowId: w, steps: [ { stepId: s, operationId: listItems } ] } ]\n", ok200)
		assert.True(t, r.wf(t, "w").Success)
		doc := r.res.Document
		assert.Equal(t, "testdata/spec/doc.arazzo.yaml", doc)
	})
	t.Run("DOC-06", func(t *testing.T) {
		t.Parallel()
		r := runText(t, `arazzo: 1.1.0
$self: https://example.com/flows/doc.arazzo.yaml#frag
info: { title: t, version: 1 }
sourceDescriptions: [ { name: api, url: ./api.openapi.yaml, type: openapi } ]
workflows: [ { workflowId: w, steps: [ { stepId: s, operationId: listItems } ] } ]
`, ok200)
		var se *runtime.SetupError
		require.ErrorAs(t, r.err, &se)
		assert.Contains(t, r.err.Error(), "must not contain a fragment")
	})
	t.Run("SRC-02", func(t *testing.T) {
		t.Parallel()
		// A relative url resolves against the document's location (testdata/spec).
		r := runSpec(t, "1.0.1", "workflows: [ { workflowId: w, steps: [ { stepId: s, operationId: listItems } ] } ]\n", ok200)
		assert.True(t, r.wf(t, "w").Success)
		// An absolute url is loaded from there.
		spec := readFile(t, "testdata/spec/api.openapi.yaml")
		r = runText(t, `arazzo: 1.0.1
info: { title: t, version: 1 }
sourceDescriptions: [ { name: api, url: SERVER/openapi.yaml, type: openapi } ]
workflows: [ { workflowId: w, steps: [ { stepId: s, operationId: listItems } ] } ]
`, map[string][]reply{"GET /openapi.yaml": {{Status: 200, Body: spec}}, "GET /items": {js(200, `{}`)}})
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
		assert.Equal(t, []string{"GET /openapi.yaml", "GET /items"}, r.srv.paths())
	})
	t.Run("WF-05", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: main
    dependsOn: [ setup ]
    steps:
      - stepId: use
        operationId: getItem
        parameters: [ { name: id, in: path, value: $workflows.setup.outputs.id } ]
  - workflowId: setup
    outputs: { id: $steps.make.outputs.id }
    steps:
      - { stepId: make, operationId: createItem, outputs: { id: $response.body#/id } }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"POST /items": {js(201, `{"id":"n9"}`)}, "GET /items/n9": {js(200, `{}`)}}, withWorkflow("main"))
		assert.Equal(t, []string{"setup", "main"}, []string{r.res.Workflows[0].WorkflowID, r.res.Workflows[1].WorkflowID})
		assert.True(t, r.res.Success, r.wf(t, "main").Error)
		assert.Equal(t, []string{"POST /items", "GET /items/n9"}, r.srv.paths())

		cyc := runSpec(t, "1.0.1", `workflows:
  - { workflowId: a, dependsOn: [ b ], steps: [ { stepId: s, operationId: listItems } ] }
  - { workflowId: b, dependsOn: [ c ], steps: [ { stepId: s, operationId: listItems } ] }
  - { workflowId: c, dependsOn: [ a ], steps: [ { stepId: s, operationId: listItems } ] }
`, ok200)
		var se *runtime.SetupError
		require.ErrorAs(t, cyc.err, &se)
		assert.Contains(t, cyc.err.Error(), "workflow dependsOn cycle a -> b -> c -> a")
		assert.Empty(t, cyc.srv.requests())

		// dependsOn a workflow of an Arazzo source runs it first; its outputs are in $workflows.
		x := runText(t, `arazzo: 1.1.0
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
  - { name: shared, url: ./shared.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: main
    dependsOn: [ $sourceDescriptions.shared.ping ]
    steps:
      - { stepId: s, operationId: listItems, parameters: [ { name: status, in: query, value: $workflows.ping.outputs.ok } ] }
`, map[string][]reply{"GET /items": {js(200, `{}`)}, "GET /other": {js(200, `{}`)}}, withWorkflow("main"))
		require.NoError(t, x.err)
		require.Len(t, x.res.Workflows, 2)
		assert.Equal(t, []string{"ping", "main"}, []string{x.res.Workflows[0].WorkflowID, x.res.Workflows[1].WorkflowID})
		assert.True(t, x.res.Success, x.wf(t, "main").Error)
		assert.Equal(t, []string{"GET /other", "GET /items?status=true"}, x.srv.paths())
	})
	t.Run("WF-07", func(t *testing.T) {
		t.Parallel()
		// Workflow successActions apply to every step; a step's action of the same name wins,
		// and its other entries still apply.
		body := `workflows:
  - workflowId: w
    successActions:
      - { name: done, type: end, criteria: [ { condition: $response.body#/last == true } ] }
    steps:
      - stepId: a
        operationId: listItems
        onSuccess:
          - { name: done, type: goto, stepId: c, criteria: [ { condition: $response.body#/last == true } ] }
      - { stepId: b, operationId: poll }
      - { stepId: c, operationId: other }
      - { stepId: d, operationId: listItems }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{
			"GET /items": {js(200, `{"last":true}`)}, "GET /poll": {js(200, `{}`)}, "GET /other": {js(200, `{"last":true}`)},
		})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, []string{"a", "c"}, stepIDs(w)) // a: its own goto; c: the workflow's end
	})
	t.Run("WF-08", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    failureActions:
      - { name: again, type: retry, retryLimit: 3, criteria: [ { condition: $statusCode == 503 } ] }
    steps:
      - { stepId: a, operationId: listItems, successCriteria: [ { condition: $statusCode == 200 } ] }
      - stepId: b
        operationId: poll
        successCriteria: [ { condition: $statusCode == 200 } ]
        onFailure: [ { name: again, type: end } ]
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(503, ``), js(200, `{}`)}, "GET /poll": {js(503, ``)}})
		w := r.wf(t, "w")
		assert.False(t, w.Success)
		assert.Equal(t, 2, w.Steps[0].Attempts)
		assert.Equal(t, 1, w.Steps[1].Attempts) // the step's own "again" (end) replaced the retry
		assert.Equal(t, "end", w.Steps[1].Action)
	})
	t.Run("WF-09", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    outputs:
      count: $steps.a.outputs.count
      first: { context: $steps.a.outputs.body, selector: '$.items[0].id', type: jsonpath }
      never: $steps.b.outputs.x
    steps:
      - stepId: a
        operationId: listItems
        outputs: { count: $response.body#/count, body: $response.body }
        onSuccess: [ { name: stop, type: end } ]
      - { stepId: b, operationId: poll, outputs: { x: $statusCode } }
`
		r := runSpec(t, "1.1.0", body, ok200)
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, map[string]any{"count": jsonNum("1"), "first": "a1"}, w.Outputs) // evaluated at end; b never ran
	})
	t.Run("WF-10", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    parameters:
      - { name: X-Trace, in: header, value: wf-trace }
      - { name: status, in: query, value: all }
    steps:
      - stepId: a
        operationId: listItems
        parameters: [ { name: status, in: query, value: sold } ]
      - { stepId: b, operationId: listItems }
`
		r := runSpec(t, "1.0.1", body, ok200)
		assert.True(t, r.wf(t, "w").Success)
		got := r.srv.requests()
		require.Len(t, got, 2)
		assert.Equal(t, "status=sold", got[0].Query)
		assert.Equal(t, "wf-trace", got[0].Header.Get("X-Trace"))
		assert.Equal(t, "status=all", got[1].Query)
		assert.Equal(t, "wf-trace", got[1].Header.Get("X-Trace"))
	})
	t.Run("STEP-05", func(t *testing.T) {
		t.Parallel()
		two := `arazzo: 1.0.1
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
  - { name: second, url: ./second.openapi.yaml, type: openapi }
workflows: [ { workflowId: w, steps: [ { stepId: s, operationId: OPID } ] } ]
`
		srv := newScripted(t, ok200)
		r := runText(t, strings.Replace(two, "OPID", "$sourceDescriptions.second.listItems", 1), nil,
			func(o *runtime.RunOptions) {
				o.Servers = map[string]string{"api": "http://127.0.0.1:1", "second": srv.URL}
			})
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
		assert.Len(t, srv.requests(), 1)
		r = runText(t, strings.Replace(two, "OPID", "listItems", 1), ok200)
		var se *runtime.SetupError
		require.ErrorAs(t, r.err, &se)
		assert.Contains(t, r.err.Error(), `qualify it as $sourceDescriptions.api.listItems`)
	})
	t.Run("STEP-06", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationPath: '{$sourceDescriptions.api.url}#/paths/~1items~1{id}/get'
        parameters: [ { name: id, in: path, value: x7 } ]
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items/x7": {js(200, `{}`)}})
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
		assert.Equal(t, []string{"GET /items/x7"}, r.srv.paths())
	})
	t.Run("WILD-04/05", func(t *testing.T) {
		t.Parallel()
		// Literal outputs are the value, and ids with spaces run (found by exact text), each with
		// a warning naming its rule; --strict refuses both before anything is sent.
		body := `workflows:
  - workflowId: list items
    outputs: { version: 2, done: true, none: null, count: $steps.list all.outputs.count, text: "n={$steps.list all.outputs.count}" }
    steps:
      - stepId: list all
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 200 } ]
        outputs: { count: $response.body#/count, fixed: 7 }
      - stepId: again
        operationId: listItems
        successCriteria: [ { condition: $steps.list all.outputs.count == 3 } ]
`
		script := map[string][]reply{"GET /items": {js(200, `{"count":3}`)}}
		r := runSpec(t, "1.0.1", body, script, withWorkflow("list items"))
		w := r.wf(t, "list items")
		require.True(t, w.Success, w.Error)
		assert.Equal(t, 2, w.Outputs["version"])
		assert.Equal(t, true, w.Outputs["done"])
		assert.Contains(t, w.Outputs, "none")
		assert.Nil(t, w.Outputs["none"])
		assert.Equal(t, 7, w.Steps[0].Outputs["fixed"])
		// Expressions find the odd step id by its exact text.
		assert.Equal(t, json.Number("3"), w.Outputs["count"])
		assert.Equal(t, "n=3", w.Outputs["text"])
		warnings := strings.Join(r.res.Warnings, "\n")
		assert.Contains(t, warnings, `workflow "list items" output "version" is a literal, not a runtime expression; it was used as the value: compute it with an expression or take it from an input [literal-output]`)
		assert.Contains(t, warnings, `step "list all" output "fixed" is a literal`)
		assert.Contains(t, warnings, `workflowId "list items" holds characters outside [A-Za-z0-9_-]; it runs, and expressions find it by its exact text: rename it [id-characters]`)
		assert.Contains(t, warnings, `stepId "list all" holds characters outside [A-Za-z0-9_-]`)

		strict := runSpec(t, "1.0.1", body, script, withWorkflow("list items"), func(o *runtime.RunOptions) { o.Strict = true })
		require.Error(t, strict.err)
		assert.Contains(t, strict.err.Error(), "[literal-output]")
		assert.Contains(t, strict.err.Error(), "[id-characters]")
		assert.Empty(t, strict.srv.paths())
	})
	t.Run("WILD-02", func(t *testing.T) {
		t.Parallel()
		// $steps.S.NAME for an output S declares is read as $steps.S.outputs.NAME, in values,
		// templates, payloads and conditions, with a warning; --strict refuses it; an output S
		// does not declare stays an error.
		body := `workflows:
  - workflowId: w
    outputs: { id: $steps.find.itemId, text: "id {$steps.find.itemId}" }
    steps:
      - stepId: find
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 200 } ]
        outputs: { itemId: $response.body#/id }
      - stepId: get
        operationId: getItem
        parameters: [ { name: id, in: path, value: $steps.find.itemId } ]
        successCriteria: [ { condition: $steps.find.itemId == 'x7' } ]
`
		script := map[string][]reply{"GET /items": {js(200, `{"id":"x7"}`)}, "GET /items/x7": {js(200, `{}`)}}
		r := runSpec(t, "1.0.1", body, script)
		w := r.wf(t, "w")
		require.True(t, w.Success, w.Error)
		assert.Equal(t, map[string]any{"id": "x7", "text": "id x7"}, w.Outputs)
		assert.Equal(t, []string{"GET /items", "GET /items/x7"}, r.srv.paths())
		warnings := strings.Join(r.res.Warnings, "\n")
		assert.Contains(t, warnings, `"$steps.find.itemId == 'x7'" leaves out .outputs. in $steps.find.itemId; it was read as $steps.find.outputs.itemId: write that [steps-output-shorthand]`)
		assert.Contains(t, warnings, `"$steps.find.itemId" leaves out .outputs. in $steps.find.itemId; it was read as $steps.find.outputs.itemId: write that [steps-output-shorthand]`)

		strict := runSpec(t, "1.0.1", body, script, func(o *runtime.RunOptions) { o.Strict = true })
		require.Error(t, strict.err)
		assert.Contains(t, strict.err.Error(), "(strict mode refuses it)")
		assert.Empty(t, strict.srv.paths())

		// In a value alone (no condition to stop the run at its start), strict mode fails the
		// step that would read it.
		valueOnly := strings.Replace(body, "condition: $steps.find.itemId == 'x7'", "condition: $statusCode == 200", 1)
		strict = runSpec(t, "1.0.1", valueOnly, script, func(o *runtime.RunOptions) { o.Strict = true })
		w = strict.wf(t, "w")
		assert.False(t, w.Success)
		assert.Contains(t, w.Error, "(strict mode refuses it) [steps-output-shorthand]")
		assert.Equal(t, []string{"GET /items"}, strict.srv.paths())

		undeclared := strings.Replace(body, "value: $steps.find.itemId }", "value: $steps.find.other }", 1)
		r = runSpec(t, "1.0.1", undeclared, script)
		w = r.wf(t, "w")
		assert.False(t, w.Success)
		assert.Contains(t, w.Error, `expected "outputs.<name>" after $steps.find.`)
	})
	t.Run("WILD-03", func(t *testing.T) {
		t.Parallel()
		// operationPath naming the source instead of its url expression, with or without the
		// $sourceDescriptions prefix: run with a warning saying what to write; --strict refuses.
		for _, form := range []string{"api#/paths/~1items~1{id}/get", "$sourceDescriptions.api#/paths/~1items~1{id}/get"} {
			body := `workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationPath: '` + form + `'
        parameters: [ { name: id, in: path, value: x7 } ]
`
			r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items/x7": {js(200, `{}`)}})
			assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
			assert.Equal(t, []string{"GET /items/x7"}, r.srv.paths())
			assert.Contains(t, strings.Join(r.res.Warnings, "\n"), `step "s": operationPath "`+form+`" names the source without the url expression; write {$sourceDescriptions.api.url}#/paths/~1items~1{id}/get [bare-embedded-expression]`)

			strict := runSpec(t, "1.0.1", body, nil, func(o *runtime.RunOptions) { o.Strict = true })
			require.Error(t, strict.err, form)
			assert.Contains(t, strict.err.Error(), "strict mode refuses it")
			assert.Empty(t, strict.srv.paths())
		}
	})
	t.Run("STEP-07", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: parent
    outputs: { viaStep: $steps.call.outputs.got, viaWorkflows: $steps.call.outputs.direct }
    steps:
      - stepId: call
        workflowId: child
        parameters: [ { name: id, value: c3 } ]
        successCriteria: [ { condition: $workflows.child.outputs.status == 'ok' } ]
        outputs: { got: $outputs.status, direct: $workflows.child.outputs.status }
  - workflowId: child
    inputs: { type: object, required: [ id ], properties: { id: { type: string } } }
    outputs: { status: $steps.get.outputs.status }
    steps:
      - stepId: get
        operationId: getItem
        parameters: [ { name: id, in: path, value: $inputs.id } ]
        outputs: { status: $response.body#/status }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items/c3": {js(200, `{"status":"OK"}`)}}, withWorkflow("parent"))
		w := r.wf(t, "parent")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, map[string]any{"viaStep": "OK", "viaWorkflows": "OK"}, w.Outputs)
		assert.Equal(t, "child", w.Steps[0].WorkflowID)
		// A workflow of an Arazzo source that fails makes the calling step fail.
		x := runText(t, `arazzo: 1.1.0
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
  - { name: shared, url: ./shared.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: parent
    steps:
      - { stepId: call, workflowId: $sourceDescriptions.shared.child, parameters: [ { name: status, value: x } ] }
`, map[string][]reply{"GET /items": {js(500, `{}`)}}, withWorkflow("parent"))
		xw := x.wf(t, "parent")
		assert.False(t, xw.Success)
		assert.Contains(t, xw.Error, `workflow "child" failed`)
		assert.Equal(t, []string{"GET /items?status=x"}, x.srv.paths())
	})
	t.Run("STEP-08", func(t *testing.T) {
		t.Parallel()
		body := `components:
  parameters:
    page: { name: status, in: query, value: any }
    trace: { name: X-Trace, in: header, value: from-component }
workflows:
  - workflowId: w
    parameters:
      - reference: $components.parameters.trace
    steps:
      - stepId: a
        operationId: listItems
        parameters:
          - reference: $components.parameters.page
            value: sold
          - { name: x-trace, in: header, value: from-step }
`
		r := runSpec(t, "1.0.1", body, ok200)
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
		got := r.srv.requests()[0]
		assert.Equal(t, "status=sold", got.Query)
		assert.Equal(t, []string{"from-step"}, got.Header.Values("X-Trace"))
	})
	t.Run("STEP-09", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: createItem
        requestBody: { payload: { name: $inputs.name } }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"POST /items": {js(201, `{}`)}}, withInputs(map[string]any{"name": "Rex"}))
		assert.True(t, r.wf(t, "w").Success)
		assert.JSONEq(t, `{"name":"Rex"}`, r.srv.requests()[0].Body)
		assert.Equal(t, "application/json", r.srv.requests()[0].Header.Get("Content-Type"))
	})
	t.Run("STEP-10", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria:
          - condition: $statusCode == 200
          - condition: $response.body#/count > 5
`
		r := runSpec(t, "1.0.1", body, ok200)
		w := r.wf(t, "w")
		assert.False(t, w.Success)
		assert.Equal(t, `step "a": success criterion "$response.body#/count > 5" failed (saw $response.body#/count = 1)`, w.Error)
		require.Len(t, w.Steps[0].Criteria, 2)
		assert.True(t, w.Steps[0].Criteria[0].Passed)
		assert.False(t, w.Steps[0].Criteria[1].Passed)
	})
	t.Run("STEP-11", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        onSuccess:
          - { name: never, type: end, criteria: [ { condition: $statusCode == 500 } ] }
          - { name: first, type: goto, stepId: c }
          - { name: second, type: end }
      - { stepId: b, operationId: poll }
      - { stepId: c, operationId: other }
      - { stepId: d, operationId: poll }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(200, `{}`)}, "GET /poll": {js(200, `{}`)}, "GET /other": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, []string{"a", "c", "d"}, stepIDs(w)) // first match wins; c has none: next step
		assert.Equal(t, "goto:c", w.Steps[0].Action)
	})
	t.Run("STEP-12", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - { stepId: a, operationId: listItems, successCriteria: [ { condition: $statusCode == 200 } ] }
      - { stepId: b, operationId: poll }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(500, `{}`)}})
		w := r.wf(t, "w")
		assert.False(t, w.Success)
		assert.Equal(t, []string{"a"}, stepIDs(w))
		assert.False(t, r.res.Success)
	})
	t.Run("STEP-13", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        outputs:
          expires: $response.header.X-Expires-After
          whole: $response.body
          id: $response.body#/items/0/id
          status: $statusCode
          sel: { context: $response.body, selector: /count, type: jsonpointer }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": {{Status: 200, Header: map[string]string{"Content-Type": "application/json", "X-Expires-After": "60"}, Body: `{"items":[{"id":"z"}],"count":1}`}}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		out := w.Steps[0].Outputs
		assert.Equal(t, "60", out["expires"])
		assert.Equal(t, "z", out["id"])
		assert.Equal(t, 200, out["status"])
		assert.Equal(t, jsonNum("1"), out["sel"])
		assert.IsType(t, map[string]any{}, out["whole"])
	})
	t.Run("STEP-16", func(t *testing.T) {
		t.Parallel()
		// dependsOn orders the steps: b runs after c although it is listed first.
		body := `workflows:
  - workflowId: w
    steps:
      - { stepId: a, operationId: listItems }
      - { stepId: b, operationId: poll, dependsOn: [ c ] }
      - { stepId: c, operationId: other }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": {js(200, `{}`)}, "GET /poll": {js(200, `{}`)}, "GET /other": {js(200, `{}`)}})
		assert.Equal(t, []string{"a", "c", "b"}, stepIDs(r.wf(t, "w")))
		// A step of another workflow is a prerequisite only: it is never started.
		cross := `workflows:
  - workflowId: w
    steps:
      - { stepId: a, operationId: listItems, dependsOn: [ $workflows.other.steps.x ] }
  - workflowId: other
    steps:
      - { stepId: x, operationId: poll }
`
		r = runSpec(t, "1.1.0", cross, ok200, withWorkflow("w"))
		w := r.wf(t, "w")
		assert.False(t, w.Success)
		assert.Contains(t, w.Error, `dependsOn step "x" of workflow "other", which has not completed: add "other" to the workflow's dependsOn`)
		assert.Empty(t, r.srv.requests())
		withDep := strings.Replace(cross, "  - workflowId: w\n", "  - workflowId: w\n    dependsOn: [ other ]\n", 1)
		r = runSpec(t, "1.1.0", withDep, map[string][]reply{"GET /items": {js(200, `{}`)}, "GET /poll": {js(200, `{}`)}}, withWorkflow("w"))
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
	})
	t.Run("STEP-17", func(t *testing.T) {
		t.Parallel()
		// With dependsOn in use, a $steps reference is an implicit dependency too.
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: use
        operationId: getItem
        parameters: [ { name: id, in: path, value: $steps.make.outputs.id } ]
      - { stepId: make, operationId: createItem, outputs: { id: $response.body#/id } }
      - { stepId: last, operationId: poll, dependsOn: [ use ] }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"POST /items": {js(201, `{"id":"k"}`)}, "GET /items/k": {js(200, `{}`)}, "GET /poll": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, []string{"make", "use", "last"}, stepIDs(w))
		cyc := runSpec(t, "1.1.0", `workflows:
  - workflowId: w
    steps:
      - { stepId: a, operationId: listItems, dependsOn: [ b ] }
      - { stepId: b, operationId: poll, dependsOn: [ a ] }
`, ok200)
		var se *runtime.SetupError
		require.ErrorAs(t, cyc.err, &se)
		assert.Contains(t, cyc.err.Error(), `steps a, b depend on each other in a cycle`)
	})
	t.Run("STEP-18", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        parameters: [ { name: status, in: query, value: $steps.b.outputs.s } ]
      - { stepId: b, operationId: poll, outputs: { s: $statusCode } }
`
		r := runSpec(t, "1.1.0", body, ok200)
		require.NoError(t, r.err)
		assert.Contains(t, strings.Join(r.res.Warnings, "\n"), `step "a" reads the outputs of the later step "b"`)
		w := r.wf(t, "w")
		assert.False(t, w.Success) // array order stands; the value is not there yet
		assert.Contains(t, w.Error, `step "b" has no outputs`)
	})
	for _, id := range []string{"ASYNC-02", "ASYNC-06", "ASYNC-09"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			// AsyncAPI steps are parsed and validated; running one stops before any request.
			r := runText(t, `arazzo: 1.1.0
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
  - { name: orders, url: ./orders.asyncapi.yaml, type: asyncapi }
workflows:
  - workflowId: w
    steps:
      - { stepId: first, operationId: listItems }
      - { stepId: place, channelPath: '{$sourceDescriptions.orders.url}#/channels/place-order', action: send }
      - { stepId: confirm, operationId: $sourceDescriptions.orders.confirm, action: receive, correlationId: $inputs.id, timeout: 6000, dependsOn: [ place ] }
`, ok200)
			var se *runtime.SetupError
			require.ErrorAs(t, r.err, &se)
			assert.Contains(t, r.err.Error(), `step "place" of workflow "w" is an AsyncAPI step`)
			assert.Contains(t, r.err.Error(), `step "confirm" of workflow "w" is an AsyncAPI step`)
			assert.Empty(t, r.srv.requests())
		})
	}
	t.Run("PARAM-03", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: parent
    parameters:
      - { name: X-Trace, in: header, value: not-an-input }
      - { name: status, value: sold }
    steps:
      - { stepId: call, workflowId: child, parameters: [ { name: id, value: i1 } ] }
  - workflowId: child
    inputs: { type: object, additionalProperties: false, properties: { id: { type: string }, status: { type: string } } }
    outputs: { in: $inputs.status }
    steps:
      - stepId: get
        operationId: getItem
        parameters: [ { name: id, in: path, value: $inputs.id } ]
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items/i1": {js(200, `{}`)}}, withWorkflow("parent"))
		w := r.wf(t, "parent")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, map[string]any{"in": "sold"}, w.Steps[0].Outputs)
	})
	t.Run("PARAM-09", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: form
        operationId: search
        parameters: [ { name: q, in: querystring, value: "category={$inputs.cat}&inStock=true" } ]
      - stepId: json
        operationId: search
        parameters: [ { name: q, in: querystring, value: '{"filter":"active"}' } ]
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /search": {js(200, `{}`)}}, withInputs(map[string]any{"cat": "dogs"}))
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
		got := r.srv.requests()
		assert.Equal(t, "category=dogs&inStock=true", got[0].Query)
		assert.Equal(t, "%7B%22filter%22%3A%22active%22%7D", got[1].Query)
	})
	t.Run("SACT-04", func(t *testing.T) {
		t.Parallel()
		// goto a step (here backwards: a loop that ends when the body says so).
		body := `workflows:
  - workflowId: w
    outputs: { final: $steps.check.outputs.state }
    steps:
      - stepId: check
        operationId: poll
        outputs: { state: $response.body#/state }
        onSuccess:
          - { name: again, type: goto, stepId: check, criteria: [ { condition: $response.body#/state == 'pending' } ] }
      - { stepId: done, operationId: other }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /poll": {js(200, `{"state":"pending"}`), js(200, `{"state":"pending"}`), js(200, `{"state":"ready"}`)}, "GET /other": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, []string{"check", "check", "check", "done"}, stepIDs(w))
		assert.Equal(t, "ready", w.Outputs["final"])
		// goto a workflow is one-way: the rest of the current workflow is skipped.
		one := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        onSuccess: [ { name: away, type: goto, workflowId: other } ]
      - { stepId: skipped, operationId: poll }
  - workflowId: other
    outputs: { from: target }
    steps:
      - { stepId: o, operationId: other }
`
		r = runSpec(t, "1.0.1", one, map[string][]reply{"GET /items": {js(200, `{}`)}, "GET /other": {js(200, `{}`)}}, withWorkflow("w"))
		w = r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, "other", w.TransferredTo)
		assert.Equal(t, []string{"a", "o"}, stepIDs(w))
		assert.Equal(t, map[string]any{"from": "target"}, w.Outputs)
		assert.Equal(t, []string{"GET /items", "GET /other"}, r.srv.paths())
		// The target may be a workflow of an Arazzo source (SACT-04): still one-way.
		x := runText(t, `arazzo: 1.1.0
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
  - { name: shared, url: ./shared.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        onSuccess: [ { name: away, type: goto, workflowId: $sourceDescriptions.shared.ping } ]
      - { stepId: skipped, operationId: poll }
`, map[string][]reply{"GET /items": {js(200, `{}`)}, "GET /other": {js(200, `{}`)}}, withWorkflow("w"))
		w = x.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, "ping", w.TransferredTo)
		assert.Equal(t, []string{"a", "p"}, stepIDs(w))
		assert.Equal(t, map[string]any{"ok": true}, w.Outputs)
		assert.Equal(t, []string{"GET /items", "GET /other"}, x.srv.paths())
	})
	t.Run("SACT-05", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        onSuccess:
          - name: both
            type: goto
            stepId: c
            criteria: [ { condition: $statusCode == 200 }, { condition: $response.body#/count == 2 } ]
          - { name: always, type: end }
      - { stepId: b, operationId: poll }
      - { stepId: c, operationId: other }
`
		r := runSpec(t, "1.0.1", body, ok200)
		w := r.wf(t, "w")
		assert.True(t, w.Success)
		assert.Equal(t, []string{"a"}, stepIDs(w)) // count is 1: "both" fails, "always" (no criteria) matches
		assert.Equal(t, "end", w.Steps[0].Action)
	})
	t.Run("SACT-06", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        outputs: { id: $response.body#/items/0/id }
        onSuccess:
          - name: away
            type: goto
            workflowId: show
            parameters: [ { name: id, value: $steps.a.outputs.id } ]
  - workflowId: show
    inputs: { type: object, required: [ id ], properties: { id: { type: string } } }
    steps:
      - { stepId: s, operationId: getItem, parameters: [ { name: id, in: path, value: $inputs.id } ] }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": ok200["GET /items"], "GET /items/a1": {js(200, `{}`)}}, withWorkflow("w"))
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
		assert.Equal(t, []string{"GET /items", "GET /items/a1"}, r.srv.paths())
	})
	t.Run("FACT-04", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 200 } ]
        onFailure: [ { name: recover, type: goto, stepId: fix, criteria: [ { condition: $statusCode == 404 } ] } ]
      - { stepId: skipped, operationId: poll }
      - { stepId: fix, operationId: other }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(404, `{}`)}, "GET /other": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.Equal(t, []string{"a", "fix"}, stepIDs(w))
		assert.True(t, w.Success, w.Error) // the workflow recovered through the goto
		assert.False(t, w.Steps[0].Success)
	})
	t.Run("FACT-06", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 200 } ]
        onFailure: [ { name: later, type: retry, retryAfter: 0.25, retryLimit: 5 } ]
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(503, ``), {Status: 503, Header: map[string]string{"Retry-After": "1"}}, js(200, `{}`)}})
		assert.True(t, r.wf(t, "w").Success)
		// retryAfter is seconds and may be fractional; a server's Retry-After overrides it.
		assert.Equal(t, []time.Duration{250 * time.Millisecond, time.Second}, r.waits)
		date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
		r = runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {{Status: 429, Header: map[string]string{"Retry-After": date}}, js(200, `{}`)}})
		require.Len(t, r.waits, 1)
		assert.InDelta(t, 90, r.waits[0].Seconds(), 2)
	})
	t.Run("FACT-07", func(t *testing.T) {
		t.Parallel()
		// Two retries, then success: three attempts.
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 200 } ]
        onFailure: [ { name: again, type: retry, retryLimit: 3 } ]
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(500, ``), js(500, ``), js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, 3, w.Steps[0].Attempts)
		// retryLimit defaults to 1; once spent, the next matching failure action runs.
		body = `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 200 } ]
        onFailure:
          - { name: once, type: retry }
          - { name: fallback, type: goto, stepId: b }
      - { stepId: b, operationId: poll }
`
		r = runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(500, ``)}, "GET /poll": {js(200, `{}`)}})
		w = r.wf(t, "w")
		assert.Equal(t, 2, w.Steps[0].Attempts)
		assert.Equal(t, []string{"a", "b"}, stepIDs(w))
		assert.Equal(t, "goto:b", w.Steps[0].Action)
		// retryLimit 0 means no retry.
		r = runSpec(t, "1.0.1", strings.Replace(body, "{ name: once, type: retry }", "{ name: once, type: retry, retryLimit: 0 }", 1),
			map[string][]reply{"GET /items": {js(500, ``)}, "GET /poll": {js(200, `{}`)}})
		assert.Equal(t, 1, r.wf(t, "w").Steps[0].Attempts)
	})
	t.Run("FACT-09", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 200 } ]
        onFailure:
          - name: refresh
            type: retry
            workflowId: login
            parameters: [ { name: user, value: bob } ]
            criteria: [ { condition: $statusCode == 401 } ]
  - workflowId: login
    inputs: { type: object, required: [ user ] }
    steps:
      - { stepId: l, operationId: createItem, requestBody: { payload: { user: $inputs.user } } }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": {js(401, ``), js(200, `{}`)}, "POST /items": {js(201, `{}`)}}, withWorkflow("w"))
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, 2, w.Steps[0].Attempts)
		assert.Equal(t, []string{"GET /items", "POST /items", "GET /items"}, r.srv.paths())
		assert.JSONEq(t, `{"user":"bob"}`, r.srv.requests()[1].Body)
		// The retry target may be a workflow of an Arazzo source; the parameters are its inputs.
		x := runText(t, `arazzo: 1.1.0
info: { title: t, version: 1 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
  - { name: shared, url: ./shared.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: poll
        successCriteria: [ { condition: $statusCode == 200 } ]
        onFailure:
          - name: refresh
            type: retry
            workflowId: $sourceDescriptions.shared.child
            parameters: [ { name: status, value: sold } ]
`, map[string][]reply{"GET /poll": {js(401, ``), js(200, `{}`)}, "GET /items": {js(200, `{"count":0}`)}}, withWorkflow("w"))
		xw := x.wf(t, "w")
		assert.True(t, xw.Success, xw.Error)
		assert.Equal(t, 2, xw.Steps[0].Attempts)
		assert.Equal(t, []string{"GET /poll", "GET /items?status=sold", "GET /poll"}, x.srv.paths())
	})
	t.Run("ACT-01", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 200 } ]
        onFailure:
          - { name: notThis, type: goto, stepId: x, criteria: [ { condition: $statusCode == 404 } ] }
          - { name: this, type: goto, stepId: y, criteria: [ { condition: $statusCode >= 500 } ] }
          - { name: alsoMatches, type: goto, stepId: x }
      - { stepId: x, operationId: poll }
      - { stepId: y, operationId: other }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(502, ``)}, "GET /other": {js(200, `{}`)}, "GET /poll": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.Equal(t, []string{"a", "y"}, stepIDs(w))
	})
	t.Run("ACT-04", func(t *testing.T) {
		t.Parallel()
		// A goto loop without an exit stops at MaxSteps with an error naming the loop.
		body := `workflows:
  - workflowId: w
    steps:
      - { stepId: a, operationId: listItems }
      - { stepId: b, operationId: poll, onSuccess: [ { name: loop, type: goto, stepId: a } ] }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items": {js(200, `{}`)}, "GET /poll": {js(200, `{}`)}},
			func(o *runtime.RunOptions) { o.MaxSteps = 7 })
		w := r.wf(t, "w")
		assert.False(t, w.Success)
		assert.Len(t, w.Steps, 7)
		assert.Equal(t, `step "b": maximum step executions reached (7) in the loop b -> a -> b: give the loop an exit, or raise --max-steps if it is meant`, w.Error)
		// Workflows that call each other stop at the depth limit, naming the calls.
		rec := `workflows:
  - workflowId: w
    steps:
      - { stepId: call, workflowId: w }
`
		r = runSpec(t, "1.0.1", rec, ok200, func(o *runtime.RunOptions) { o.MaxDepth = 3 })
		w = r.wf(t, "w")
		assert.False(t, w.Success)
		assert.Contains(t, w.Error, "maximum workflow depth reached (3) in the calls w -> w: look for workflows that call each other")
	})
	t.Run("REUSE-03", func(t *testing.T) {
		t.Parallel()
		body := `components:
  successActions:
    finish: { name: finish, type: end }
workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        onSuccess: [ { reference: $components.successActions.finish, extra: ignored } ]
      - { stepId: b, operationId: poll }
`
		r := runSpec(t, "1.0.1", body, ok200)
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, []string{"a"}, stepIDs(w))
		assert.Contains(t, strings.Join(r.res.Warnings, "\n"), `unknown field "extra"`)
	})
}

func jsonNum(s string) json.Number { return json.Number(s) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// criteriaDoc is a 1.1 workflow whose one step lists items and must satisfy crit (YAML list
// entries, indented for the successCriteria list).
func criteriaDoc(crit string) string {
	return `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria:
` + crit
}

// stepError runs a criteria document against one reply and returns the workflow's error.
func criteriaRun(t *testing.T, version, crit string, rep reply) *runtime.WorkflowResult {
	t.Helper()
	r := runSpec(t, version, criteriaDoc(crit), map[string][]reply{"GET /items": {rep}}, withInputs(map[string]any{"want": "ok", "n": 2}))
	return r.wf(t, "w")
}

const petsBody = `{"status":"ok","pets":[{"name":"Rex","status":"ok"},{"name":"Tom","status":"sold"}],"count":2}`

var xmlReply = reply{Status: 200, Header: map[string]string{"Content-Type": "application/xml"},
	Body: `<order><id>17</id><items><item sku="A">2</item><item sku="B">0</item></items><note></note></order>`}

// specData covers criteria, selectors, request building and runtime expressions.
func specData(t *testing.T) {
	type critCase struct {
		name, version, crit string
		rep                 reply
		pass                bool
		err                 string // part of the workflow error when it fails
	}
	critCases := map[string][]critCase{
		"CRIT-02": {
			{"jsonpath without context fails", "1.1.0", "          - { condition: '$.pets', type: jsonpath }\n", js(200, petsBody), false, "needs a context such as $response.body"},
			{"simple with context is tolerated", "1.1.0", "          - { context: $response.body, condition: $statusCode == 200, type: simple }\n", js(200, petsBody), true, ""},
		},
		"CRIT-04": {
			{"matches", "1.1.0", "          - { context: $statusCode, condition: '^2\\d{2}$', type: regex }\n", js(200, petsBody), true, ""},
			{"no match", "1.1.0", "          - { context: $response.body#/status, condition: '^fail', type: regex }\n", js(200, petsBody), false, `success criterion "^fail" failed (saw $response.body#/status = "ok")`},
			{"null context fails", "1.1.0", "          - { context: $response.body#/none, condition: '.*', type: regex }\n", js(200, `{"none":null}`), false, "is null"},
			{"absent context fails", "1.1.0", "          - { context: $response.header.X-Missing, condition: '.*', type: regex }\n", js(200, petsBody), false, "context has no value"},
			{"look-around is rejected", "1.1.0", "          - { context: $response.body#/status, condition: '(?=ok)', type: regex }\n", js(200, petsBody), false, "not valid RE2 syntax"},
		},
		"CRIT-05": {
			{"non-empty nodelist passes", "1.1.0", "          - { context: $response.body, condition: '$.pets[*]', type: jsonpath }\n", js(200, petsBody), true, ""},
			{"empty nodelist fails", "1.1.0", "          - { context: $response.body, condition: '$.cats[*]', type: jsonpath }\n", js(200, petsBody), false, "selects nothing"},
			{"rfc filter", "1.1.0", "          - { context: $response.body, condition: \"$.pets[?@.status == 'ok']\", type: jsonpath }\n", js(200, petsBody), true, ""},
			{"older filter form", "1.0.1", "          - { context: $response.body, condition: '$.pets[?(@.name == \"Tom\")]', type: jsonpath }\n", js(200, petsBody), true, ""},
			{"root filter on object (AMB-10)", "1.0.1", "          - { context: $response.body, condition: '$[?count(@.pets) > 0]', type: jsonpath }\n", js(200, petsBody), true, ""},
			{"null context fails", "1.1.0", "          - { context: $response.body#/none, condition: '$', type: jsonpath }\n", js(200, `{"none":null}`), false, "is null"},
			{"invalid query fails", "1.1.0", "          - { context: $response.body, condition: '$.pets[?', type: jsonpath }\n", js(200, petsBody), false, "invalid RFC 9535 JSONPath"},
			{"non-JSON context fails", "1.1.0", "          - { context: $response.body, condition: '$.a', type: jsonpath }\n", reply{Status: 200, Header: map[string]string{"Content-Type": "text/plain"}, Body: "plain"}, false, "needs a JSON object or array"},
		},
		"CRIT-06": {
			{"node-set", "1.1.0", "          - { context: $response.body, condition: '/order/items/item[@sku=\"A\"]', type: xpath }\n", xmlReply, true, ""},
			{"empty node-set", "1.1.0", "          - { context: $response.body, condition: '/order/missing', type: xpath }\n", xmlReply, false, "gave"},
			{"boolean", "1.1.0", "          - { context: $response.body, condition: 'count(//item) = 2', type: xpath }\n", xmlReply, true, ""},
			{"zero number", "1.1.0", "          - { context: $response.body, condition: 'number(//item[@sku=\"B\"])', type: xpath }\n", xmlReply, false, ""},
			{"non-empty string", "1.1.0", "          - { context: $response.body, condition: 'string(/order/id)', type: xpath }\n", xmlReply, true, ""},
			{"empty string", "1.1.0", "          - { context: $response.body, condition: 'string(/order/note)', type: xpath }\n", xmlReply, false, ""},
			{"invalid expression", "1.1.0", "          - { context: $response.body, condition: '/order[', type: xpath }\n", xmlReply, false, "invalid or unsupported XPath"},
			{"null context", "1.1.0", "          - { context: $response.body#/x, condition: '/a', type: xpath }\n", js(200, `{"x":null}`), false, "is null"},
			{"JSON context", "1.1.0", "          - { context: $response.body, condition: '/a', type: xpath }\n", js(200, petsBody), false, "needs an XML document"},
		},
		"CRIT-08": {
			{"embedded in jsonpath", "1.1.0", "          - { context: $response.body, condition: \"$.pets[?@.status == '{$inputs.want}']\", type: jsonpath }\n", js(200, petsBody), true, ""},
			{"embedded in regex", "1.1.0", "          - { context: $response.body#/status, condition: '^{$inputs.want}$', type: regex }\n", js(200, petsBody), true, ""},
			{"embedded in xpath", "1.1.0", "          - { context: $response.body, condition: 'count(//item) = {$inputs.n}', type: xpath }\n", xmlReply, true, ""},
		},
		"CRIT-09": {
			{"bad regex fails the criterion, not the run", "1.1.0", "          - { context: $statusCode, condition: '(', type: regex }\n", js(200, petsBody), false, "not valid RE2 syntax"},
			{"unknown version fails", "1.1.0", "          - { context: $response.body, condition: '$', type: { type: jsonpath, version: jsonpath-99 } }\n", js(200, petsBody), false, `jsonpath version "jsonpath-99" is not supported`},
		},
		"CRIT-11": {
			{"non-boolean simple condition fails", "1.1.0", "          - condition: $response.body#/count\n", js(200, petsBody), false, "result is not a boolean"},
			{"null result fails", "1.1.0", "          - condition: $response.body#/none\n", js(200, `{"none":null}`), false, "failed"},
		},
		"ETYPE-03": {
			{"jsonpath defaults to RFC 9535", "1.1.0", "          - { context: $response.body, condition: '$.pets[?@.name == \"Rex\"]', type: jsonpath }\n", js(200, petsBody), true, ""},
		},
		"ETYPE-04": {
			{"1.0 criterion expression type object", "1.0.1", "          - { context: $response.body, condition: '$.pets[*]', type: { type: jsonpath, version: draft-goessner-dispatch-jsonpath-00 } }\n", js(200, petsBody), true, ""},
			{"1.1 expression type object xpath-31", "1.1.0", "          - { context: $response.body, condition: '/order/id = 17', type: { type: xpath, version: xpath-31 } }\n", xmlReply, true, ""},
			{"xpath-10", "1.1.0", "          - { context: $response.body, condition: 'boolean(/order)', type: { type: xpath, version: xpath-10 } }\n", xmlReply, true, ""},
			{"unknown xpath version", "1.1.0", "          - { context: $response.body, condition: '/order', type: { type: xpath, version: xpath-40 } }\n", xmlReply, false, `xpath version "xpath-40" is not supported`},
		},
		"COND-01": {
			{"literals", "1.0.1", "          - condition: \"true && !false && null == null && 1.5e1 == 15 && 'it''s' == 'IT''S'\"\n", js(200, petsBody), true, ""},
		},
		"COND-03": {
			{"strings ignore case", "1.0.1", "          - condition: $response.body#/pets/0/name == 'REX'\n", js(200, petsBody), true, ""},
		},
		"COND-05": {
			{"numeric header compared as number", "1.1.0", "          - condition: $response.header.X-Rate-Limit > 10\n", reply{Status: 200, Header: map[string]string{"X-Rate-Limit": "42"}}, true, ""},
			{"numeric string body", "1.1.0", "          - condition: $response.body#/n >= 9\n", js(200, `{"n":"10"}`), true, ""},
		},
	}
	for id, cases := range critCases {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			for _, tc := range cases {
				w := criteriaRun(t, tc.version, tc.crit, tc.rep)
				assert.Equal(t, tc.pass, w.Success, "%s: %s", tc.name, w.Error)
				if tc.err != "" {
					assert.Contains(t, w.Error, tc.err, tc.name)
				}
			}
		})
	}
	t.Run("CRIT-09/recoverable", func(t *testing.T) {
		t.Parallel()
		// An evaluation error fails the condition; the run goes on to the failure actions.
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria: [ { context: $response.body, condition: '$[', type: jsonpath } ]
        onFailure: [ { name: go, type: goto, stepId: b } ]
      - { stepId: b, operationId: poll }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": {js(200, petsBody)}, "GET /poll": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, []string{"a", "b"}, stepIDs(w))
		assert.Contains(t, w.Steps[0].Criteria[0].Error, "invalid RFC 9535 JSONPath")
	})
	t.Run("CRIT-10", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        successCriteria: [ { condition: $statusCode == 500 } ]
        onFailure:
          - name: andFails
            type: goto
            stepId: x
            criteria: [ { condition: $statusCode == 500 }, { context: $response.body, condition: '$.nope', type: jsonpath } ]
          - name: andHolds
            type: goto
            stepId: y
            criteria: [ { condition: $statusCode == 200 }, { context: $response.body, condition: '$.pets', type: jsonpath } ]
      - { stepId: x, operationId: poll }
      - { stepId: y, operationId: other }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": {js(200, petsBody)}, "GET /other": {js(200, `{}`)}})
		assert.Equal(t, []string{"a", "y"}, stepIDs(r.wf(t, "w")))
	})
	t.Run("SEL-01", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        outputs:
          names: { context: $response.body, selector: '$.pets[*].name', type: jsonpath }
          none: { context: $response.body, selector: '$.cats[*]', type: jsonpath }
          count: { context: $response.body, selector: /count, type: { type: jsonpointer, version: rfc6901 } }
      - stepId: b
        operationId: listItems
        outputs:
          bad: { context: $steps.nope.outputs.x, selector: '$', type: jsonpath }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": {js(200, petsBody)}})
		w := r.wf(t, "w")
		assert.Equal(t, map[string]any{"names": []any{"Rex", "Tom"}, "none": nil, "count": jsonNum("2")}, w.Steps[0].Outputs)
		assert.False(t, w.Success)
		assert.Contains(t, w.Error, `selector context "$steps.nope.outputs.x"`)
	})
	t.Run("SEL-03", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: x
        operationId: listItems
        outputs:
          id: { context: $response.body, selector: /order/id, type: xpath }
          skus: { context: $response.body, selector: '//item/@sku', type: { type: xpath, version: xpath-30 } }
          n: { context: $response.body, selector: 'count(//item)', type: xpath }
      - stepId: p
        operationId: listItems
        parameters:
          - { name: status, in: query, value: { context: $steps.x.outputs.skus, selector: /1, type: jsonpointer } }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": {xmlReply}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, map[string]any{"id": "17", "skus": []any{"A", "B"}, "n": float64(2)}, w.Steps[0].Outputs)
		assert.Equal(t, "status=B", r.srv.requests()[1].Query)
	})
	t.Run("BODY-02", func(t *testing.T) {
		t.Parallel()
		// Every expression of the payload is evaluated before the call, whatever its form.
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: template
        operationId: createItem
        requestBody: { contentType: application/json, payload: '{"name":"{$inputs.name}","tags":{$inputs.tags}}' }
      - stepId: object
        operationId: createItem
        requestBody: { payload: { name: $inputs.name, nested: [ $inputs.tags, { fixed: 1 } ], sel: { context: $inputs.obj, selector: $.k, type: jsonpath } } }
      - stepId: whole
        operationId: createItem
        requestBody: { payload: $inputs.obj }
      - stepId: xml
        operationId: postXML
        requestBody: { contentType: application/xml, payload: '<pet><name>{$inputs.name}</name></pet>' }
      - stepId: form
        operationId: postForm
        requestBody: { payload: { name: $inputs.name, tags: $inputs.tags } }
      - stepId: formString
        operationId: postForm
        requestBody: { contentType: application/x-www-form-urlencoded, payload: 'code={$inputs.name}&scope=read' }
      - stepId: multipart
        operationId: postMultipart
        requestBody: { payload: { name: $inputs.name, count: 2 } }
      - stepId: text
        operationId: postText
        requestBody: { payload: 'hello {$inputs.name}' }
      - stepId: binary
        operationId: postBinary
        requestBody: { payload: raw-bytes }
      - stepId: vendor
        operationId: postVendor
        requestBody: { payload: { data: { type: pets } } }
      - stepId: amb13
        operationId: postMulti
        requestBody: { payload: { a: 1 } }
`
		in := map[string]any{"name": "Rex", "tags": []any{"a", "b"}, "obj": map[string]any{"k": "v"}}
		ok := map[string][]reply{}
		for _, p := range []string{"/items", "/xml", "/form", "/multipart", "/text", "/bin", "/vendor", "/multi"} {
			ok["POST "+p] = []reply{js(200, `{}`)}
		}
		r := runSpec(t, "1.1.0", body, ok, withInputs(in))
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
		got := r.srv.requests()
		require.Len(t, got, 11)
		assert.JSONEq(t, `{"name":"Rex","tags":["a","b"]}`, got[0].Body)
		assert.JSONEq(t, `{"name":"Rex","nested":[["a","b"],{"fixed":1}],"sel":"v"}`, got[1].Body)
		assert.JSONEq(t, `{"k":"v"}`, got[2].Body)
		assert.Equal(t, `<pet><name>Rex</name></pet>`, got[3].Body)
		assert.Equal(t, "application/xml", got[3].Header.Get("Content-Type"))
		assert.Equal(t, "name=Rex&tags=a&tags=b", got[4].Body)
		assert.Equal(t, "application/x-www-form-urlencoded", got[4].Header.Get("Content-Type"))
		assert.Equal(t, "code=Rex&scope=read", got[5].Body)
		assert.True(t, strings.HasPrefix(got[6].Header.Get("Content-Type"), "multipart/form-data; boundary="))
		assert.Contains(t, got[6].Body, `name="name"`)
		assert.Contains(t, got[6].Body, "Rex")
		assert.Equal(t, "hello Rex", got[7].Body)
		assert.Equal(t, "text/plain", got[7].Header.Get("Content-Type"))
		assert.Equal(t, "raw-bytes", got[8].Body)
		assert.Equal(t, "application/octet-stream", got[8].Header.Get("Content-Type"))
		assert.Equal(t, "application/vnd.api+json", got[9].Header.Get("Content-Type"))
		assert.JSONEq(t, `{"data":{"type":"pets"}}`, got[9].Body)
		assert.Equal(t, "application/json", got[10].Header.Get("Content-Type")) // AMB-13: JSON preferred of several
	})
	t.Run("REPL-01", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: json
        operationId: createItem
        requestBody:
          contentType: application/json
          payload: { petOrder: { petId: 0, quantity: 1 }, list: [ 1 ] }
          replacements:
            - { target: /petOrder/petId, value: $inputs.id }
            - { target: /petOrder/note, value: added }
            - { target: /list/-, value: 2 }
      - stepId: xml
        operationId: postXML
        requestBody:
          contentType: application/xml
          payload: '<order><id>0</id><item sku="x">1</item></order>'
          replacements:
            - { target: /order/id, value: $inputs.id }
            - { target: '/order/item/@sku', value: abc }
      - stepId: missing
        operationId: createItem
        requestBody:
          payload: { a: 1 }
          replacements: [ { target: /no/such, value: 1 } ]
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"POST /items": {js(200, `{}`)}, "POST /xml": {js(200, `{}`)}}, withInputs(map[string]any{"id": 42}))
		got := r.srv.requests()
		require.Len(t, got, 2)
		assert.JSONEq(t, `{"petOrder":{"petId":42,"quantity":1,"note":"added"},"list":[1,2]}`, got[0].Body)
		assert.Equal(t, `<order><id>42</id><item sku="abc">1</item></order>`, got[1].Body)
		w := r.wf(t, "w")
		assert.False(t, w.Success)
		assert.Contains(t, w.Error, `replacement 1: target "/no/such"`)
	})
	t.Run("REPL-03", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: jsonpath
        operationId: createItem
        requestBody:
          payload: { items: [ { sku: ABC123, quantity: 1 }, { sku: X, quantity: 1 } ] }
          replacements:
            - target: "$.items[?(@.sku=='ABC123')].quantity"
              targetSelectorType: jsonpath
              value: { context: $inputs.inv, selector: $.newQuantity, type: jsonpath }
      - stepId: explicitXPath
        operationId: postXML
        requestBody:
          contentType: application/xml
          payload: '<a><b>1</b><b>2</b></a>'
          replacements: [ { target: //b, targetSelectorType: { type: xpath, version: xpath-10 }, value: z } ]
      - stepId: pointer
        operationId: createItem
        requestBody:
          payload: { a: { b: 1 } }
          replacements: [ { target: /a/b, targetSelectorType: jsonpointer, value: 2 } ]
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"POST /items": {js(200, `{}`)}, "POST /xml": {js(200, `{}`)}}, withInputs(map[string]any{"inv": map[string]any{"newQuantity": 5}}))
		assert.True(t, r.wf(t, "w").Success, r.wf(t, "w").Error)
		got := r.srv.requests()
		assert.JSONEq(t, `{"items":[{"sku":"ABC123","quantity":5},{"sku":"X","quantity":1}]}`, got[0].Body)
		assert.Equal(t, `<a><b>z</b><b>z</b></a>`, got[1].Body)
		assert.JSONEq(t, `{"a":{"b":2}}`, got[2].Body)
	})
	t.Run("RTE-04", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: getItem
        parameters:
          - { name: id, in: path, value: p1 }
        outputs:
          path: $request.path.id
          url: $url
          method: $method
      - stepId: b
        operationId: listItems
        parameters:
          - { name: status, in: query, value: sold }
          - { name: X-Trace, in: header, value: t1 }
        outputs: { q: $request.query.status, h: $request.header.x-trace }
      - stepId: c
        operationId: createItem
        requestBody: { payload: { n: 1 } }
        outputs: { n: $request.body#/n }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{"GET /items/p1": {js(200, `{}`)}, "GET /items": {js(200, `{}`)}, "POST /items": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, map[string]any{"path": "p1", "url": r.srv.URL + "/items/p1", "method": "GET"}, w.Steps[0].Outputs)
		assert.Equal(t, map[string]any{"q": "sold", "h": "t1"}, w.Steps[1].Outputs)
		assert.Equal(t, map[string]any{"n": 1}, w.Steps[2].Outputs)
	})
	t.Run("RTE-16", func(t *testing.T) {
		t.Parallel()
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: a
        operationId: listItems
        outputs: { body: $response.body, text: 'n={$response.body#/count} ok={$response.body#/ok} obj={$response.body#/obj}' }
      - stepId: b
        operationId: postText
        requestBody: { contentType: text/plain, payload: 'embedded: {$steps.a.outputs.body}' }
`
		r := runSpec(t, "1.1.0", body, map[string][]reply{"GET /items": {js(200, `{"count":3,"ok":true,"obj":{"k":"v"}}`)}, "POST /text": {js(200, `{}`)}})
		w := r.wf(t, "w")
		assert.True(t, w.Success, w.Error)
		assert.Equal(t, `n=3 ok=true obj={"k":"v"}`, w.Steps[0].Outputs["text"])
		assert.Equal(t, `embedded: {"count":3,"obj":{"k":"v"},"ok":true}`, r.srv.requests()[1].Body)
	})
	t.Run("PARAM-11", func(t *testing.T) {
		t.Parallel()
		// AMB-16: parameters follow the OpenAPI parameter's style and explode.
		body := `workflows:
  - workflowId: w
    steps:
      - stepId: q
        operationId: listItems
        parameters:
          - { name: tags, in: query, value: [ a, b ] }
          - { name: csv, in: query, value: [ a, b ] }
          - { name: pipes, in: query, value: [ a, b ] }
          - { name: filter, in: query, value: { color: red } }
          - { name: X-List, in: header, value: [ x, y ] }
          - { name: session, in: cookie, value: s 1 }
      - { stepId: label, operationId: labelItems, parameters: [ { name: ids, in: path, value: [ 1, 2 ] } ] }
      - { stepId: matrix, operationId: matrixItems, parameters: [ { name: ids, in: path, value: [ 1, 2 ] } ] }
      - { stepId: escaped, operationId: getItem, parameters: [ { name: id, in: path, value: 'a/b c' } ] }
`
		r := runSpec(t, "1.0.1", body, map[string][]reply{})
		assert.True(t, r.wf(t, "w").Success) // no criteria: any response succeeds (AMB-01)
		got := r.srv.requests()
		require.Len(t, got, 4)
		assert.Equal(t, "csv=a%2Cb&filter%5Bcolor%5D=red&pipes=a%7Cb&tags=a&tags=b", got[0].Query)
		assert.Equal(t, "x,y", got[0].Header.Get("X-List"))
		assert.Equal(t, "session=s+1", got[0].Header.Get("Cookie"))
		assert.Equal(t, "/label/.1,2", got[1].Path)
		assert.Equal(t, "/matrix/;ids=1;ids=2", got[2].Path)
		assert.Equal(t, "/items/a%2Fb%20c", got[3].Path)
	})
}
