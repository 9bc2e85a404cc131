package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/openapi/mock"
)

func loadDescription(t *testing.T, location string) *openapi.Description {
	t.Helper()
	l, err := openapi.NewLoader()
	require.NoError(t, err)
	d, err := l.Load(t.Context(), location)
	require.NoError(t, err)
	return d
}

func serve(t *testing.T, d *openapi.Description) *httptest.Server {
	t.Helper()
	h, err := mock.New(d)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

type answer struct {
	status      int
	contentType string
	body        string
	header      http.Header
}

// send sends a request with an optional body and "Name: value" headers.
func send(t *testing.T, srv *httptest.Server, method, path string, body string, headers ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, rd)
	require.NoError(t, err)
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		require.True(t, ok, h)
		req.Header.Add(name, strings.TrimSpace(value))
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: string(data), header: resp.Header}
}

var bearer = []string{"Authorization: Bearer t0ken"}

func TestMock(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "../testdata/petstore-3.0.yaml"))
	tests := []struct {
		name        string
		method      string
		path        string
		wantStatus  int
		wantType    string
		body        string
		headers     []string
		wantBody    string // JSON compared semantically; "" means empty
		wantContain string
	}{
		{
			name: "media type example, lowest 2xx", method: "POST", path: "/v1/pets",
			body: `{"id":7,"name":"Rex"}`, headers: []string{"Content-Type: application/json", "Authorization: Basic dTpw"},
			wantStatus: 201, wantType: "application/json", wantBody: `{"id":7,"name":"Rex"}`,
		},
		{
			name: "first named example", method: "GET", path: "/v1/pets/mine", headers: bearer,
			wantStatus: 200, wantType: "application/json", wantBody: `[{"id":1,"name":"Al"}]`,
		},
		{
			name: "generated from schema", method: "GET", path: "/v1/pets/42",
			wantStatus: 200, wantType: "application/json",
			wantBody: `{
				"id": 1, "name": "string", "born": "2024-01-01T00:00:00Z",
				"chip": "00000000-0000-4000-8000-000000000000", "status": "available",
				"kind": {"meows": true},
				"owner": {"email": "user@example.com", "pets": [{
					"id": 1, "name": "string", "born": "2024-01-01T00:00:00Z",
					"chip": "00000000-0000-4000-8000-000000000000", "status": "available",
					"kind": {"meows": true},
					"owner": {"email": "user@example.com", "pets": []}
				}]}
			}`,
		},
		{name: "no content", method: "DELETE", path: "/v1/pets/42", headers: bearer, wantStatus: 204},
		{name: "accepted without body", method: "POST", path: "/v1/pets/42/walks", headers: bearer, wantStatus: 202},
		{name: "trailing slash", method: "GET", path: "/v1/pets/mine/", headers: bearer, wantStatus: 200, wantType: "application/json", wantBody: `[{"id":1,"name":"Al"}]`},
		{
			name: "unknown path", method: "GET", path: "/v1/dogs",
			wantStatus: 404, wantType: "application/problem+json", wantContain: `"detail":"no operation for GET /v1/dogs"`,
		},
		{
			name: "outside the base path", method: "GET", path: "/pets/mine",
			wantStatus: 404, wantType: "application/problem+json", wantContain: `"status":404`,
		},
		{
			name: "wrong method", method: "PUT", path: "/v1/pets/42",
			wantStatus: 405, wantType: "application/problem+json", wantContain: `"title":"Method Not Allowed"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := send(t, srv, tc.method, tc.path, tc.body, tc.headers...)
			assert.Equal(t, tc.wantStatus, got.status)
			assert.Equal(t, "true", got.header.Get(mock.HeaderMock))
			if tc.wantType != "" {
				assert.Equal(t, tc.wantType, got.contentType)
			}
			switch {
			case tc.wantContain != "":
				assert.Contains(t, got.body, tc.wantContain)
			case tc.wantBody != "":
				assert.JSONEq(t, tc.wantBody, got.body)
			default:
				assert.Empty(t, got.body)
			}
		})
	}
}

func TestMockMethodNotAllowedListsMethods(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "../testdata/petstore-3.0.yaml"))
	got := send(t, srv, http.MethodPatch, "/v1/pets/7", "")
	assert.Equal(t, http.StatusMethodNotAllowed, got.status)
	assert.Equal(t, "DELETE, GET", got.header.Get("Allow"))
	var problem struct {
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	require.NoError(t, json.Unmarshal([]byte(got.body), &problem))
	assert.Equal(t, http.StatusMethodNotAllowed, problem.Status)
	assert.Contains(t, problem.Detail, "PATCH /v1/pets/7")
}

func TestMockDeterministic(t *testing.T) {
	t.Parallel()
	d := loadDescription(t, "../testdata/petstore-3.0.yaml")
	first := send(t, serve(t, d), http.MethodGet, "/v1/pets?limit=1", "", bearer...)
	second := send(t, serve(t, d), http.MethodGet, "/v1/pets?limit=1", "", bearer...)
	require.Equal(t, http.StatusOK, first.status)
	assert.NotEmpty(t, first.body)
	assert.Equal(t, first.body, second.body)
	assert.Equal(t, "string", first.header.Get("X-Next"), "documented headers are generated too")
}

func TestMockBasePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		server string
		path   string
	}{
		{name: "absolute server", server: "https://api.x.com/v1", path: "/v1/things"},
		{name: "relative server", server: "/api/v3/", path: "/api/v3/things"},
		{name: "server variable default", server: "https://{host}/{base}", path: "/beta/things"},
		{name: "host only", server: "https://api.x.com", path: "/things"},
		{name: "no server", server: "", path: "/things"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			servers := ""
			if tc.server != "" {
				servers = "servers:\n  - url: " + tc.server + "\n    variables:\n      host: {default: h.example.com}\n      base: {default: beta}\n"
				if !strings.Contains(tc.server, "{") {
					servers = "servers:\n  - url: " + tc.server + "\n"
				}
			}
			d := loadInline(t, `openapi: 3.0.3
info: {title: t, version: "1"}
`+servers+`paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string, format: date}}
`)
			got := send(t, serve(t, d), http.MethodGet, tc.path, "")
			assert.Equal(t, http.StatusOK, got.status)
			assert.JSONEq(t, `["2024-01-01"]`, got.body)
		})
	}
}

func loadInline(t *testing.T, doc string) *openapi.Description {
	t.Helper()
	file := filepath.Join(t.TempDir(), "openapi.yaml")
	require.NoError(t, os.WriteFile(file, []byte(doc), 0o600))
	return loadDescription(t, file)
}

// TestMockAssembledBulkUpsert mirrors the assembled ingest workflow: a bulk
// upsert documented as 202 with no body must answer 202 with an empty body.
func TestMockAssembledBulkUpsert(t *testing.T) {
	t.Parallel()
	d := loadInline(t, `openapi: 3.0.3
