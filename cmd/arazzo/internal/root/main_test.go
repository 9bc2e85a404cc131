package root_test

import (
	"bytes"
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

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/root"
)

const (
	bundled      = "../../../../workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml"
	bundledInput = "../../../../workflows/assembled/arazzo/inputs.example.json"
	bundledAPI   = "../../../../workflows/assembled/openapi/assembled-conversations-api-openapi.yml"
)

func runMain(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	io, out, errOut := cmdutil.TestStreams("", env)
	code := root.Main(t.Context(), args, io)
	return code, out.String(), errOut.String()
}

// assembled answers 202 to both bulk operations when Basic auth carries sk_test as username.
func assembled(t *testing.T, patchStatus int) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	h := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			if r.Header.Get("Authorization") != "Basic c2tfdGVzdDo=" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.WriteHeader(status)
		}
	}
	mux.HandleFunc("POST /v0/conversations/bulk", h(http.StatusAccepted))
	mux.HandleFunc("PATCH /v0/conversations/bulk", h(patchStatus))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestMainRunJSON(t *testing.T) {
	t.Parallel()
	srv := assembled(t, http.StatusAccepted)
	code, stdout, stderr := runMain(t, nil, "run", bundled, "--inputs", bundledInput, "-i", "apiKey=sk_test", "-s", srv.URL, "-o", "json")
	require.Equal(t, 0, code, stderr)

	// stdout is exactly one JSON document.
	dec := json.NewDecoder(strings.NewReader(stdout))
	var res map[string]any
	require.NoError(t, dec.Decode(&res))
	_, err := dec.Token()
	assert.ErrorIs(t, err, io.EOF, "stdout holds more than one JSON document")

	assert.Equal(t, bundled, res["document"])
	assert.Equal(t, true, res["success"])
	wfs := res["workflows"].([]any)
	require.Len(t, wfs, 1)
	wf := wfs[0].(map[string]any)
	assert.Equal(t, "ingest-conversations", wf["workflowId"])
	assert.Equal(t, true, wf["success"])
	assert.Equal(t, "", wf["error"])
	assert.Equal(t, map[string]any{"enrichStatus": float64(202)}, wf["outputs"])
	assert.Contains(t, wf, "durationMs")
	steps := wf["steps"].([]any)
	require.Len(t, steps, 2)
	s0 := steps[0].(map[string]any)
	for _, k := range []string{"stepId", "success", "attempts", "method", "url", "statusCode", "durationMs", "outputs", "error"} {
		assert.Contains(t, s0, k)
	}
	assert.Equal(t, "upsertConversations", s0["stepId"])
	assert.Equal(t, "POST", s0["method"])
	assert.Equal(t, srv.URL+"/v0/conversations/bulk", s0["url"])
	assert.Equal(t, float64(202), s0["statusCode"])
	assert.Equal(t, float64(1), s0["attempts"])
	assert.Equal(t, map[string]any{}, s0["outputs"])
	assert.Equal(t, map[string]any{"statusCode": float64(202)}, steps[1].(map[string]any)["outputs"])
}

func TestMainRunServerError(t *testing.T) {
	t.Parallel()
	srv := assembled(t, http.StatusInternalServerError)
	code, stdout, _ := runMain(t, nil, "run", bundled, "--inputs", bundledInput, "-i", "apiKey=sk_test", "-s", "conversationsApi="+srv.URL)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, `✗ enrichConversations  PATCH `+srv.URL+`/v0/conversations/bulk → 500`)
	assert.Contains(t, stdout, `step "enrichConversations": success criterion "$statusCode == 202" failed (saw $statusCode = 500)`)
	assert.Contains(t, stdout, "FAIL 0 workflows passed, 1 failed (2 steps)")
}

func TestMainRunMock(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runMain(t, nil, "run", bundled, "--inputs", bundledInput, "--mock")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "(mocked")
	assert.Contains(t, stdout, "outputs: enrichStatus=202")
	assert.Contains(t, stdout, "PASS 1 workflow passed, 0 failed (2 steps)")
	assert.Contains(t, stderr, `takes its credentials from input "apiKey"`)
}

