package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/report"
	"github.com/arazzo-runner/arazzo/runtime"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./... -update to create %s", path)
	assert.Equal(t, string(want), string(got))
}

// sample has a passing step, a failed criterion, a transport error, a step run twice by goto,
// and a workflow that failed without a failing step.
func sample() *runtime.Result {
	return &runtime.Result{Document: "flow.yaml", Workflows: []*runtime.WorkflowResult{
		{WorkflowID: "order", DurationMs: 12.5, Steps: []*runtime.StepResult{
			{StepID: "create", Success: true, Attempts: 1, Method: "POST", URL: "http://api.test/orders", StatusCode: 201, DurationMs: 4,
				Criteria: []runtime.CriterionResult{{Condition: "$statusCode == 201", Passed: true}}},
			{StepID: "poll", Success: false, Attempts: 3, Method: "GET", URL: "http://api.test/orders/1", StatusCode: 202, DurationMs: 3, Action: "goto:poll",
				Error:    `step "poll": success criterion "$statusCode == 200" failed (saw $statusCode = 202)`,
				Criteria: []runtime.CriterionResult{{Condition: "$statusCode == 200", Seen: "$statusCode = 202"}}},
			{StepID: "poll", Success: false, Attempts: 1, Method: "GET", URL: "http://api.test/orders/1", DurationMs: 1,
				Error: `step "poll": GET http://api.test/orders/1: connection refused`},
		}, Error: `step "poll": GET http://api.test/orders/1: connection refused`},
		{WorkflowID: "loop", DurationMs: 1, Error: `step "a": maximum step executions reached (1)`, Steps: []*runtime.StepResult{
			{StepID: "a", Success: true, Attempts: 1, DurationMs: 1, WorkflowID: "order"},
		}},
	}}
}

func TestJUnit(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, report.JUnit(&b, sample()))
	golden(t, "sample.junit.xml", b.Bytes())
}

func TestHAR(t *testing.T) {
	t.Parallel()
	started := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	step := &runtime.StepResult{StepID: "login", Exchanges: []*runtime.Exchange{{
		Started: started, Duration: 1500 * time.Microsecond, Method: "POST", URL: "http://api.test/login?token=tok-1&page=2",
		RequestHeader: http.Header{"Authorization": {"Bearer tok-1"}, "Cookie": {"sid=abc; theme=dark"}, "Content-Type": {"application/json"}},
		RequestBody:   []byte(`{"password":"pw-secret"}`),
		StatusCode:    200, Proto: "HTTP/1.1",
		ResponseHeader: http.Header{"Content-Type": {"application/json"}, "Set-Cookie": {"sid=xyz; Path=/; HttpOnly"}},
		ResponseBody:   []byte(`{"token":"tok-2"}`),
		Secrets:        []string{"tok-1"},
	}, {
		Started: started, Duration: time.Millisecond, Method: "GET", URL: "http://api.test/down", RequestHeader: http.Header{},
		Err: "connection refused",
	}}}
	h := report.NewHAR("1.0.0")
	h.Add("signIn", step)
	var b bytes.Buffer
	require.NoError(t, h.Write(&b, report.NewRedactor("pw-secret", "tok-2")))
	assert.NotContains(t, b.String(), "tok-1")
	var parsed map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &parsed), "valid JSON")
	golden(t, "sample.har.json", b.Bytes())
}

func TestRedactor(t *testing.T) {
	t.Parallel()
	r := report.NewRedactor("hunter2", "a b/c", "xy") // "xy" is too short to hide
	r.AddName("X-Shop-Key")
	tests := []struct{ name, in, want string }{
		{"value", "password is hunter2.", "password is ***."},
		{"query-escaped", "q=a+b%2Fc", "q=***"},
		{"short values stay", "xy", "xy"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, r.String(tc.in), tc.name)
	}
	assert.Equal(t, "http://h/p/<$steps.a.outputs.b>?access_token=***&page=1&X-Shop-Key=***",
		r.URL("http://h/p/<$steps.a.outputs.b>?access_token=t0k&page=1&X-Shop-Key=k"))
	got := r.Header(http.Header{"Authorization": {"Basic x"}, "X-Api-Key": {"k"}, "X-Shop-Key": {"k"}, "Accept": {"hunter2/json"}})
	assert.Equal(t, http.Header{"Authorization": {"***"}, "X-Api-Key": {"***"}, "X-Shop-Key": {"***"}, "Accept": {"***/json"}}, got)

	res := sample()
	res.Workflows[0].Outputs = map[string]any{"token": "hunter2", "list": []any{"hunter2"}}
	shown := r.Result(res)
	assert.Equal(t, map[string]any{"token": "***", "list": []any{"***"}}, shown.Workflows[0].Outputs)
	assert.Equal(t, "hunter2", res.Workflows[0].Outputs["token"], "the original is left alone")
}

func TestProgress(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	p := report.NewProgress(&b)
	p.Step("wf", &runtime.StepResult{StepID: "a", Success: true})
	p.Step("wf", &runtime.StepResult{StepID: "b"})
	p.Done()
	assert.Contains(t, b.String(), "\r\x1b[K1 steps, 0 failed")
	assert.Contains(t, b.String(), "\r\x1b[K2 steps, 1 failed")
	assert.Contains(t, b.String(), "✗ wf/b")
	assert.True(t, bytes.HasSuffix(b.Bytes(), []byte("\r\x1b[K")))
}
