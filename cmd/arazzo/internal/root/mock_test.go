package root_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/root"
)

// lockedBuffer lets the test read what Main writes while it runs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestMainMock serves the bundled API with `arazzo mock` until the context (Ctrl-C in main) is
// cancelled: the exit status is 0 and no goroutine is left behind. Not parallel, so that the
// goroutine count is this test's alone.
func TestMainMock(t *testing.T) {
	before := goruntime.NumGoroutine()
	out, errOut := &lockedBuffer{}, &lockedBuffer{}
	ios := &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut, HTTPClient: &http.Client{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code := make(chan int, 1)
	go func() { code <- root.Main(ctx, []string{"mock", bundled, "--port", "0"}, ios) }()

	var base string
	require.Eventually(t, func() bool {
		name, u, ok := strings.Cut(strings.TrimSpace(out.String()), "=")
		if ok && name == "conversationsApi" && strings.HasPrefix(u, "http://127.0.0.1:") {
			base = u
			return true
		}
		return false
	}, 5*time.Second, 5*time.Millisecond, "stdout: %q, stderr: %q", out.String(), errOut.String())

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPatch, base+"/v0/conversations/bulk",
		strings.NewReader(`{"conversations":[{"external_id":"zd-1","csat_score":5}]}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("sk_test", "")
	resp, err := client.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, "true", resp.Header.Get("X-Arazzo-Mock"))

	cancel()
	select {
	case c := <-code:
		assert.Equal(t, cmdutil.ExitOK, c, errOut.String())
	case <-time.After(5 * time.Second):
		t.Fatal("arazzo mock did not stop when interrupted")
	}
	assert.Equal(t, "conversationsApi="+base+"\n", out.String(), "stdout holds only the base URLs")
	assert.Contains(t, errOut.String(), "mock stopped")
	// Polled here rather than with assert.Eventually, whose own goroutines would be counted.
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := goruntime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines left: %d before, %d after\n%s", before, after, buf[:goruntime.Stack(buf, true)])
	}
}

func TestMainMockCannotStart(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runMain(t, nil, "mock", "missing.yaml")
	assert.Equal(t, cmdutil.ExitCannotStart, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "error: missing.yaml: no such file: check the path\n", stderr)

	code, _, stderr = runMain(t, nil, "mock", bundled, "--port", "-1")
	assert.Equal(t, cmdutil.ExitCannotStart, code)
	assert.Contains(t, stderr, "--port -1: give a port from 1 to 65535, or 0 for free ports\nRun 'arazzo mock --help' for usage.")
}

// TestMainRunMockChecksRequests: under --mock, a conversation without its required channel
// fails the upsert step, the report citing the field, as the real API would refuse it.
func TestMainRunMockChecksRequests(t *testing.T) {
	t.Parallel()
	inputs := writeFile(t, "inputs.json", `{"apiKey": "sk_test",
		"conversations": [{"external_id": "zd-1", "started_at": "2026-11-02T09:15:00Z"}],
		"updates": [{"external_id": "zd-1"}]}`)
	code, stdout, stderr := runMain(t, nil, "run", bundled, "--inputs", inputs, "--mock", "-o", "json")
	require.Equal(t, cmdutil.ExitFailed, code, stderr)
	var res struct {
		Success   bool `json:"success"`
		Workflows []struct {
			Error string `json:"error"`
			Steps []struct {
				StepID     string `json:"stepId"`
				StatusCode int    `json:"statusCode"`
				Error      string `json:"error"`
			} `json:"steps"`
		} `json:"workflows"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
	assert.False(t, res.Success)
	require.Len(t, res.Workflows, 1)
	steps := res.Workflows[0].Steps
	require.Len(t, steps, 1, "the workflow stops at the refused step")
	assert.Equal(t, "upsertConversations", steps[0].StepID)
	assert.Equal(t, http.StatusUnprocessableEntity, steps[0].StatusCode)
	assert.Contains(t, steps[0].Error, `body#/conversations/0/channel: property "channel" is missing [required]`)
	assert.Contains(t, res.Workflows[0].Error, "channel")

	code, stdout, stderr = runMain(t, nil, "run", bundled, "--inputs", inputs, "--mock")
	assert.Equal(t, cmdutil.ExitFailed, code, stderr)
	assert.Contains(t, stdout, `channel`)
}
