package root_test

import (
	"bytes"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
)

const faultDir = "../../../../runtime/testdata/fault"

// writeDoc writes files into a fresh directory and returns the path of the first one named.
func writeDoc(t *testing.T, files map[string]string, main string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600))
	}
	return filepath.Join(dir, main)
}

// Issue 9: a server that keeps answering 5xx, with or without Retry-After, under a retry
// action: exit status 1, and the report has one line naming the step and the cause.
func TestIssue9MainRetry5xx(t *testing.T) {
	t.Parallel()
	for _, retryAfter := range []string{"", "0"} {
		t.Run("Retry-After "+retryAfter, func(t *testing.T) {
			t.Parallel()
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				if retryAfter != "" {
					w.Header().Set("Retry-After", retryAfter)
				}
				w.WriteHeader(http.StatusBadGateway)
			}))
			t.Cleanup(srv.Close)
			code, stdout, stderr := runMain(t, nil, "run", filepath.Join(faultDir, "retry.arazzo.yaml"), "-s", srv.URL)
			assert.Equal(t, 1, code, stderr)
			assert.Equal(t, 3, calls)
			assert.Empty(t, stderr)
			want := `step "getThing": success criterion "$statusCode == 200" failed (saw $statusCode = 502)`
			assert.Equal(t, 1, strings.Count(stdout, want), stdout)
			assert.Contains(t, stdout, "3 attempts")
		})
	}
}

// Issue 9: the limits hold through the command: a document over the size cap, an alias bomb
// (as document and as --inputs), a condition nested too deep and a workflow that calls itself
// each end with one line that says what to change.
func TestIssue9MainLimits(t *testing.T) {
	t.Parallel()
	api, err := os.ReadFile(filepath.Join(faultDir, "api.openapi.yaml"))
	require.NoError(t, err)
	var bomb strings.Builder
	bomb.WriteString("x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 8; i++ {
		bomb.WriteString("x" + string(rune('0'+i)) + ": &x" + string(rune('0'+i)) + " [" + strings.TrimSuffix(strings.Repeat("*x"+string(rune('0'+i-1))+", ", 10), ", ") + "]\n")
	}
	head := "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: api, url: api.yaml, type: openapi}]\n"
	step := "    steps:\n      - stepId: getThing\n        operationId: getThing\n"
	big := writeDoc(t, map[string]string{"big.yaml": head + "# " + strings.Repeat("x", arazzo.MaxDocumentBytes) + "\n"}, "big.yaml")
	bombDoc := writeDoc(t, map[string]string{"api.yaml": string(api),
		"bomb.yaml": head + strings.ReplaceAll(bomb.String(), "\nx", "\nx-") + "workflows:\n  - workflowId: w\n    x-bomb: *x8\n" + step}, "bomb.yaml")
	okDoc := writeDoc(t, map[string]string{"api.yaml": string(api), "ok.yaml": head + "workflows:\n  - workflowId: w\n" + step,
		"inputs.yaml": bomb.String()}, "ok.yaml")
	deepCond := writeDoc(t, map[string]string{"api.yaml": string(api), "deep.yaml": head + "workflows:\n  - workflowId: w\n" + step +
		"        successCriteria: [{condition: \"" + strings.Repeat("(", 101) + "$statusCode == 200" + strings.Repeat(")", 101) + "\"}]\n"}, "deep.yaml")
	recursive := writeDoc(t, map[string]string{"api.yaml": string(api), "rec.yaml": head +
		"workflows:\n  - workflowId: w\n    steps:\n      - stepId: again\n        workflowId: w\n"}, "rec.yaml")
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"document over the size cap", []string{"run", big}, 2, "larger than 16777216 bytes"},
		{"alias bomb document", []string{"run", bombDoc, "--dry-run"}, 2, "aliases expand the document to more than"},
		{"alias bomb inputs", []string{"run", okDoc, "--dry-run", "--inputs", filepath.Join(filepath.Dir(okDoc), "inputs.yaml")}, 2, "aliases expand the document to more than"},
		{"condition nested too deep", []string{"run", deepCond, "--dry-run"}, 2, "more than 100 deep: simplify it"},
		{"workflow calling itself", []string{"run", recursive, "-o", "json"}, 1, "maximum workflow depth reached (32)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, nil, tc.args...)
			assert.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			if tc.code == 2 {
				assert.Empty(t, stdout)
				assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, stderr)
				assert.Contains(t, stderr, tc.wantErr)
				return
			}
			assert.Contains(t, stdout, tc.wantErr)
		})
	}
}

