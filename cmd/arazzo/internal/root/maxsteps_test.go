package root_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A goto loop without an exit stops at --max-steps as a workflow failure: exit status 1, with
// an error that names the loop.
func TestMainRunMaxStepsLoop(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(`openapi: 3.0.3
info: { title: loop, version: 1.0.0 }
paths:
  /poll:
    get:
      operationId: poll
      responses: { '200': { description: ok } }
`), 0o600))
	doc := filepath.Join(dir, "loop.arazzo.yaml")
	require.NoError(t, os.WriteFile(doc, []byte(`arazzo: 1.0.1
info: { title: loop, version: 1.0.0 }
sourceDescriptions: [ { name: api, url: ./api.yaml, type: openapi } ]
workflows:
  - workflowId: forever
    steps:
      - stepId: poll
        operationId: poll
        successCriteria: [ { condition: $statusCode == 200 } ]
        onSuccess: [ { name: again, type: goto, stepId: poll } ]
`), 0o600))
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)

	code, stdout, stderr := runMain(t, nil, "run", doc, "-s", srv.URL, "--max-steps", "5", "-o", "json")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stdout, `maximum step executions reached (5) in the loop poll -\u003e poll`)
	assert.Equal(t, 5, calls)
}
