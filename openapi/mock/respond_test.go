package mock_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMockPrefer chooses responses with Prefer (code=, example=) and Accept.
func TestMockPrefer(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "testdata/orders.yaml"))
	order := `{"item":"pen","quantity":1}`
	tests := []struct {
		name         string
		method, path string
		body         string
		headers      []string
		wantStatus   int
		wantType     string
		wantBody     string
		wantLocation string
		wantContain  string
	}{
		{
			name: "lowest 2xx, first example by name, documented header", method: "POST", path: "/shop/v2/orders",
			body: order, headers: []string{bearerOK, jsonBody}, wantStatus: 201, wantType: "application/json",
			wantBody: `{"id":"ord-2","item":"desk","quantity":40,"status":"open"}`, wantLocation: "https://api.example.com/shop/v2/orders/ord-1",
		},
		{
			name: "example by name", method: "POST", path: "/shop/v2/orders",
			body: order, headers: []string{bearerOK, jsonBody, "Prefer: example=small"}, wantStatus: 201, wantType: "application/json",
			wantBody: `{"id":"ord-1","item":"pen","quantity":1,"status":"open"}`,
		},
		{
			name: "code with its example", method: "POST", path: "/shop/v2/orders",
			body: order, headers: []string{bearerOK, jsonBody, "Prefer: code=409"}, wantStatus: 409, wantType: "application/problem+json",
			wantBody: `{"title":"duplicate order"}`,
		},
		{
			name: "code and example in one header", method: "POST", path: "/shop/v2/orders",
			body: order, headers: []string{bearerOK, jsonBody, `Prefer: code=201, example="small"`}, wantStatus: 201, wantType: "application/json",
			wantBody: `{"id":"ord-1","item":"pen","quantity":1,"status":"open"}`,
		},
		{
			name: "example found in another response", method: "POST", path: "/shop/v2/orders",
			body: order, headers: []string{bearerOK, jsonBody, "Prefer: example=duplicate"}, wantStatus: 409, wantType: "application/problem+json",
			wantBody: `{"title":"duplicate order"}`,
		},
		{
			name: "code documented by its range, generated body", method: "POST", path: "/shop/v2/orders",
			body: order, headers: []string{bearerOK, jsonBody, "Prefer: code=404"}, wantStatus: 404, wantType: "application/json",
			wantBody: `{"error":"string"}`,
		},
		{
			name: "undocumented code", method: "POST", path: "/shop/v2/orders",
			body: order, headers: []string{bearerOK, jsonBody, "Prefer: code=500"}, wantStatus: 400, wantType: "application/problem+json",
			wantContain: `"field":"header.Prefer","rule":"prefer","message":"code=500 is not documented for POST /orders: use one of 201, 409, 4XX"`,
		},
		{
			name: "unknown example", method: "POST", path: "/shop/v2/orders",
			body: order, headers: []string{bearerOK, jsonBody, "Prefer: example=huge"}, wantStatus: 400, wantType: "application/problem+json",
			wantContain: `example=huge is not documented for POST /orders: use one of duplicate, large, small`,
		},
		{
			name: "validation comes before Prefer", method: "POST", path: "/shop/v2/orders",
			body: `{}`, headers: []string{bearerOK, jsonBody, "Prefer: code=201"}, wantStatus: 422, wantType: "application/problem+json",
			wantContain: `"field":"body#/item"`,
		},
		{
			name: "JSON first", method: "GET", path: "/shop/v2/orders/ord-1",
			headers: []string{bearerOK}, wantStatus: 200, wantType: "application/json",
			wantBody: `{"id":"string","item":"string","quantity":1,"note":"string","status":"open"}`,
		},
		{
			name: "Accept chooses the media type", method: "GET", path: "/shop/v2/orders/ord-1",
			headers: []string{bearerOK, "Accept: text/csv;q=0.9, application/xml"}, wantStatus: 200, wantType: "text/csv",
			wantContain: "id,item\nord-1,pen\n",
		},
		{
			name: "no content", method: "DELETE", path: "/shop/v2/orders/ord-1",
			headers: []string{"Authorization: Basic dTpw"}, wantStatus: 204,
		},
		{
			name: "response without content", method: "GET", path: "/shop/v2/health", wantStatus: 200,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := send(t, srv, tc.method, tc.path, tc.body, tc.headers...)
			require.Equal(t, tc.wantStatus, got.status, got.body)
			if tc.wantType != "" {
				assert.Equal(t, tc.wantType, got.contentType)
			}
			if tc.wantLocation != "" {
				assert.Equal(t, tc.wantLocation, got.header.Get("Location"))
			}
			switch {
			case tc.wantContain != "":
				assert.Contains(t, got.body, tc.wantContain)
			case tc.wantBody != "":
				assert.JSONEq(t, tc.wantBody, got.body)
			default:
				assert.Empty(t, got.body)
				assert.Empty(t, got.contentType)
			}
		})
	}
}

// TestMockGenerates checks the values generated from schemas with no example.
func TestMockGenerates(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "testdata/generate.yaml"))
	tests := []struct {
		path string
		want string
	}{
		{"/scalars", `{
			"id": "00000000-0000-4000-8000-000000000000", "at": "2024-01-01T00:00:00Z", "day": "2024-01-01",
			"mail": "user@example.com", "link": "https://example.com", "code": "stringxx", "short": "str",
			"size": 5, "ratio": 0.5, "ceiling": -3, "colour": "red", "flag": true, "maybe": "string",
			"fixed": 42, "given": "preset"}`},
		{"/collections", `{"tags": ["string"], "pair": [0, 0], "none": [], "labels": {"key": "string"}}`},
		{"/compositions", `{"pet": {"meows": true}, "either": 3, "both": {"a": "string", "b": 0}}`},
		{"/tree", `{"name": "string", "children": [{"name": "string", "children": [{"name": "string", "children": []}]}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			first := send(t, srv, http.MethodGet, tc.path, "")
			require.Equal(t, http.StatusOK, first.status, first.body)
			assert.JSONEq(t, tc.want, first.body)
			again := send(t, srv, http.MethodGet, tc.path, "")
			assert.Equal(t, first.body, again.body, "same request, same bytes")
		})
	}
}
