package runtime_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// reply is one scripted response.
type reply struct {
	Status int
	Header map[string]string
	Body   string
}

// js is a JSON reply.
func js(status int, body string) reply {
	return reply{Status: status, Header: map[string]string{"Content-Type": "application/json"}, Body: body}
}

// sent is a request the scripted server received.
type sent struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
}

// scripted is an httptest server on 127.0.0.1 that answers the n-th request to "METHOD /path"
// with the n-th reply scripted for it (the last one repeats) and records every request. A
// route with no script answers 404.
type scripted struct {
	URL    string
	mu     sync.Mutex
	script map[string][]reply
	calls  map[string]int
	got    []sent
}

func newScripted(t *testing.T, script map[string][]reply) *scripted {
	t.Helper()
	s := &scripted{script: script, calls: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		key := r.Method + " " + r.URL.Path
		s.mu.Lock()
		s.got = append(s.got, sent{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(body)})
		replies := s.script[key]
		n := s.calls[key]
		s.calls[key]++
		s.mu.Unlock()
		if len(replies) == 0 {
			http.Error(w, "no script for "+key, http.StatusNotFound)
			return
		}
		rep := replies[min(n, len(replies)-1)]
		for k, v := range rep.Header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rep.Status)
		_, _ = io.WriteString(w, rep.Body)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// requests returns what the server received, in order.
func (s *scripted) requests() []sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sent(nil), s.got...)
}

// paths returns "METHOD /path?query" for each request.
func (s *scripted) paths() []string {
	var out []string
	for _, r := range s.requests() {
		p := r.Method + " " + r.Path
		if r.Query != "" {
			p += "?" + r.Query
		}
		out = append(out, p)
	}
	return out
}

// specRun is the outcome of one harness run.
type specRun struct {
	srv   *scripted
	res   *runtime.Result
	err   error
	waits []time.Duration
}

// wf returns the result of the workflow with the given id.
func (r *specRun) wf(t *testing.T, id string) *runtime.WorkflowResult {
	t.Helper()
	require.NoError(t, r.err)
	for _, w := range r.res.Workflows {
		if w.WorkflowID == id {
			return w
		}
	}
	require.Failf(t, "no workflow result", "workflow %q did not run", id)
	return nil
}

// stepIDs lists the step executions of a workflow result.
func stepIDs(w *runtime.WorkflowResult) []string {
	var out []string
	for _, s := range w.Steps {
		out = append(out, s.StepID)
	}
	return out
}

const specHeader = `info: { title: conformance, version: 1.0.0 }
sourceDescriptions:
  - { name: api, url: ./api.openapi.yaml, type: openapi }
`

// runSpec parses a document made of `arazzo: <version>`, the standard info and source (the
// conformance API of testdata/spec) and body, then runs it against a scripted server. Retry
// waits are recorded, never slept.
func runSpec(t *testing.T, version, body string, script map[string][]reply, opts ...func(*runtime.RunOptions)) *specRun {
	t.Helper()
	return runText(t, "arazzo: "+version+"\n"+specHeader+body, script, opts...)
}

// runText runs a whole document text, read as if it were testdata/spec/doc.arazzo.yaml.
func runText(t *testing.T, text string, script map[string][]reply, opts ...func(*runtime.RunOptions)) *specRun {
	t.Helper()
	return runAt(t, "testdata/spec/doc.arazzo.yaml", text, script, opts...)
}

// runAt runs a whole document text, read as if it were the file at path.
func runAt(t *testing.T, path, text string, script map[string][]reply, opts ...func(*runtime.RunOptions)) *specRun {
	t.Helper()
	out := &specRun{srv: newScripted(t, script)}
	text = strings.ReplaceAll(text, "SERVER", out.srv.URL)
	doc, err := arazzo.Parse(path, []byte(text))
	require.NoError(t, err)
	var mu sync.Mutex
	r, err := runtime.New(runtime.WithSleep(func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		out.waits = append(out.waits, d)
		mu.Unlock()
		return ctx.Err()
	}))
	require.NoError(t, err)
	ro := runtime.RunOptions{Servers: map[string]string{"": out.srv.URL}}
	for _, o := range opts {
		o(&ro)
	}
	out.res, out.err = r.Run(t.Context(), doc, ro)
	return out
}

func withInputs(in map[string]any) func(*runtime.RunOptions) {
	return func(o *runtime.RunOptions) { o.Inputs = in }
}

func withWorkflow(id string) func(*runtime.RunOptions) {
	return func(o *runtime.RunOptions) { o.WorkflowID = id }
}

func withSources(m map[string]string) func(*runtime.RunOptions) {
	return func(o *runtime.RunOptions) { o.Sources = m }
}
