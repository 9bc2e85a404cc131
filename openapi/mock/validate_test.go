package mock_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/openapi/mock"
)

const (
	jsonBody = "Content-Type: application/json"
	bearerOK = "Authorization: Bearer t0ken"
)

// TestMockValidatesRequests sends requests that break orders.yaml in one way
// each: the problem names the field and the rule, with the status of its
// class (401 credentials, 415 media type, 400 syntax and parameters, 422
// body schema).
func TestMockValidatesRequests(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "testdata/orders.yaml"))
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		headers    []string
		wantStatus int
		wantErrors []mock.Violation // compared in full; nil means the request is valid
	}{
		{
			name: "valid list", method: "GET", path: "/shop/v2/orders?limit=5&status=open",
			headers: []string{bearerOK, "X-Tenant: acme"}, wantStatus: 200,
		},
		{
			name: "apiKey satisfies the second requirement", method: "GET", path: "/shop/v2/orders?limit=5",
			headers: []string{"X-Api-Key: k", "X-Tenant: acme"}, wantStatus: 200,
		},
		{
			name: "required query parameter missing", method: "GET", path: "/shop/v2/orders",
			headers: []string{bearerOK, "X-Tenant: acme"}, wantStatus: 400,
			wantErrors: []mock.Violation{{Field: "query.limit", Rule: "required", Message: `the query parameter "limit" is required`}},
		},
		{
			name: "parameters off their schema", method: "GET", path: "/shop/v2/orders?limit=500&status=lost",
			headers: []string{bearerOK}, wantStatus: 400,
			wantErrors: []mock.Violation{
				{Field: "query.limit", Rule: "maximum", Message: "number must be at most 50"},
				{Field: "query.status", Rule: "enum", Message: `value is not one of the allowed values ["open","shipped"]`},
				{Field: "header.X-Tenant", Rule: "required", Message: `the header parameter "X-Tenant" is required`},
			},
		},
		{
			name: "parameter that does not parse", method: "GET", path: "/shop/v2/orders?limit=abc",
			headers: []string{bearerOK, "X-Tenant: acme"}, wantStatus: 400,
			wantErrors: []mock.Violation{{Field: "query.limit", Rule: "syntax", Message: "value abc: an invalid integer: invalid syntax"}},
		},
		{
			name: "path parameter off its pattern", method: "GET", path: "/shop/v2/orders/xyz",
			headers: []string{bearerOK}, wantStatus: 400,
			wantErrors: []mock.Violation{{Field: "path.orderId", Rule: "pattern", Message: `string doesn't match the regular expression "^ord-[0-9]+$"`}},
		},
		{
			name: "no credentials", method: "GET", path: "/shop/v2/orders?limit=5",
			headers: []string{"X-Tenant: acme"}, wantStatus: 401,
			wantErrors: []mock.Violation{
				{Field: "header.Authorization", Rule: "security", Message: `security scheme "bearer" (http bearer) needs an "Authorization: Bearer …" header`},
				{Field: "header.X-Api-Key", Rule: "security", Message: `security scheme "key" (apiKey) needs the header "X-Api-Key"`},
			},
		},
		{
			name: "credentials win over body problems", method: "POST", path: "/shop/v2/orders",
			body: `{}`, headers: []string{jsonBody, "Authorization: Basic dTpw"}, wantStatus: 401,
			wantErrors: []mock.Violation{
				{Field: "header.Authorization", Rule: "security", Message: `security scheme "bearer" (http bearer) needs an "Authorization: Bearer …" header`},
				{Field: "header.X-Api-Key", Rule: "security", Message: `security scheme "key" (apiKey) needs the header "X-Api-Key"`},
				{Field: "body#/item", Rule: "required", Message: `property "item" is missing`},
				{Field: "body#/quantity", Rule: "required", Message: `property "quantity" is missing`},
			},
		},
		{
			name: "operation-level basic", method: "DELETE", path: "/shop/v2/orders/ord-1",
			headers: []string{bearerOK}, wantStatus: 401,
			wantErrors: []mock.Violation{{Field: "header.Authorization", Rule: "security", Message: `security scheme "basic" (http basic) needs an "Authorization: Basic …" header`}},
		},
		{
			name: "basic given", method: "DELETE", path: "/shop/v2/orders/ord-1",
			headers: []string{"Authorization: Basic dTpw"}, wantStatus: 204,
		},
		{
			name: "cookie and query keys required together", method: "POST", path: "/shop/v2/imports?token=t",
			body: "a,b", headers: []string{"Content-Type: text/plain"}, wantStatus: 401,
			wantErrors: []mock.Violation{{Field: "cookie.sid", Rule: "security", Message: `security scheme "cookieKey" (apiKey) needs the cookie "sid"`}},
		},
		{
			name: "cookie and query keys given", method: "POST", path: "/shop/v2/imports?token=t",
			body: "a,b", headers: []string{"Content-Type: text/plain", "Cookie: sid=s"}, wantStatus: 202,
		},
		{
			name: "no security", method: "GET", path: "/shop/v2/health", wantStatus: 200,
		},
		{
			name: "wrong content type", method: "POST", path: "/shop/v2/orders",
			body: "item=pen", headers: []string{bearerOK, "Content-Type: application/x-www-form-urlencoded"}, wantStatus: 415,
			wantErrors: []mock.Violation{{Field: "header.Content-Type", Rule: "content-type", Message: `content type "application/x-www-form-urlencoded" is not accepted: send one of application/json`}},
		},
		{
			name: "body missing", method: "POST", path: "/shop/v2/orders",
			headers: []string{bearerOK, jsonBody}, wantStatus: 400,
			wantErrors: []mock.Violation{{Field: "body", Rule: "required", Message: "a request body is required"}},
		},
		{
			name: "body that does not parse", method: "POST", path: "/shop/v2/orders",
			body: `{"item":`, headers: []string{bearerOK, jsonBody}, wantStatus: 400,
			wantErrors: []mock.Violation{{Field: "body", Rule: "syntax", Message: "the body cannot be decoded: unexpected EOF"}},
		},
		{
			name: "body off its schema", method: "POST", path: "/shop/v2/orders",
			body: `{"item":"","quantity":0}`, headers: []string{bearerOK, jsonBody}, wantStatus: 422,
			wantErrors: []mock.Violation{
				{Field: "body#/item", Rule: "minLength", Message: "minimum string length is 1"},
				{Field: "body#/quantity", Rule: "minimum", Message: "number must be at least 1"},
			},
		},
		{
			name: "readOnly property tolerated", method: "POST", path: "/shop/v2/orders",
			body: `{"id":"ord-9","item":"pen","quantity":1}`, headers: []string{bearerOK, jsonBody}, wantStatus: 201,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := send(t, srv, tc.method, tc.path, tc.body, tc.headers...)
			require.Equal(t, tc.wantStatus, got.status, got.body)
			assert.Equal(t, "true", got.header.Get(mock.HeaderMock))
			if tc.wantErrors == nil {
				assert.NotEqual(t, mock.ContentTypeProblem, got.contentType, got.body)
				return
			}
			assert.Equal(t, mock.ContentTypeProblem, got.contentType)
			var p mock.Problem
			require.NoError(t, json.Unmarshal([]byte(got.body), &p))
			assert.Equal(t, tc.wantStatus, p.Status)
			assert.NotEmpty(t, p.Title)
			assert.Equal(t, tc.wantErrors, p.Errors)
			first := tc.wantErrors[0]
			assert.Contains(t, p.Detail, first.Field+": "+first.Message+" ["+first.Rule+"]")
		})
	}
}

