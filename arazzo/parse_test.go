package arazzo_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
)

func TestParseBundledWorkflow(t *testing.T) {
	t.Parallel()
	doc, err := arazzo.ParseFile("../workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml")
	require.NoError(t, err)
	assert.Equal(t, "1.0.1", doc.Arazzo)
	assert.Equal(t, "1.0", doc.MinorVersion())
	require.Len(t, doc.SourceDescriptions, 1)
	assert.Equal(t, "conversationsApi", doc.SourceDescriptions[0].Name)
	wf := doc.Workflow("ingest-conversations")
	require.NotNil(t, wf)
	require.Len(t, wf.Steps, 2)
	s := wf.Steps[1]
	assert.Equal(t, "enrichConversations", s.StepID)
	assert.Equal(t, "bulkUpdateConversations", s.OperationID)
	assert.Equal(t, arazzo.Pos{Line: 56, Col: 5}, s.Pos)
	require.NotNil(t, s.RequestBody)
	assert.Equal(t, map[string]any{"conversations": "$inputs.updates"}, s.RequestBody.Payload)
	require.Len(t, s.SuccessCriteria, 1)
	assert.Equal(t, "$statusCode == 202", s.SuccessCriteria[0].Condition)
	require.Len(t, wf.Outputs, 1)
	assert.Equal(t, "enrichStatus", wf.Outputs[0].Name)
	assert.Empty(t, doc.Warnings)
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want string
	}{
		{"bad yaml", "arazzo: 1.0.1\ninfo: [\n", "doc.yaml:2:1: error: invalid YAML/JSON: did not find expected node content [yaml-syntax]"},
		{"not an object", "- a\n- b\n", "doc.yaml:1:1: error: document must be an object with an `arazzo` field, found a list [not-an-object]"},
		{"empty", "", "doc.yaml:1:1: error: document is empty: expected a mapping with an `arazzo` field [not-an-object]"},
		{"missing workflows", "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: a, url: a.yaml}]\n",
			"doc.yaml:1:1: error: document is missing required field \"workflows\" [required-field]"},
		{"bad version", "arazzo: 2.0.0\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: a, url: a.yaml}]\nworkflows: [{workflowId: w, steps: [{stepId: s, operationId: o}]}]\n",
			"doc.yaml:1:9: error: arazzo version \"2.0.0\" is not supported: use 1.0.x or 1.1.x [unsupported-version]"},
		{"wrong type", "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: a, url: a.yaml}]\nworkflows: [{workflowId: w, steps: {stepId: s}}]\n",
			"doc.yaml:4:36: error: `steps` must be a list, found an object [invalid-type]"},
		{"bad action type", "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: a, url: a.yaml}]\nworkflows: [{workflowId: w, steps: [{stepId: s, operationId: o, onSuccess: [{name: n, type: retry}]}]}]\n",
			"doc.yaml:4:93: error: success action type \"retry\" must be end or goto [invalid-value]"},
		{"duplicate key", "arazzo: 1.0.1\narazzo: 1.0.1\n", "doc.yaml:2:1: error: document has field \"arazzo\" twice: keep one [duplicate-key]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := arazzo.Parse("doc.yaml", []byte(tc.src))
			require.Error(t, err)
			var ds arazzo.Diagnostics
			require.True(t, errors.As(err, &ds))
			assert.Equal(t, tc.want, ds[0].Error())
		})
	}
}

func TestParseKeepsExtensionsAndWarnsUnknown(t *testing.T) {
	t.Parallel()
	src := `arazzo: 1.1.0
info: {title: t, version: '1', x-team: core}
sourceDescriptions: [{name: a, url: a.yaml, type: openapi}]
workflows:
- workflowId: w
  x-owner: me
  colour: blue
  steps:
  - stepId: s
    operationId: o
    timeout: 1500
    x-security: [{scheme: basic}]
    outputs:
      id:
        context: $response.body
        selector: $.id
        type: jsonpath
`
	doc, err := arazzo.Parse("d.yaml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, "core", doc.Info.Extensions["x-team"])
	w := doc.Workflows[0]
	assert.Equal(t, "me", w.Extensions["x-owner"])
	assert.Equal(t, 1500, w.Steps[0].Timeout)
	assert.NotNil(t, w.Steps[0].Extensions["x-security"])
	sel, ok := w.Steps[0].Outputs[0].Value.(*arazzo.Selector)
	require.True(t, ok)
	assert.Equal(t, "jsonpath", sel.Type)
	require.Len(t, doc.Warnings, 1)
	assert.Equal(t, "d.yaml:7:3: warning: workflow has unknown field \"colour\": remove it or prefix it with x- to keep it as an extension [unknown-field]", doc.Warnings[0].Error())
}

func TestParseJSON(t *testing.T) {
	t.Parallel()
	src := `{"arazzo": "1.0.1", "info": {"title": "t", "version": "1"},
 "sourceDescriptions": [{"name": "a", "url": "a.json"}],
 "workflows": [{"workflowId": "w", "steps": [{"stepId": "s", "operationId": "o",
   "onFailure": [{"name": "r", "type": "retry", "retryAfter": 0.5, "retryLimit": 3}]}]}]}`
	doc, err := arazzo.Parse("d.json", []byte(src))
	require.NoError(t, err)
	fa := doc.Workflows[0].Steps[0].OnFailure[0]
	assert.Equal(t, 0.5, fa.RetryAfter)
	assert.Equal(t, 3, fa.RetryLimit)
	assert.Equal(t, arazzo.Pos{Line: 4, Col: 18}, fa.Pos)
}

func TestParseOfficialExamples(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../../shared/arazzo-spec/examples/*/*.yaml")
	var n int
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		if !arazzo.IsArazzo(data) {
			continue
		}
		n++
		_, err = arazzo.Parse(f, data)
		assert.NoError(t, err, f)
	}
	if n == 0 {
		t.Skip("../shared/arazzo-spec not present")
	}
}

// The corpus is what users throw at us: every document must parse without error.
func TestParseCorpus(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../../shared/corpus/*/arazzo/*.yml")
	if len(files) == 0 {
		t.Skip("../shared/corpus not present")
	}
	var docs int
	for _, f := range files {
		if strings.HasSuffix(f, "_index.yml") {
			continue
		}
		docs++
		_, err := arazzo.ParseFile(f)
		assert.NoError(t, err, f)
	}
	assert.Equal(t, 375, docs)
}

func TestIsArazzo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want bool
	}{
		{"arazzo: 1.0.1\ninfo: {}\n", true},
		{`{"arazzo": "1.0.1"}`, true},
		{"openapi: 3.1.0\ninfo: {title: arazzo}\n", false},
		{"openapi: 3.1.0\n", false},
		{"arazzo: 1.0.1\ninfo: [\n", true},                         // broken, but an Arazzo document
		{"openapi: 3.1.0\ndescription: arazzo: x\n  - [\n", false}, // broken, and not one
		{"- arazzo\n", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, arazzo.IsArazzo([]byte(tc.src)), tc.src)
	}
}
