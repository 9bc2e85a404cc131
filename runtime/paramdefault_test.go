package runtime_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// paramDefaultAPI declares required parameters that a step may leave out: some imply a value
// (default, single-member enum, const), one implies none, one is an API key a scheme fills.
const paramDefaultAPI = `openapi: 3.1.0
info: { title: defaults, version: 1.0.0 }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Api-Key }
paths:
  /pricing/{region}:
    post:
      operationId: price
      security: [ { key: [] } ]
      parameters:
        - { name: region, in: path, required: true, schema: { type: string, default: eu } }
        - { name: X-HTTP-Method-Override, in: header, required: true, schema: { type: string, default: GET } }
        - { name: version, in: query, required: true, schema: { type: string, enum: ["2024-06-01"] } }
        - { name: mode, in: query, required: true, schema: { type: string, const: fast } }
        - { name: Accept, in: header, required: true, schema: { type: string, default: text/plain } }
        - { name: X-Api-Key, in: header, required: true, schema: { type: string, default: not-a-key } }
        - { name: optional, in: query, required: false, schema: { type: string, default: skipped } }
      responses:
        "200": { description: ok }
`

const paramDefaultDoc = `arazzo: 1.0.1
info: { title: defaults, version: 1.0.0 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
workflows:
  - workflowId: price
    steps:
      - stepId: price
        operationId: price
        parameters:
          - { name: mode, in: query, value: slow }
        successCriteria:
          - condition: $statusCode == 200
`

func runParamDefault(t *testing.T, opts ...func(*runtime.RunOptions)) *specRun {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api.openapi.yaml"), []byte(paramDefaultAPI), 0o600))
	return runAt(t, filepath.Join(dir, "doc.arazzo.yaml"), paramDefaultDoc, map[string][]reply{"POST /pricing/eu": {js(200, `{}`)}}, opts...)
}

// A required parameter the step leaves out is sent with the value the description implies for
// it, with a warning naming it; the step's own values, optional parameters, the headers OpenAPI
// ignores and parameters a security scheme fills are left alone.
func TestRequiredParameterDefault(t *testing.T) {
	r := runParamDefault(t, withInputs(map[string]any{}))
	w := r.wf(t, "price")
	require.True(t, w.Success, w.Error)
	got := r.srv.requests()
	require.Len(t, got, 1)
	assert.Equal(t, "/pricing/eu", got[0].Path)
	assert.Equal(t, "GET", got[0].Header.Get("X-HTTP-Method-Override"))
	assert.Equal(t, "mode=slow&version=2024-06-01", got[0].Query, "the step's mode wins over the const; the enum's only member fills version")
	assert.NotEqual(t, "text/plain", got[0].Header.Get("Accept"), "Accept is the request's own header")
	assert.NotEqual(t, "not-a-key", got[0].Header.Get("X-Api-Key"), "a security scheme's parameter is credentials, never a default")
	warnings := strings.Join(r.res.Warnings, "\n")
	for _, want := range []string{
		`step "price" does not set required path parameter "region" of POST /pricing/{region}; it was sent with the description's default "eu": add it to the step's parameters [parameter-default]`,
		`required header parameter "X-HTTP-Method-Override" of POST /pricing/{region}; it was sent with the description's default "GET"`,
		`required query parameter "version" of POST /pricing/{region}; it was sent with the description's enum "2024-06-01"`,
	} {
		assert.Contains(t, warnings, want)
	}
	assert.NotContains(t, warnings, `"mode"`)
	assert.NotContains(t, warnings, `"optional"`)
}

// Strict mode refuses to fill a required parameter from the description: the step fails before
// anything is sent, saying which parameter to add.
func TestRequiredParameterDefaultStrict(t *testing.T) {
	r := runParamDefault(t, func(o *runtime.RunOptions) { o.Strict = true })
	w := r.wf(t, "price")
	require.False(t, w.Success)
	assert.Contains(t, w.Error, `step "price" does not set required path parameter "region" of POST /pricing/{region}, and strict mode does not send the description's default "eu" in its place: add it to the step's parameters [parameter-default]`)
	assert.Empty(t, r.srv.requests())
}

// validate's missing-parameter finding says which value runs will send.
func TestRequiredParameterDefaultCheck(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api.openapi.yaml"), []byte(paramDefaultAPI), 0o600))
	doc := filepath.Join(dir, "doc.arazzo.yaml")
	require.NoError(t, os.WriteFile(doc, []byte(paramDefaultDoc), 0o600))
	parsed, err := arazzo.ParseFile(doc)
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	diags := r.Check(t.Context(), parsed, runtime.CheckOptions{})
	var lines []string
	for _, d := range diags {
		lines = append(lines, d.Error())
	}
	text := strings.Join(lines, "\n")
	assert.Contains(t, text, `does not set required header parameter "X-HTTP-Method-Override" of POST /pricing/{region}; runs send the description's default "GET" in its place: add it to the step's parameters [missing-parameter]`)
	assert.NotContains(t, text, `"Accept"`)
}
