package run

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/runtime"
)

const shopDoc = "../root/testdata/shop/shop.arazzo.yaml"

func shopServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"item":"i-1"}`))
	})
	mux.HandleFunc("GET /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"name":"` + r.PathValue("id") + `"}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestRunRun(t *testing.T) {
	t.Parallel()
	srv := shopServer(t)
	defaults := func(io *cmdutil.IOStreams) *Options {
		return &Options{IO: io, File: shopDoc, Output: OutputText, Timeout: time.Second, MaxSteps: 10, MaxResponseBytes: 1 << 20,
			Inputs: []string{"user=ann", "pin=s3cret-pin"}, Servers: []string{srv.URL + "/api"}, Auth: []string{"bearer=tok-123", "queryKey=key-456"}}
	}
	tests := []struct {
		name  string
		opts  func(o *Options)
		tty   bool
		check func(t *testing.T, stdout, stderr string, o *Options)
	}{
		{"text", nil, false, func(t *testing.T, stdout, stderr string, _ *Options) {
			assert.Contains(t, stdout, "✓ buy")
			assert.Contains(t, stdout, "✓ fetch  GET "+srv.URL+"/api/items/i-1?api_key=*** → 200")
			assert.Contains(t, stdout, `outputs: name="i-1"`)
			assert.Contains(t, stdout, "PASS 1 workflow passed, 0 failed (2 steps)")
			assert.NotContains(t, stdout, "\x1b[")
			assert.Empty(t, stderr)
		}},
		{"colour on a terminal", nil, true, func(t *testing.T, stdout, _ string, _ *Options) {
			assert.Contains(t, stdout, "\x1b[32m✓\x1b[0m")
		}},
		{"json", func(o *Options) { o.Output = OutputJSON }, false, func(t *testing.T, stdout, _ string, _ *Options) {
			var res runtime.Result
			require.NoError(t, json.Unmarshal([]byte(stdout), &res))
			assert.True(t, res.Success)
			assert.Equal(t, srv.URL+"/api/items/i-1?api_key=***", res.Workflows[0].Steps[1].URL)
		}},
		{"verbose", func(o *Options) { o.Verbose = true }, false, func(t *testing.T, _, stderr string, _ *Options) {
			assert.Contains(t, stderr, "> [buy/login attempt 1] POST "+srv.URL+"/api/login")
			assert.Contains(t, stderr, `> {"pin":"***","user":"ann"}`)
			assert.NotContains(t, stderr, "s3cret-pin")
		}},
		{"files", func(o *Options) {
			dir := t.TempDir()
			o.JUnit, o.HAR = filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.har")
		}, false, func(t *testing.T, _, _ string, o *Options) {
			x, err := os.ReadFile(o.JUnit)
			require.NoError(t, err)
			assert.Contains(t, string(x), `<testsuite name="buy" tests="2" failures="0" errors="0"`)
			h, err := os.ReadFile(o.HAR)
			require.NoError(t, err)
			assert.Contains(t, string(h), `"version": "1.2"`)
			assert.NotContains(t, string(h), "tok-123")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			io, out, errOut := cmdutil.TestStreams("", nil)
			io.OutTTY, io.ErrTTY = tc.tty, tc.tty
			o := defaults(io)
			if tc.opts != nil {
				tc.opts(o)
			}
			require.NoError(t, runRun(t.Context(), o))
			tc.check(t, out.String(), errOut.String(), o)
		})
	}
}

// NO_COLOR turns colour off even on a terminal.
func TestRunRunNoColor(t *testing.T) {
	t.Parallel()
	srv := shopServer(t)
	io, out, _ := cmdutil.TestStreams("", map[string]string{"NO_COLOR": "1"})
	io.OutTTY, io.ErrTTY = true, true
	o := &Options{IO: io, File: shopDoc, Output: OutputText, Timeout: time.Second, MaxSteps: 10, MaxResponseBytes: 1 << 20,
		Inputs: []string{"user=ann", "pin=1234"}, Servers: []string{srv.URL + "/api"}, Auth: []string{"bearer=t", "queryKey=k"}}
	require.NoError(t, runRun(t.Context(), o))
	assert.NotContains(t, out.String(), "\x1b[")
}

func TestNewRedactorSecretInputs(t *testing.T) {
	t.Parallel()
	io, _, _ := cmdutil.TestStreams("", map[string]string{"ARAZZO_AUTH_X": "env-secret", "OTHER": "visible"})
	o := &Options{IO: io}
	ro := runtime.RunOptions{
		Auth: []runtime.Credential{{Scheme: "basic", Value: "user1:pass1"}},
		Inputs: map[string]any{
			"pin": "pin-value", "apiKey": "key-value", "name": "visible-name",
			"nested": map[string]any{"clientSecret": "nested-secret"},
		},
	}
	doc := mustParse(t, shopDoc)
	r := newRedactor(o, ro, doc)
	got := r.String("pin-value key-value visible-name nested-secret user1:pass1 pass1 env-secret visible")
	assert.Equal(t, "*** *** visible-name *** *** *** *** visible", got)
	assert.False(t, strings.Contains(got, "secret"))
}

func mustParse(t *testing.T, name string) *arazzo.Document {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	doc, err := arazzo.Parse(name, data)
	require.NoError(t, err)
	return doc
}

// TestReadInputsFile (issue 8): --inputs files are decoded as they are read; JSON and YAML
// give the same inputs, and unreadable or invalid files the same errors as before.
func TestReadInputsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(data), 0o600))
		return p
	}
	for _, tc := range []struct {
		name, file string
		want       map[string]any
		wantErr    string
	}{
		{"json", write("in.json", `{"n":1,"l":["a",{"b":true}]}`), map[string]any{"n": 1, "l": []any{"a", map[string]any{"b": true}}}, ""},
		{"yaml", write("in.yaml", "n: 1\nl: [a, {b: true}]\n"), map[string]any{"n": 1, "l": []any{"a", map[string]any{"b": true}}}, ""},
		{"empty", write("empty.json", ""), map[string]any{}, ""},
		{"missing", filepath.Join(dir, "nope.json"), nil, "--inputs " + filepath.Join(dir, "nope.json") + ": no such file"},
		{"directory", dir, nil, "--inputs " + dir + ": is a directory"},
		{"invalid", write("bad.json", `{"a":`), nil, "--inputs: " + filepath.Join(dir, "bad.json") + ":"},
		{"not an object", write("list.json", `[1]`), nil, "must hold an object of inputs, not []interface {}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := readInputs(&Options{InputsFile: tc.file}, &arazzo.Document{})
			if tc.wantErr != "" {
				var cs *cmdutil.CannotStartError
				require.ErrorAs(t, err, &cs)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
