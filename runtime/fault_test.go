package runtime_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

const faultDoc = "testdata/fault/doc.arazzo.yaml"

// rawServer accepts one connection at a time on 127.0.0.1 and hands it to serve; stop closes
// when the test ends, so a server that stalls returns then.
func rawServer(t *testing.T, serve func(c net.Conn, stop <-chan struct{})) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done, stop := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			serve(c, stop)
			_ = c.Close()
		}
	}()
	t.Cleanup(func() { close(stop); _ = ln.Close(); <-done })
	return "http://" + ln.Addr().String()
}

// readRequest consumes the request head so the client sees a response to it.
func readRequest(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" {
			return
		}
	}
}

// Every misbehaving server ends the workflow as a failure whose one-line error names the step
// and the cause, and leaves no goroutine behind.
func TestFaultInjection(t *testing.T) {
	tests := []struct {
		name    string
		server  func(t *testing.T) string
		opts    runtime.RunOptions
		wantErr []string
	}{
		{
			name: "connection refused",
			server: func(t *testing.T) string {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				addr := ln.Addr().String()
				require.NoError(t, ln.Close())
				return "http://" + addr
			},
			wantErr: []string{`step "getThing": GET http://127.0.0.1:`, "connection refused"},
		},
		{
			name: "reset mid-body",
			server: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn, stop <-chan struct{}) {
					readRequest(c)
					_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":"))
				})
			},
			wantErr: []string{`step "getThing"`, "reading the response body: unexpected EOF"},
		},
		{
			name: "server never answers",
			server: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn, stop <-chan struct{}) {
					readRequest(c)
					select {
					case <-stop:
					case <-time.After(5 * time.Second):
					}
				})
			},
			opts:    runtime.RunOptions{Timeout: 150 * time.Millisecond},
			wantErr: []string{`step "getThing"`, "no response within 150ms (raise --timeout)"},
		},
		{
			name: "slow body",
			server: func(t *testing.T) string {
				return rawServer(t, func(c net.Conn, stop <-chan struct{}) {
					readRequest(c)
					_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{"))
					select {
					case <-stop:
					case <-time.After(5 * time.Second):
					}
				})
			},
			opts:    runtime.RunOptions{Timeout: 150 * time.Millisecond},
			wantErr: []string{`step "getThing"`, "response body not received within 150ms (raise --timeout)"},
		},
		{
			name: "5xx",
			server: func(t *testing.T) string {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.WriteHeader(http.StatusServiceUnavailable)
				})
			},
			wantErr: []string{`step "getThing": success criterion "$statusCode == 200" failed (saw $statusCode = 503)`},
		},
		{
			name: "json that is not json",
			server: func(t *testing.T) string {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte("<html>oops</html>"))
				})
			},
			wantErr: []string{`step "getThing": output "id"`},
		},
		{
			name: "body larger than the cap",
			server: func(t *testing.T) string {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(`{"id":"` + strings.Repeat("x", 4096) + `"}`))
				})
			},
			opts:    runtime.RunOptions{MaxResponseBytes: 1024},
			wantErr: []string{`step "getThing"`, "response body is larger than 1024 bytes (raise --max-response-bytes)"},
		},
		{
			name: "redirect loop",
			server: func(t *testing.T) string {
				return httpServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, "/thing", http.StatusFound)
				})
			},
			wantErr: []string{`step "getThing"`, "stopped after 10 redirects"},
		},
		{
			name: "untrusted certificate",
			server: func(t *testing.T) string {
				srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
				t.Cleanup(srv.Close)
				return srv.URL
			},
			wantErr: []string{`step "getThing"`, "certificate signed by unknown authority (if you trust this server, pass its CA certificate with --ca-cert FILE)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Registered first so it runs last, after the servers' own cleanups.
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			url := tc.server(t)
			doc, err := arazzo.ParseFile(faultDoc)
			require.NoError(t, err)
			transport := &http.Transport{}
			defer transport.CloseIdleConnections()
			r, err := runtime.New(runtime.WithHTTPClient(&http.Client{Transport: transport}))
			require.NoError(t, err)
			opts := tc.opts
			opts.Servers = map[string]string{"api": url}
			res, err := r.Run(t.Context(), doc, opts)
			require.NoError(t, err)
			assert.False(t, res.Success)
			wf := res.Workflows[0]
			assert.False(t, wf.Success)
			assert.NotContains(t, wf.Error, "\n")
			for _, want := range tc.wantErr {
				assert.Contains(t, wf.Error, want)
			}
		})
	}
}

func httpServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// A retry action meets a server that keeps answering 5xx: it waits retryAfter between attempts,
// or what the server's Retry-After asks (capped), gives up after retryLimit, and the workflow
// fails naming the step and the last status. Waits are observed through WithSleep, not slept.
func TestFaultRetry5xx(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string // the server's header; empty: none
		maxWait    time.Duration
		wantWaits  []time.Duration
	}{
		{name: "without Retry-After", wantWaits: []time.Duration{250 * time.Millisecond, 250 * time.Millisecond}},
		{name: "with Retry-After seconds", retryAfter: "3", wantWaits: []time.Duration{3 * time.Second, 3 * time.Second}},
		{name: "with Retry-After capped", retryAfter: "86400", maxWait: time.Minute, wantWaits: []time.Duration{time.Minute, time.Minute}},
		{name: "with an unreadable Retry-After", retryAfter: "soon", wantWaits: []time.Duration{250 * time.Millisecond, 250 * time.Millisecond}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			calls := 0
			url := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
				calls++
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(http.StatusServiceUnavailable)
			})
			doc, err := arazzo.ParseFile("testdata/fault/retry.arazzo.yaml")
			require.NoError(t, err)
			transport := &http.Transport{}
			defer transport.CloseIdleConnections()
			var waits []time.Duration
			opts := []runtime.Option{
				runtime.WithHTTPClient(&http.Client{Transport: transport}),
				runtime.WithSleep(func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return ctx.Err() }),
			}
			if tc.maxWait > 0 {
				opts = append(opts, runtime.WithMaxRetryAfter(tc.maxWait))
			}
			r, err := runtime.New(opts...)
			require.NoError(t, err)
			res, err := r.Run(t.Context(), doc, runtime.RunOptions{Servers: map[string]string{"api": url}})
			require.NoError(t, err)
			assert.Equal(t, 3, calls, "one attempt and two retries")
			assert.Equal(t, tc.wantWaits, waits)
			wf := res.Workflows[0]
			assert.False(t, wf.Success)
			assert.NotContains(t, wf.Error, "\n")
			assert.Contains(t, wf.Error, `step "getThing": success criterion "$statusCode == 200" failed (saw $statusCode = 503)`)
			require.Len(t, wf.Steps, 1)
			assert.Equal(t, 3, wf.Steps[0].Attempts)
		})
	}
}