func TestMockUnauthorizedChallenges(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "testdata/orders.yaml"))
	got := send(t, srv, http.MethodDelete, "/shop/v2/orders/ord-1", "")
	require.Equal(t, http.StatusUnauthorized, got.status)
	assert.Equal(t, []string{`Basic realm="arazzo mock"`}, got.header.Values("WWW-Authenticate"))
}

// TestMockSwaggerValidates checks a Swagger 2.0 source through the loader's
// conversion: its body parameter and apiKey definition are enforced too.
func TestMockSwaggerValidates(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "testdata/users-swagger.json"))

	got := send(t, srv, http.MethodPost, "/v2/users", `{"email":"a@b.c"}`, jsonBody)
	assert.Equal(t, http.StatusUnauthorized, got.status)
	assert.Contains(t, got.body, `"field":"query.api_key"`)

	got = send(t, srv, http.MethodPost, "/v2/users?api_key=k", `{"id":"x"}`, jsonBody)
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)
	assert.Contains(t, got.body, `"field":"body#/email","rule":"required"`)

	got = send(t, srv, http.MethodPost, "/v2/users?api_key=k", `{"email":"a@b.c"}`, jsonBody)
	assert.Equal(t, http.StatusCreated, got.status)
	assert.Equal(t, "https://example.com", got.header.Get("Location"))
	assert.JSONEq(t, `{"email":"user@example.com","id":"00000000-0000-4000-8000-000000000000"}`, got.body)
}

// TestMockFormUntypedField is the regression test of issue 10's form limit: a form field whose
// schema has no type is text, not null, and is still checked for presence.
func TestMockFormUntypedField(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "testdata/form.yaml"))
	form := "Content-Type: application/x-www-form-urlencoded"

	got := send(t, srv, http.MethodPost, "/flows", `Name=a&Definition=%7B%22states%22%3A%5B%5D%7D`, form)
	assert.Equal(t, http.StatusCreated, got.status, got.body)

	got = send(t, srv, http.MethodPost, "/flows", `Name=a`, form)
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)
	assert.Contains(t, got.body, `"field":"body#/Definition","rule":"required"`)

	got = send(t, srv, http.MethodPost, "/flows", `Name=toolongname&Definition=x`, form)
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)
	assert.Contains(t, got.body, `"field":"body#/Name","rule":"maxLength"`)
}
