package mockcmd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
)

const (
	bundled    = "../../../../workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml"
	bundledAPI = "../../../../workflows/assembled/openapi/assembled-conversations-api-openapi.yml"
)

func TestNewCmdMock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    func(o *Options)
		wantErr string
	}{
		{name: "defaults", args: []string{"doc.yaml"}, want: func(o *Options) {}},
		{
			name: "every flag",
			args: []string{"doc.yaml", "--port", "4010", "--host", "::1", "--source", "api=local.yaml", "-v"},
			want: func(o *Options) {
				o.Port, o.Host, o.Sources, o.Verbose = 4010, "::1", []string{"api=local.yaml"}, true
			},
		},
		{name: "short port", args: []string{"doc.yaml", "-p", "9"}, want: func(o *Options) { o.Port = 9 }},
		{name: "ca bundle and remote refs", args: []string{"doc.yaml", "--ca-cert", "ca.pem", "--allow-remote-refs"},
			want: func(o *Options) { o.CACert, o.AllowRemoteRefs = "ca.pem", true }},
		{name: "no file", args: nil, wantErr: "mock needs the Arazzo document (a path, an http(s) URL or -)"},
		{name: "bad port", args: []string{"d.yaml", "--port", "70000"}, wantErr: "--port 70000: give a port from 1 to 65535, or 0 for free ports"},
		{name: "empty host", args: []string{"d.yaml", "--host", ""}, wantErr: "--host is empty: give an address such as 127.0.0.1"},
		{name: "bad source", args: []string{"d.yaml", "--source", "api"}, wantErr: `--source "api": use NAME=PATH`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ios, _, _ := cmdutil.TestStreams("", nil)
			var got *Options
			cmd := NewCmdMock(ios, func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(append([]string{}, tc.args...)) // never nil: cobra would read os.Args
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			want := &Options{IO: ios, File: "doc.yaml", Host: DefaultHost}
			tc.want(want)
			assert.Equal(t, want, got)
		})
	}
}

// syncBuffer is a bytes.Buffer safe to read while the command writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// started runs mockRun until the test cancels it, and returns the printed base URL of each
// source, the run's result channel and its stderr.
func started(t *testing.T, opts *Options) (map[string]string, context.CancelFunc, <-chan error, *syncBuffer) {
	t.Helper()
	out, errOut := &syncBuffer{}, &syncBuffer{}
	opts.IO = &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut, HTTPClient: &http.Client{}}
	if opts.Host == "" {
		opts.Host = DefaultHost
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- mockRun(ctx, opts) }()
	var urls map[string]string
	require.Eventually(t, func() bool {
		select {
		case err := <-done:
			require.NoError(t, err, "mock stopped early: %s", errOut.String())
		default:
		}
		if !strings.Contains(errOut.String(), "stop with Ctrl-C") {
			return false
		}
		urls = map[string]string{}
		for line := range strings.Lines(out.String()) {
			name, u, ok := strings.Cut(strings.TrimSpace(line), "=")
			require.True(t, ok, line)
			urls[name] = u
		}
		return true
	}, 5*time.Second, 5*time.Millisecond)
	t.Cleanup(cancel)
	return urls, cancel, done, errOut
}

func post(t *testing.T, url, body string, auth bool) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.SetBasicAuth("sk_test", "")
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

func TestMockRun(t *testing.T) {
	t.Parallel()
	urls, cancel, done, errOut := started(t, &Options{File: bundled, Verbose: true})
	base := urls["conversationsApi"]
	require.Regexp(t, `^http://127\.0\.0\.1:\d+$`, base, "the API's server has no base path")

	status, body := post(t, base+"/v0/conversations/bulk",
		`{"conversations":[{"external_id":"a","channel":"email","started_at":"2026-11-02T09:15:00Z"}]}`, true)
	assert.Equal(t, http.StatusAccepted, status, body)
	assert.Empty(t, body)

	status, body = post(t, base+"/v0/conversations/bulk",
		`{"conversations":[{"external_id":"a","started_at":"2026-11-02T09:15:00Z"}]}`, true)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `"field":"body#/conversations/0/channel","rule":"required"`)

	status, body = post(t, base+"/v0/conversations/bulk", `{"conversations":[]}`, false)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, `BasicAuth`)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err, "an interrupt is the normal way to stop the mock: exit 0")
	case <-time.After(5 * time.Second):
		t.Fatal("the mock did not stop after its context was cancelled")
	}
	assert.Contains(t, errOut.String(), "status=422", "-v logs each refusal")
	assert.Contains(t, errOut.String(), "mock stopped")
}

func TestMockRunPort(t *testing.T) {
	t.Parallel()
	// A taken port fails to start, naming the flag to change.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = busy.Close() })
	port := busy.Addr().(*net.TCPAddr).Port

	ios, _, _ := cmdutil.TestStreams("", nil)
	err = mockRun(t.Context(), &Options{IO: ios, File: bundled, Host: DefaultHost, Port: port})
	var cs *cmdutil.CannotStartError
	require.ErrorAs(t, err, &cs)
	assert.ErrorContains(t, err, "address already in use: choose another --port or --host")
}

func TestMockRunCannotStart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    Options
		wantErr string
		usage   bool
	}{
		{name: "no such file", opts: Options{File: "missing.yaml"}, wantErr: "missing.yaml: no such file: check the path"},
		{name: "unknown source", opts: Options{File: bundled, Sources: []string{"nope=x.yaml"}}, wantErr: `--source nope: the document has no source description "nope"`, usage: true},
		{name: "unreadable source", opts: Options{File: bundled, Sources: []string{"conversationsApi=missing.yaml"}}, wantErr: `source description "conversationsApi": load openapi description`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ios, out, _ := cmdutil.TestStreams("", nil)
			tc.opts.IO, tc.opts.Host = ios, DefaultHost
			err := mockRun(t.Context(), &tc.opts)
			require.ErrorContains(t, err, tc.wantErr)
			var fe *cmdutil.FlagError
			var cs *cmdutil.CannotStartError
			assert.True(t, errors.As(err, &fe) == tc.usage && (tc.usage || errors.As(err, &cs)), "%T", err)
			assert.Empty(t, out.String())
		})
	}
}

func TestMockRunSourceOverride(t *testing.T) {
	t.Parallel()
	urls, cancel, done, _ := started(t, &Options{File: bundled, Sources: []string{"conversationsApi=" + bundledAPI}})
	u := urls["conversationsApi"]
	_, port, err := net.SplitHostPort(strings.TrimPrefix(u, "http://"))
	require.NoError(t, err)
	_, err = strconv.Atoi(port)
	require.NoError(t, err)
	cancel()
	require.NoError(t, <-done)
}

func TestSourceLocation(t *testing.T) {
	t.Parallel()
	tests := []struct{ doc, loc, want string }{
		{"dir/flow.yaml", "../api.yaml", "api.yaml"},
		{"dir/flow.yaml", "https://x.test/api.yaml", "https://x.test/api.yaml"},
		{"https://x.test/a/flow.yaml", "api.yaml", "https://x.test/a/api.yaml"},
		{"-", "api.yaml", "api.yaml"},
		{"dir/flow.yaml", "/abs/api.yaml", "/abs/api.yaml"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, sourceLocation(tc.doc, tc.loc), "%s + %s", tc.doc, tc.loc)
	}
}
