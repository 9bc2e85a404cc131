package root_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/root"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	shopDoc  = "testdata/shop/shop.arazzo.yaml"
	authDoc  = "testdata/shop/auth.arazzo.yaml"
	shopAPI  = "testdata/shop/shop.openapi.yaml"
	bearer   = "BEARER-SECRET-1"
	queryKey = "QUERY-SECRET-2"
	pin      = "PIN-SECRET-3"
)

// shopAPIServer serves shop.openapi.yaml under /api: POST /login answers the item to fetch (and
// echoes the pin, so redaction of response bodies is tested); GET /items/{id} wants the api_key
// query parameter.
type shopAPIServer struct {
	*httptest.Server
	mu       sync.Mutex
	auths    []string // the Authorization header of each login
	breakGet bool     // drop the connection on GET /items
	started  chan struct{}
	block    bool // GET /items waits until the client goes away
}

func newShop(t *testing.T, configure func(*shopAPIServer)) *shopAPIServer {
	t.Helper()
	s := &shopAPIServer{started: make(chan struct{})}
	if configure != nil {
		configure(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ User, Pin string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "SESSION-SECRET-4"})
		_ = json.NewEncoder(w).Encode(map[string]string{"item": "i-1", "pin": body.Pin})
	})
	mux.HandleFunc("GET /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case s.block:
			close(s.started)
			<-r.Context().Done()
			return
		case s.breakGet:
			panic(http.ErrAbortHandler)
		case r.URL.Query().Get("api_key") != queryKey:
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"name":"widget `+r.PathValue("id")+`"}`)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *shopAPIServer) lastAuth() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.auths) == 0 {
		return ""
	}
	return s.auths[len(s.auths)-1]
}

type mainCall struct {
	ctx    context.Context
	stdin  string
	env    map[string]string
	client *http.Client
}

func (c mainCall) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	streams, out, errOut := cmdutil.TestStreams(c.stdin, c.env)
	if c.client != nil {
		streams.HTTPClient = c.client
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = t.Context()
	}
	code := root.Main(ctx, args, streams)
	return code, out.String(), errOut.String()
}

// golden compares got with testdata/golden/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./... -update to create %s", path)
	assert.Equal(t, string(want), string(got), "golden file %s differs; review and run go test ./... -update", path)
}

var junitTime = regexp.MustCompile(`time="[0-9.]+"`)

// normalizeHAR fixes what changes from run to run: times, dates and the server's port.
func normalizeHAR(t *testing.T, data []byte, srvURL string) []byte {
	t.Helper()
	var har map[string]any
	require.NoError(t, json.Unmarshal(data, &har))
	log := har["log"].(map[string]any)
	log["creator"].(map[string]any)["version"] = "VERSION"
	for _, e := range log["entries"].([]any) {
		entry := e.(map[string]any)
		entry["startedDateTime"] = "2000-01-01T00:00:00Z"
		entry["time"] = 0
		entry["timings"].(map[string]any)["wait"] = 0
		for _, h := range entry["response"].(map[string]any)["headers"].([]any) {
			if h.(map[string]any)["name"] == "Date" {
				h.(map[string]any)["value"] = "DATE"
			}
		}
	}
	out, err := json.MarshalIndent(har, "", "  ")
	require.NoError(t, err)
	return []byte(strings.ReplaceAll(string(out)+"\n", srvURL, "http://127.0.0.1:PORT"))
}

// One run writes the JSON result, the JUnit file and the HAR file together.
func TestMainRunReportsTogether(t *testing.T) {
	t.Parallel()
	srv := newShop(t, nil)
	dir := t.TempDir()
	junit, har := filepath.Join(dir, "report.xml"), filepath.Join(dir, "exchanges.har")
	env := map[string]string{"ARAZZO_AUTH_SHOP_QUERYKEY": queryKey}
	code, stdout, stderr := mainCall{env: env}.run(t, "run", shopDoc, "-i", "user=ann", "-i", "pin="+pin, "--auth", "bearer="+bearer,
		"-s", "shop="+srv.URL+"/api", "-o", "json", "--junit", junit, "--har", har)
	require.Equal(t, 0, code, stderr)

	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	assert.Equal(t, true, res["success"])

	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(x, new(struct{})), "the JUnit file is XML")
	golden(t, "shop.junit.xml", []byte(strings.ReplaceAll(junitTime.ReplaceAllString(string(x), `time="0.000"`), srv.URL, "http://127.0.0.1:PORT")))

	h, err := os.ReadFile(har)
	require.NoError(t, err)
	golden(t, "shop.har.json", normalizeHAR(t, h, srv.URL))
}

// A failed criterion is a JUnit <failure>; a request that could not be sent is an <error>.
func TestMainRunJUnitFailureAndError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		configure func(*shopAPIServer)
		env       map[string]string
		want      string
	}{
		{"criterion", nil, nil, `<failure message="step &#34;fetch&#34;: success criterion &#34;$statusCode == 200&#34; failed (saw $statusCode = 401)" type="criterion">`},
		{"transport", func(s *shopAPIServer) { s.breakGet = true }, map[string]string{"ARAZZO_AUTH_QUERYKEY": queryKey}, `<error message="step &#34;fetch&#34;: GET http://127.0.0.1:PORT/api/items/i-1?api_key=***: EOF" type="error">`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newShop(t, tc.configure)
			junit := filepath.Join(t.TempDir(), "report.xml")
			code, stdout, _ := mainCall{env: tc.env}.run(t, "run", shopDoc, "-i", "user=ann", "-i", "pin="+pin, "-s", srv.URL+"/api", "--junit", junit)
			assert.Equal(t, 1, code, stdout)
			x, err := os.ReadFile(junit)
			require.NoError(t, err)
			got := strings.ReplaceAll(string(x), srv.URL, "http://127.0.0.1:PORT")
			assert.Contains(t, got, tc.want)
			assert.Contains(t, got, `<testsuite name="buy" tests="2" failures=`)
		})
	}
}

// No secret reaches any output or file: not --auth values, ARAZZO_AUTH_* values, password
// inputs, or an apiKey sent in the query, whether the run passes or fails.
func TestMainRunSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	secrets := []string{bearer, queryKey, pin, "SESSION-SECRET-4"}
	for _, breakGet := range []bool{false, true} {
		for _, args := range [][]string{{"-v"}, {"-o", "json"}, {"-v", "-o", "json"}, {"--dry-run"}, {"--dry-run", "-o", "json"}} {
			name := strings.Join(args, " ")
			if breakGet {
				name += " failing"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := newShop(t, func(s *shopAPIServer) { s.breakGet = breakGet })
				dir := t.TempDir()
				junit, har := filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.har")
				env := map[string]string{"ARAZZO_AUTH_SHOP_QUERYKEY": queryKey}
				argv := append([]string{"run", shopDoc, "-i", "user=ann", "-i", "pin=" + pin, "--auth", "shop.bearer=" + bearer,
					"-s", srv.URL + "/api", "--junit", junit, "--har", har}, args...)
				code, stdout, stderr := mainCall{env: env}.run(t, argv...)
				if breakGet && !strings.Contains(name, "dry-run") {
					assert.Equal(t, 1, code, stderr)
				} else {
					assert.Equal(t, 0, code, stderr)
				}
				x, err := os.ReadFile(junit)
				require.NoError(t, err)
				h, err := os.ReadFile(har)
				require.NoError(t, err)
				for _, secret := range secrets {
					assert.NotContains(t, stdout, secret, "stdout")
					assert.NotContains(t, stderr, secret, "stderr")
					assert.NotContains(t, string(x), secret, "junit")
					assert.NotContains(t, string(h), secret, "har")
				}
				assert.Contains(t, stdout+stderr, "***")
			})
		}
	}
}

func TestMainRunDryRun(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runMain(t, map[string]string{"ARAZZO_AUTH_QUERYKEY": queryKey}, "run", shopDoc, "-i", "user=ann", "-i", "pin="+pin,
		"--auth", "bearer="+bearer, "--server-var", "port=9", "--dry-run")
	require.Equal(t, 0, code, stderr)
	want := `○ buy/login
    POST http://127.0.0.1:9/api/login
    Authorization: ***
    Content-Type: application/json
    
    {"pin":"***","user":"ann"}
    - $statusCode == 200 (skipped: needs a response)
