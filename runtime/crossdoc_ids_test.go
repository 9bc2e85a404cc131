package runtime_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const crossAPI = `openapi: 3.0.3
info: { title: items, version: 1.0.0 }
paths:
  /items:
    get:
      operationId: listItems
      parameters: [ { name: from, in: query, schema: { type: string } } ]
      responses: { "200": { description: ok } }
`

const crossChild = `arazzo: 1.0.1
info: { title: child, version: 1.0.0 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
workflows:
  - workflowId: prepare
    outputs: { v: $steps.get.outputs.v, mine: $workflows.prepare.inputs.who }
    inputs: { type: object, properties: { who: { type: string } } }
    steps:
      - stepId: get
        operationId: listItems
        parameters: [ { name: from, in: query, value: child } ]
        outputs: { v: $response.body#/v }
`

// Two documents with a workflow of the same id: each document's $workflows reads its own, and
// the child's run does not shadow the root's (COMP-07, GEN-07).
func TestCrossDocumentWorkflowIDs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api.openapi.yaml"), []byte(crossAPI), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "child.arazzo.yaml"), []byte(crossChild), 0o600))
	doc := `arazzo: 1.0.1
info: { title: root, version: 1.0.0 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
  - { name: child, url: ./child.arazzo.yaml, type: arazzo }
workflows:
  - workflowId: prepare
    outputs: { v: $steps.get.outputs.v }
    steps:
      - stepId: get
        operationId: listItems
        parameters: [ { name: from, in: query, value: root } ]
        outputs: { v: $response.body#/v }
  - workflowId: main
    dependsOn: [ prepare ]
    outputs: { root: $workflows.prepare.outputs.v, child: $steps.call.outputs.v, childInput: $steps.call.outputs.mine }
    steps:
      - stepId: call
        workflowId: $sourceDescriptions.child.prepare
        parameters: [ { name: who, value: main } ]
        outputs: { v: $outputs.v, mine: $outputs.mine }
      - stepId: use
        operationId: listItems
        parameters: [ { name: from, in: query, value: $workflows.prepare.outputs.v } ]
`
	script := map[string][]reply{"GET /items": {js(200, `{"v":"from-root"}`), js(200, `{"v":"from-child"}`), js(200, `{}`)}}
	r := runAt(t, filepath.Join(dir, "root.arazzo.yaml"), doc, script, withWorkflow("main"))
	w := r.wf(t, "main")
	require.True(t, w.Success, w.Error)
	var queries []string
	for _, s := range r.srv.requests() {
		queries = append(queries, s.Query)
	}
	assert.Equal(t, []string{"from=root", "from=child", "from=from-root"}, queries)
	assert.Equal(t, map[string]any{"root": "from-root", "child": "from-child", "childInput": "main"}, w.Outputs)
}
