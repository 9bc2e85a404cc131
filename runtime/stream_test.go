package runtime_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

const streamAPI = `openapi: 3.1.0
info: { title: bulk, version: 1.0.0 }
paths:
  /bulk:
    post:
      operationId: bulk
      requestBody:
        content:
          application/json:
            schema: { type: object }
      responses:
        "202": { description: accepted }
`

const streamDoc = `arazzo: 1.0.1
info: { title: bulk, version: 1.0.0 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
workflows:
  - workflowId: bulk
    inputs:
      type: object
      properties:
        records: { type: array }
    steps:
      - stepId: send
        operationId: bulk
        requestBody:
          payload:
            source: bench
            records: $inputs.records
        successCriteria:
          - condition: $statusCode == 202
        onFailure:
          - { name: again, type: retry, retryAfter: 0, retryLimit: 2, criteria: [ { condition: $statusCode == 503 } ] }
`

// bulkRecords returns n records whose JSON is about 100 bytes each, with characters the encoder
// escapes.
func bulkRecords(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"id": fmt.Sprintf("zd-%d", i), "subject": "printer <on> fire & \"smoke\"", "priority": i % 5, "tags": []any{"a", "é"}}
	}
	return out
}

// received is one request the bulk server read.
type received struct {
	path             string
	contentLength    int64
	transferEncoding []string
	body             []byte
}

// runBulk runs streamDoc against handler, with the given options, and returns what the server
// read.
func runBulk(t *testing.T, records []any, answer func(n int, w http.ResponseWriter, r *http.Request) bool, opts runtime.RunOptions, ropts ...runtime.Option) (*runtime.Result, []received) {
	t.Helper()
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if answer != nil && answer(n, w, r) {
			return
		}
		body, err := io.ReadAll(r.Body)
		assert.NoError(t, err)
		mu.Lock()
		got = append(got, received{r.URL.Path, r.ContentLength, r.TransferEncoding, body})
		n = len(got)
		mu.Unlock()
		if n == 1 && r.Header.Get("X-Fail-First") != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api.openapi.yaml"), []byte(streamAPI), 0o600))
	doc, err := arazzo.Parse(filepath.Join(dir, "doc.arazzo.yaml"), []byte(streamDoc))
	require.NoError(t, err)
	r, err := runtime.New(ropts...)
	require.NoError(t, err)
	opts.Inputs = map[string]any{"records": records}
	opts.Servers = map[string]string{"api": srv.URL}
	res, err := r.Run(t.Context(), doc, opts)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	return res, append([]received(nil), got...)
}

// A JSON body past the streaming threshold reaches the server whole, byte for byte what
// json.Marshal writes, with its Content-Length (never chunked), on every attempt of a retried
// step and after a 307 redirect; reports that show bodies still get them.
func TestLargeJSONBodyStreamed(t *testing.T) {
	records := bulkRecords(5000)
	want, err := json.Marshal(map[string]any{"source": "bench", "records": records})
	require.NoError(t, err)
	require.Greater(t, len(want), 256<<10, "the payload must be past the streaming threshold")

	check := func(t *testing.T, got []received, n int) {
		t.Helper()
		require.Len(t, got, n)
		for _, g := range got {
			assert.Equal(t, int64(len(want)), g.contentLength)
			assert.Empty(t, g.transferEncoding)
			assert.True(t, string(want) == string(g.body), "body differs from json.Marshal's (%d bytes, want %d)", len(g.body), len(want))
		}
	}

	t.Run("streamed when no report shows bodies", func(t *testing.T) {
		res, got := runBulk(t, records, nil, runtime.RunOptions{KeepExchanges: true, OmitRequestBodies: true})
		require.True(t, res.Success, res.Workflows[0].Error)
		check(t, got, 1)
		ex := res.Workflows[0].Steps[0].Exchanges
		require.Len(t, ex, 1)
		assert.Nil(t, ex[0].RequestBody)
	})
	t.Run("kept for reports that show bodies", func(t *testing.T) {
		res, got := runBulk(t, records, nil, runtime.RunOptions{KeepExchanges: true})
		require.True(t, res.Success, res.Workflows[0].Error)
		check(t, got, 1)
		ex := res.Workflows[0].Steps[0].Exchanges
		require.Len(t, ex, 1)
		assert.Equal(t, string(want), string(ex[0].RequestBody))
	})
	t.Run("every attempt of a retry", func(t *testing.T) {
		failFirst := func(n int, w http.ResponseWriter, r *http.Request) bool {
			if n == 0 {
				r.Header.Set("X-Fail-First", "1")
			}
			return false
		}
		res, got := runBulk(t, records, failFirst, runtime.RunOptions{})
		require.True(t, res.Success, res.Workflows[0].Error)
		assert.Equal(t, 2, res.Workflows[0].Steps[0].Attempts)
		check(t, got, 2)
	})
	t.Run("after a 307 redirect", func(t *testing.T) {
		redirect := func(n int, w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path == "/bulk" {
				http.Redirect(w, r, "/moved", http.StatusTemporaryRedirect)
				return true
			}
			return false
		}
		res, got := runBulk(t, records, redirect, runtime.RunOptions{})
		require.True(t, res.Success, res.Workflows[0].Error)
		check(t, got, 1)
		assert.Equal(t, "/moved", got[0].path)
	})
}

// A server that answers before reading a streamed body, and closes the connection, ends the
// body's encoding: the step fails or succeeds on the answer, and no goroutine is left behind.
func TestLargeJSONBodyServerAnswersEarly(t *testing.T) {
	// Registered first so that it runs last, after the server's own cleanup.
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	early := func(n int, w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return true
	}
	res, got := runBulk(t, bulkRecords(20000), early, runtime.RunOptions{}, runtime.WithHTTPClient(&http.Client{Transport: transport}))
	assert.Empty(t, got)
	require.False(t, res.Success)
	assert.Contains(t, res.Workflows[0].Error, "413")
}