○ buy/fetch
    GET http://127.0.0.1:9/api/items/<$steps.login.outputs.item>?api_key=***
    - $statusCode == 200 (skipped: needs a response)

DRY RUN 2 steps built, 0 could not be built; nothing was sent
`
	assert.Equal(t, want, stdout)

	// A request that cannot be built fails the dry run, and the other steps are still shown.
	bad := writeFile(t, "bad.arazzo.yaml", strings.Replace(mustRead(t, shopDoc), "value: $steps.login.outputs.item", "value: $inputs.nope", 1))
	require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(bad), "shop.openapi.yaml"), []byte(mustRead(t, shopAPI)), 0o600))
	code, stdout, _ = runMain(t, nil, "run", bad, "-i", "user=ann", "-i", "pin=1234", "--dry-run", "-s", "http://127.0.0.1:9")
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "✗ buy/fetch")
	assert.Contains(t, stdout, "DRY RUN FAILED 1 step built, 1 could not be built")
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}

func TestMainRunInputs(t *testing.T) {
	t.Parallel()
	srv := newShop(t, nil)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	jsonIn := write("in.json", `{"user": "ann", "pin": "1234"}`)
	yamlIn := write("in.yaml", "user: ann\npin: '1234'\n")
	keyed := write("keyed.yaml", "buy:\n  user: ann\n  pin: '1234'\n")
	pinFile := write("pin.txt", "1234\n")
	base := []string{"run", shopDoc, "-s", srv.URL + "/api", "--auth", "bearer=" + bearer, "-o", "json"}
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"json file", "", []string{"--inputs", jsonIn}},
		{"yaml file", "", []string{"--inputs", yamlIn}},
		{"keyed by workflowId", "", []string{"--inputs", keyed}},
		{"stdin", `{"user": "ann", "pin": "1234"}`, []string{"--inputs", "-"}},
		{"flag wins over file", "", []string{"--inputs", write("other.json", `{"user": "bob", "pin": "1"}`), "-i", "user=ann", "-i", "pin=1234"}},
		{"value from a file", "", []string{"-i", "user=ann", "-i", "pin=@" + pinFile}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := mainCall{stdin: tc.stdin}.run(t, append(append([]string{}, base...), tc.args...)...)
			require.Equal(t, 1, code, stderr) // the api key is missing: the fetch gets 401
			var res struct {
				Workflows []struct {
					Steps []struct {
						StatusCode int `json:"statusCode"`
					} `json:"steps"`
				} `json:"workflows"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &res))
			assert.Equal(t, 200, res.Workflows[0].Steps[0].StatusCode)
			assert.Equal(t, "Bearer "+bearer, srv.lastAuth())
		})
	}
}

