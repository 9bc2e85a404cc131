package runtime_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

const petAPI = `openapi: 3.0.3
info: { title: pets, version: 1.0.0 }
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
      responses:
        "200":
          description: the pet
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: { type: string }
                  name: { type: string }
                  secret: { type: string, writeOnly: true }
`

const petDoc = `arazzo: 1.0.1
info: { title: pets, version: 1.0.0 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
workflows:
  - workflowId: get
    steps:
      - stepId: fetch
        operationId: getPet
        parameters: [ { name: id, in: path, value: p1 } ]
        successCriteria: [ { condition: $statusCode < 500 } ]
`

// A real response that differs from the operation's description is a warning naming the step
// and each difference (WILD-07); StrictResponses fails the step. Undocumented error statuses and
// conforming responses are not findings.
func TestResponseOffDescription(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api.openapi.yaml"), []byte(petAPI), 0o600))
	doc, err := arazzo.Parse(filepath.Join(dir, "doc.arazzo.yaml"), []byte(petDoc))
	require.NoError(t, err)

	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		want        []string // parts of the warning; none when nil
	}{
		{name: "conforming", status: 200, contentType: "application/json", body: `{"id":"p1","name":"Rex"}`},
		{name: "body off the schema", status: 200, contentType: "application/json; charset=utf-8", body: `{"id":5}`,
			want: []string{`step "fetch": the response differs from the OpenAPI description of GET /pets/{id}: the body breaks the response schema:`, `"/id"`, `"name"`, "[response-off-description]"}},
		{name: "undocumented success status", status: 202, contentType: "application/json", body: `{}`,
			want: []string{"status 202 is not documented for GET /pets/{id}"}},
		{name: "undocumented media type", status: 200, contentType: "text/plain", body: `Rex`,
			want: []string{"the 200 response is text/plain, which GET /pets/{id} does not document (it lists application/json)"}},
		{name: "undocumented error status", status: 404, contentType: "application/json", body: `{"error":"gone"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			r, err := runtime.New()
			require.NoError(t, err)
			opts := runtime.RunOptions{Servers: map[string]string{"api": srv.URL}}
			res, err := r.Run(t.Context(), doc, opts)
			require.NoError(t, err)
			require.True(t, res.Success, res.Workflows[0].Error)
			warnings := strings.Join(res.Warnings, "\n")
			if tc.want == nil {
				assert.NotContains(t, warnings, "response-off-description")
			}
			for _, w := range tc.want {
				assert.Contains(t, warnings, w)
			}

			opts.StrictResponses = true
			res, err = r.Run(t.Context(), doc, opts)
			require.NoError(t, err)
			assert.Equal(t, tc.want == nil, res.Success, res.Workflows[0].Error)
			if tc.want != nil {
				assert.Contains(t, res.Workflows[0].Error, "(--strict-responses) [response-off-description]")
			}
		})
	}
}
