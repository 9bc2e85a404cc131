package mock_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arazzo-runner/arazzo/openapi/mock"
)

const shapeAPI = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /jobs/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: Content-Type, in: header, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  state: {type: string, enum: [running, passed]}
                  items: {type: array, items: {type: object, properties: {id: {type: integer}}}}
  /orgs/{org}/issues/:
    get:
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: none}
  /{bucket}?acl:
    get:
      parameters:
        - {name: bucket, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: acl, content: {application/json: {schema: {type: string, enum: [acl]}}}}
  /{bucket}:
    get:
      parameters:
        - {name: bucket, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: list, content: {application/json: {schema: {type: string, enum: [list]}}}}
`

// The shape header chooses the status and patches the body; what departs from the description
// is answered all the same, with a warning header.
func TestMockShape(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadInline(t, shapeAPI))
	tests := []struct {
		name, shape string
		status      int
		body        string
		warn        string
	}{
		{name: "set and length", shape: `{"body":[{"op":"set","path":"/state","value":"passed"},{"op":"length","path":"/items","value":2}]}`,
			status: 200, body: `{"state":"passed","items":[{"id":0},{"id":0}]}`},
		{name: "differ takes another enum value", shape: `{"body":[{"op":"differ","path":"/state","values":["running"]}]}`,
			status: 200, body: `{"state":"passed","items":[{"id":0}]}`},
		{name: "present with a value", shape: `{"body":[{"op":"present","path":"/id","value":"j1"}]}`,
			status: 200, body: `{"state":"running","items":[{"id":0}],"id":"j1"}`},
		{name: "undocumented status", shape: `{"status":202}`, status: 202, body: `{"state":"running","items":[{"id":0}]}`,
			warn: "status 202 is not documented for this operation"},
		{name: "off schema", shape: `{"body":[{"op":"set","path":"/state","value":"gone"}]}`, status: 200,
			body: `{"state":"gone","items":[{"id":0}]}`, warn: "the shaped body breaks the response schema"},
		{name: "bad shape", shape: `{"body":[{"op":"nope","path":"/x"}]}`, status: 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := send(t, srv, http.MethodGet, "/jobs/j1", "", mock.HeaderShape+": "+tc.shape)
			assert.Equal(t, tc.status, got.status, got.body)
			if tc.body != "" {
				assert.JSONEq(t, tc.body, got.body)
			}
			if tc.warn != "" {
				assert.Contains(t, got.header.Get(mock.HeaderWarning), tc.warn)
			} else {
				assert.Empty(t, got.header.Values(mock.HeaderWarning))
			}
		})
	}
}

// Near-misses of descriptions the mock accepts: an ignored Content-Type header parameter, a
// trailing slash in a path key, and query strings in path keys.
func TestMockDescriptionNearMisses(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadInline(t, shapeAPI))
	assert.Equal(t, http.StatusOK, send(t, srv, http.MethodGet, "/jobs/j1", "").status, "Content-Type parameters are ignored")
	assert.Equal(t, http.StatusNoContent, send(t, srv, http.MethodGet, "/orgs/acme/issues/", "").status)
	assert.JSONEq(t, `"acl"`, send(t, srv, http.MethodGet, "/b1?acl", "").body)
	assert.JSONEq(t, `"list"`, send(t, srv, http.MethodGet, "/b1", "").body)
}