// Issue 9: a document may name its sources by path or http(s) URL only; other schemes are
// refused before anything is read, by run, validate and mock alike.
func TestIssue9MainSourcePolicy(t *testing.T) {
	t.Parallel()
	doc := writeDoc(t, map[string]string{"ftp.yaml": "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\n" +
		"sourceDescriptions: [{name: api, url: 'ftp://127.0.0.1/api.yaml', type: openapi}]\n" +
		"workflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        operationId: getThing\n"}, "ftp.yaml")
	for _, args := range [][]string{{"run", doc, "--dry-run"}, {"validate", doc}, {"mock", doc}} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, nil, args...)
			all := stdout + stderr
			assert.NotEqual(t, 0, code, all)
			assert.Contains(t, all, `source description "api": source url not allowed: ftp://127.0.0.1/api.yaml: only paths and http(s) URLs are loaded; pass --source NAME=PATH for anything else`)
		})
	}
}

// Issue 9: an OpenAPI description's $ref to another host is followed only with
// --allow-remote-refs.
func TestIssue9MainAllowRemoteRefs(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("Thing: {type: object, properties: {id: {type: string}}}\n"))
	}))
	t.Cleanup(other.Close)
	api, err := os.ReadFile(filepath.Join(faultDir, "api.openapi.yaml"))
	require.NoError(t, err)
	withRef := bytes.Replace(api, []byte("schema: {type: object, properties: {id: {type: string}}}"),
		[]byte("schema: {$ref: '"+other.URL+"/schemas.yaml#/Thing'}"), 1)
	require.NotEqual(t, api, withRef)
	doc := writeDoc(t, map[string]string{"api.yaml": string(withRef), "flow.yaml": "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\n" +
		"sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]\n" +
		"workflows:\n  - workflowId: w\n    steps:\n      - stepId: getThing\n        operationId: getThing\n"}, "flow.yaml")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"validate", doc}, 1, "remote reference " + other.URL + "/schemas.yaml"},
		{[]string{"validate", doc, "--allow-remote-refs"}, 0, ""},
		{[]string{"run", doc, "--dry-run"}, 2, "remote reference"},
		{[]string{"run", doc, "--dry-run", "--allow-remote-refs"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.args[0]+strings.Join(tc.args[2:], " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, nil, tc.args...)
			assert.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			assert.Contains(t, stdout+stderr, tc.want)
		})
	}
}

// Issue 9: documents and sources fetched over https from a server with a private CA load with
// --ca-cert, for validate and run alike; without it the error says which flag to use.
func TestIssue9MainCACertFetch(t *testing.T) {
	t.Parallel()
	api, err := os.ReadFile(filepath.Join(faultDir, "api.openapi.yaml"))
	require.NoError(t, err)
	flow := "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: api, url: api.yaml, type: openapi}]\n" +
		"workflows:\n  - workflowId: w\n    steps:\n      - stepId: getThing\n        operationId: getThing\n"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /flow.yaml", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(flow)) })
	mux.HandleFunc("GET /api.yaml", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(api) })
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"validate untrusted", []string{"validate", srv.URL + "/flow.yaml"}, 2, "certificate signed by unknown authority (if you trust this server, pass its CA certificate with --ca-cert FILE)"},
		{"validate trusted", []string{"validate", srv.URL + "/flow.yaml", "--ca-cert", ca}, 0, ""},
		{"run trusted", []string{"run", srv.URL + "/flow.yaml", "--dry-run", "--ca-cert", ca}, 0, "GET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, nil, tc.args...)
			assert.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			assert.Contains(t, stdout+stderr, tc.want)
		})
	}
}