// A server that demands Basic auth receives the API key from the environment, which wins over
// the input (cli.md lookup order).
func TestMainRunAuthFromEnv(t *testing.T) {
	t.Parallel()
	srv := assembled(t, http.StatusAccepted)
	env := map[string]string{"ARAZZO_AUTH_CONVERSATIONSAPI_BASICAUTH": "sk_test"}
	code, _, stderr := runMain(t, env, "run", bundled, "--inputs", bundledInput, "-s", srv.URL)
	assert.Equal(t, 0, code, stderr)
	code, _, stderr = runMain(t, nil, "run", bundled, "--inputs", bundledInput, "-s", srv.URL, "--auth", "BasicAuth=sk_test")
	assert.Equal(t, 0, code, stderr)
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func TestMainCannotStart(t *testing.T) {
	t.Parallel()
	api, err := filepath.Abs(bundledAPI)
	require.NoError(t, err)
	badYAML := writeFile(t, "bad.yaml", "arazzo: 1.0.1\ninfo:\n  title: [unclosed\n")
	unknownOp := writeFile(t, "op.yaml", `arazzo: 1.0.1
info: {title: t, version: "1"}
sourceDescriptions:
- name: api
  url: `+api+`
  type: openapi
workflows:
- workflowId: w
  steps:
  - stepId: s
    operationId: bulkUpsertConversation
`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing input", []string{"run", bundled, "-i", "conversations=[]", "-i", "updates=[]", "--mock", "--no-generate-inputs"},
			`error: workflow "ingest-conversations": invalid inputs: missing required input "apiKey": pass -i apiKey=VALUE or put it in --inputs` + "\n"},
		{"unreadable file", []string{"run", "does-not-exist.yaml"}, "error: does-not-exist.yaml: no such file: check the path\n"},
		{"bad yaml", []string{"run", badYAML}, badYAML + ":2:1: error: invalid YAML/JSON: did not find expected ',' or ']' [yaml-syntax]\n"},
		{"unknown operationId", []string{"run", unknownOp, "--mock"},
			unknownOp + `:10:5: error: step "s": operationId "bulkUpsertConversation" not found in api: check the spelling or the source description [unknown-operation]` + "\n"},
		{"unknown workflow", []string{"run", bundled, "-w", "nope", "--mock"},
			`error: workflow "nope" not found: the document has ingest-conversations` + "\n"},
		{"inputs file missing", []string{"run", bundled, "--inputs", "nope.json"}, "error: --inputs nope.json: no such file\n"},
		{"bad flag", []string{"run", bundled, "--bogus"}, "error: unknown flag: --bogus\nRun 'arazzo run --help' for usage.\n"},
		{"bad input flag", []string{"run", bundled, "-i", "novalue"}, "error: -i \"novalue\": use NAME=VALUE or NAME=@file\nRun 'arazzo run --help' for usage.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, nil, tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Equal(t, tc.want, stderr)
		})
	}
}

func TestMainVersion(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runMain(t, nil, "version")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(stdout, "arazzo "), stdout)
	assert.Contains(t, stdout, "go1.")
}

func TestMainHelpHasExamples(t *testing.T) {
	t.Parallel()
	for _, verb := range []string{"run", "version"} {
		code, stdout, _ := runMain(t, nil, verb, "--help")
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout, "Examples:", verb)
	}
	_ = bytes.MinRead
}

// -v shows each exchange on stderr with the credentials hidden, wherever they appear.
func TestMainRunVerboseRedacts(t *testing.T) {
	t.Parallel()
	srv := assembled(t, http.StatusAccepted)
	code, stdout, stderr := runMain(t, nil, "run", bundled, "--inputs", bundledInput, "-s", srv.URL, "-v", "--auth", "BasicAuth=sk_test")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "> [ingest-conversations/upsertConversations attempt 1] POST "+srv.URL+"/v0/conversations/bulk")
	assert.Contains(t, stderr, "> Authorization: ***")
	assert.Contains(t, stderr, `"external_id":"zd-10001"`)
	assert.Contains(t, stderr, "< HTTP/1.1 202")
	for _, secret := range []string{"sk_test", "c2tfdGVzdDo="} {
		assert.NotContains(t, stderr, secret)
		assert.NotContains(t, stdout, secret)
	}
}