// Inputs are checked against the schema before any request, and every problem is listed.
func TestMainRunInvalidInputs(t *testing.T) {
	t.Parallel()
	srv := newShop(t, nil)
	code, stdout, stderr := runMain(t, nil, "run", shopDoc, "-i", "count=many", "-s", srv.URL+"/api")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `missing required input "user"`)
	assert.Contains(t, stderr, `missing required input "pin"`)
	assert.Contains(t, stderr, "input count:")
	assert.Empty(t, srv.auths, "no request was sent")
}

func TestMainRunServersAndSources(t *testing.T) {
	t.Parallel()
	srv := newShop(t, nil)
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	api, err := filepath.Abs(shopAPI)
	require.NoError(t, err)
	moved := writeFile(t, "moved.arazzo.yaml", strings.Replace(mustRead(t, shopDoc), "url: shop.openapi.yaml", "url: missing.openapi.yaml", 1))
	in := []string{"-i", "user=ann", "-i", "pin=1234", "--auth", "bearer=" + bearer, "--auth", "queryKey=" + queryKey}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"server for one source", []string{"run", shopDoc, "-s", "shop=" + srv.URL + "/api"}, 0, "PASS"},
		{"server for every source", []string{"run", shopDoc, "-s", srv.URL + "/api"}, 0, "PASS"},
		{"server variables", []string{"run", shopDoc, "--server-var", "port=" + port, "--server-var", "base=api"}, 0, "PASS"},
		{"source from another path", []string{"run", moved, "--source", "shop=" + api, "-s", srv.URL + "/api"}, 0, "PASS"},
		{"unknown source", []string{"run", shopDoc, "-s", "nope=" + srv.URL}, 2, `the document has no source description "nope"`},
		{"server that is not a url", []string{"run", shopDoc, "-s", "shop=localhost"}, 2, "the URL must start with http:// or https://"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, nil, append(tc.args, in...)...)
			assert.Equal(t, tc.code, code, stdout+stderr)
			assert.Contains(t, stdout+stderr, tc.want)
		})
	}
}

