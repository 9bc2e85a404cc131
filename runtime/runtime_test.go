package runtime_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

const bundled = "../workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml"

type recorded struct {
	method, path, auth, contentType string
	body                            map[string]any
}

// assembledServer is a fake Assembled API that checks Basic auth and records what it got.
func assembledServer(t *testing.T, status map[string]int) (*httptest.Server, func() []recorded) {
	t.Helper()
	var mu sync.Mutex
	var got []recorded
	mux := http.NewServeMux()
	handle := func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(data, &body)
		mu.Lock()
		got = append(got, recorded{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), body})
		mu.Unlock()
		if u, p, ok := r.BasicAuth(); !ok || u != "sk_test" || p != "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		code := http.StatusAccepted
		if c, ok := status[r.Method]; ok {
			code = c
		}
		w.WriteHeader(code)
	}
	mux.HandleFunc("POST /v0/conversations/bulk", handle)
	mux.HandleFunc("PATCH /v0/conversations/bulk", handle)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, func() []recorded { mu.Lock(); defer mu.Unlock(); return append([]recorded(nil), got...) }
}

func bundledInputs() map[string]any {
	return map[string]any{
		"apiKey":        "sk_test",
		"conversations": []any{map[string]any{"external_id": "c1", "channel": "email", "started_at": "2026-11-02T09:15:00Z"}},
		"updates":       []any{map[string]any{"external_id": "c1", "status": "solved", "resolved": true}},
	}
}

func TestRunBundledWorkflow(t *testing.T) {
	t.Parallel()
	srv, got := assembledServer(t, nil)
	doc, err := arazzo.ParseFile(bundled)
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{Inputs: bundledInputs(), Servers: map[string]string{"": srv.URL}})
	require.NoError(t, err)
	require.True(t, res.Success, "%+v", res.Workflows[0])
	wf := res.Workflows[0]
	assert.Equal(t, map[string]any{"enrichStatus": 202}, wf.Outputs)
	require.Len(t, wf.Steps, 2)
	assert.Equal(t, "POST", wf.Steps[0].Method)
	assert.Equal(t, srv.URL+"/v0/conversations/bulk", wf.Steps[0].URL)
	assert.Equal(t, 202, wf.Steps[1].StatusCode)
	assert.Equal(t, 1, wf.Steps[1].Attempts)

	reqs := got()
	require.Len(t, reqs, 2)
	wantAuth := "Basic c2tfdGVzdDo=" // base64("sk_test:")
	assert.Equal(t, recorded{"POST", "/v0/conversations/bulk", wantAuth, "application/json",
		map[string]any{"conversations": []any{map[string]any{"external_id": "c1", "channel": "email", "started_at": "2026-11-02T09:15:00Z"}}}}, reqs[0])
	assert.Equal(t, recorded{"PATCH", "/v0/conversations/bulk", wantAuth, "application/json",
		map[string]any{"conversations": []any{map[string]any{"external_id": "c1", "status": "solved", "resolved": true}}}}, reqs[1])
}

func TestRunBundledWorkflowServerError(t *testing.T) {
	t.Parallel()
	srv, _ := assembledServer(t, map[string]int{"PATCH": 500})
	doc, err := arazzo.ParseFile(bundled)
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{Inputs: bundledInputs(), Servers: map[string]string{"conversationsApi": srv.URL}})
	require.NoError(t, err)
	assert.False(t, res.Success)
	wf := res.Workflows[0]
	assert.False(t, wf.Success)
	assert.Equal(t, `step "enrichConversations": success criterion "$statusCode == 202" failed (saw $statusCode = 500)`, wf.Error)
	require.Len(t, wf.Steps, 2)
	assert.True(t, wf.Steps[0].Success)
	assert.False(t, wf.Steps[1].Success)
	assert.Equal(t, 500, wf.Steps[1].StatusCode)
}

func TestRunBundledWorkflowMock(t *testing.T) {
	t.Parallel()
	doc, err := arazzo.ParseFile(bundled)
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{Inputs: bundledInputs(), Mock: true})
	require.NoError(t, err)
	require.True(t, res.Success, "%+v", res.Workflows[0])
	assert.True(t, res.Mocked)
	assert.Equal(t, map[string]any{"enrichStatus": 202}, res.Workflows[0].Outputs)
}

func TestRunMissingInput(t *testing.T) {
	t.Parallel()
	doc, err := arazzo.ParseFile(bundled)
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	in := bundledInputs()
	delete(in, "apiKey")
	in["updates"] = "not a list"
	_, err = r.Run(t.Context(), doc, runtime.RunOptions{Inputs: in, Mock: true})
	var se *runtime.SetupError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, `workflow "ingest-conversations": invalid inputs: missing required input "apiKey": pass -i apiKey=VALUE or put it in --inputs; input updates: got string, want array`, err.Error())
}