info: {title: conversations, version: "1"}
servers:
  - url: https://api.example.com
paths:
  /v0/conversations/bulk:
    post:
      operationId: upsertConversations
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {type: object}}
      responses:
        "202":
          description: Accepted.
        "400":
          description: Bad request.
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
  /v0/conversations/{id}:
    get:
      operationId: getConversation
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: string, format: uuid}
                  count: {type: integer, minimum: 3, maximum: 9}
                  score: {type: number, exclusiveMinimum: true, minimum: 0}
`)
	srv := serve(t, d)

	got := send(t, srv, http.MethodPost, "/v0/conversations/bulk", `[{}]`, "Content-Type: application/json")
	assert.Equal(t, http.StatusAccepted, got.status)
	assert.Empty(t, got.body)
	assert.Equal(t, "true", got.header.Get(mock.HeaderMock))

	got = send(t, srv, http.MethodGet, "/v0/conversations/abc", "")
	assert.Equal(t, http.StatusOK, got.status)
	assert.JSONEq(t, `{"id":"00000000-0000-4000-8000-000000000000","count":3,"score":0.5}`, got.body)
}

func TestMockOpenAPI31(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "../testdata/petstore-3.1.yaml"))
	got := send(t, srv, http.MethodGet, "/api/v3/pets/1", "")
	assert.Equal(t, http.StatusOK, got.status)
	assert.JSONEq(t, `{"id":11,"nickname":"string","tag":"good-boy"}`, got.body)
}

func TestMockSwagger(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "../testdata/swagger-2.0.json"))
	got := send(t, srv, http.MethodGet, "/v2/users/u1?api_key=k", "")
	assert.Equal(t, http.StatusOK, got.status)
	assert.JSONEq(t, `{"id":"string","email":"user@example.com"}`, got.body)
	got = send(t, srv, http.MethodPost, "/v2/users", `{"email":"a@b.c"}`, "Content-Type: application/json", "Authorization: Basic dTpw")
	assert.Equal(t, http.StatusCreated, got.status)
	assert.Empty(t, got.body)
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	_, err := mock.New(nil)
	require.Error(t, err)
	_, err = mock.New(loadDescription(t, "../testdata/petstore-3.1.yaml"), mock.WithLogger(nil))
	require.ErrorContains(t, err, "nil logger")
}

// TestMockCorpus builds mocks of large real descriptions: generation must
// stay bounded on wide, recursive schemas.
func TestMockCorpus(t *testing.T) {
	t.Parallel()
	files := []string{
		"../../../shared/corpus/github/openapi/github-repos-api-openapi.yml",
		"../../../shared/corpus/stripe/openapi/stripe-subscription-api-openapi.yml",
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			if _, err := os.Stat(f); err != nil {
				t.Skip("corpus not present:", err)
			}
			d := loadDescription(t, f)
			srv := serve(t, d)
			for _, op := range d.Operations()[:min(5, len(d.Operations()))] {
				path := strings.NewReplacer("{", "", "}", "").Replace(op.Path)
				got := send(t, srv, op.Method, d.BasePath()+path, "")
				assert.Less(t, got.status, 500, "%s %s", op.Method, path)
				assert.Less(t, len(got.body), 1<<20, "%s %s", op.Method, path)
			}
		})
	}
}