// Credentials are looked up in cli.md's order, first match wins: --auth, then
// ARAZZO_AUTH_<SOURCE>_<SCHEME>, ARAZZO_AUTH_<SCHEME>, the step's x-security, an input by
// convention; a header the step sets itself is never replaced.
func TestMainRunCredentialOrder(t *testing.T) {
	t.Parallel()
	allEnv := map[string]string{"ARAZZO_AUTH_SHOP_BEARER": "ENVSRC", "ARAZZO_AUTH_BEARER": "ENV"}
	tests := []struct {
		name     string
		workflow string
		env      map[string]string
		args     []string
		want     string
	}{
		{"--auth first", "xsec", allEnv, []string{"--auth", "bearer=FLAG"}, "Bearer FLAG"},
		{"--auth for the source", "xsec", allEnv, []string{"--auth", "shop.bearer=FLAGSRC"}, "Bearer FLAGSRC"},
		{"source env before scheme env", "xsec", allEnv, nil, "Bearer ENVSRC"},
		{"scheme env", "xsec", map[string]string{"ARAZZO_AUTH_BEARER": "ENV"}, nil, "Bearer ENV"},
		{"x-security before inputs", "xsec", nil, nil, "Bearer XSEC"},
		{"input by convention", "plain", nil, nil, "Bearer INPUT"},
		{"the step's own header", "own", allEnv, []string{"--auth", "bearer=FLAG"}, "Bearer OWN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newShop(t, nil)
			args := []string{"run", authDoc, "-w", tc.workflow, "-s", srv.URL + "/api"}
			switch tc.workflow {
			case "xsec":
				args = append(args, "-i", "xsec=XSEC", "-i", "token=INPUT")
			case "plain":
				args = append(args, "-i", "token=INPUT")
			}
			code, stdout, stderr := mainCall{env: tc.env}.run(t, append(args, tc.args...)...)
			require.Equal(t, 0, code, stdout+stderr)
			assert.Equal(t, tc.want, srv.lastAuth())
		})
	}
}

// Ctrl-C cancels the request in flight; the partial report and the files are still written.
func TestMainRunInterrupted(t *testing.T) {
	t.Parallel()
	srv := newShop(t, func(s *shopAPIServer) { s.block = true })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		<-srv.started
		cancel()
	}()
	dir := t.TempDir()
	junit, har := filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.har")
	code, stdout, stderr := mainCall{ctx: ctx}.run(t, "run", shopDoc, "-i", "user=ann", "-i", "pin=1234", "-s", srv.URL+"/api",
		"--auth", "bearer="+bearer, "--junit", junit, "--har", har)
	assert.Equal(t, 130, code)
	assert.Contains(t, stdout, "✓ login")
	assert.Contains(t, stdout, "✗ fetch")
	assert.Contains(t, stdout, "FAIL")
	assert.Contains(t, stderr, "interrupted")
	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Contains(t, string(x), `<testcase name="login"`)
	assert.Contains(t, string(x), `<testcase name="fetch"`)
	h, err := os.ReadFile(har)
	require.NoError(t, err)
	assert.Equal(t, 2, bytes.Count(h, []byte(`"_stepId"`)))
}

func TestMainList(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runMain(t, nil, "list", shopDoc)
	require.Equal(t, 0, code, stderr)
	golden(t, "shop.list.txt", []byte(stdout))

	code, stdout, stderr = runMain(t, nil, "list", shopDoc, "-o", "json")
	require.Equal(t, 0, code, stderr)
	var l map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &l))
	wf := l["workflows"].([]any)[0].(map[string]any)
	assert.Equal(t, "buy", wf["workflowId"])
	assert.Equal(t, map[string]any{"name": "pin", "type": "string (password)", "required": true}, wf["inputs"].([]any)[0])

	code, _, stderr = runMain(t, nil, "list", "nope.yaml")
	assert.Equal(t, 2, code)
	assert.Equal(t, "error: nope.yaml: no such file: check the path\n", stderr)
}

func TestMainCompletion(t *testing.T) {
	t.Parallel()
	for shell, want := range map[string]string{"bash": "bash completion V2 for arazzo", "zsh": "#compdef arazzo", "fish": "fish completion for arazzo"} {
		code, stdout, stderr := runMain(t, nil, "completion", shell)
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, want)
	}
	code, _, stderr := runMain(t, nil, "completion", "powershell")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "give one shell: bash, zsh or fish")
}
