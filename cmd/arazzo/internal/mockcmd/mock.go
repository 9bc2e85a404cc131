// Package mockcmd implements `arazzo mock`: it serves a mock API for every OpenAPI source
// description of an Arazzo document, with package openapi/mock, until interrupted.
package mockcmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/openapi/mock"
)

// DefaultHost is the address the mock binds to unless --host says otherwise: loopback only.
const DefaultHost = "127.0.0.1"

// shutdownTimeout bounds the wait for in-flight requests once interrupted.
const shutdownTimeout = 5 * time.Second

// Options are the flag values of `arazzo mock`.
type Options struct {
	IO *cmdutil.IOStreams

	File    string
	Host    string
	Port    int      // 0: a free port per source; N: N for the first source, N+1 for the next, ...
	Sources []string // NAME=PATH
	Verbose bool
	// CACert is a PEM bundle of extra trusted CAs for https documents and sources.
	CACert string
	// AllowRemoteRefs lets OpenAPI descriptions $ref documents on other hosts.
	AllowRemoteRefs bool
}

// NewCmdMock returns `arazzo mock`. runF replaces the action in tests of flag parsing.
func NewCmdMock(io *cmdutil.IOStreams, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "mock FILE",
		Short: "Serve mock APIs for the OpenAPI sources of an Arazzo document",
		Long: `Serve a mock API for every OpenAPI source description of an Arazzo document, until
interrupted (Ctrl-C), the same mock that run --mock starts in-process.

Each source gets its own listener: with --port N the first source listens on N, the next
on N+1, and so on; without it each takes a free port. For each source, stdout gets one line
SOURCE=URL, its base URL (the server's base path included), in the form --server takes.
The mock binds to 127.0.0.1 unless --host says otherwise.

The mock validates every request against its OpenAPI operation: parameters, the body's
content type and schema, and the presence of the credentials its security requires. A
request that breaks them gets 400, 401, 415 or 422 with an application/problem+json body
naming each field and rule. A valid one gets the response a "Prefer: code=NNN" or
"Prefer: example=NAME" header asks for, else the lowest documented 2xx, with the documented
example or a body generated from the schema.

Exit status: 0 when stopped by an interrupt (the normal way to stop it), 2 when it could
not start (unreadable document or source, port in use).`,
		Example: `  # serve the bundled workflow's API on port 4010
  arazzo mock workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml --port 4010

  # in another terminal: run against it, or call it directly
  arazzo run flow.yaml --server conversationsApi=http://127.0.0.1:4010
  curl -i -u sk_test: -H 'Prefer: code=400' -X POST http://127.0.0.1:4010/v0/conversations/bulk`,
		Args: cmdutil.ExactlyOne("the Arazzo document (a path, an http(s) URL or -)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.Port < 0 || opts.Port > 65535 {
				return cmdutil.FlagErrorf("--port %d: give a port from 1 to 65535, or 0 for free ports", opts.Port)
			}
			if strings.TrimSpace(opts.Host) == "" {
				return cmdutil.FlagErrorf("--host is empty: give an address such as %s", DefaultHost)
			}
			for _, s := range opts.Sources {
				if name, path, ok := strings.Cut(s, "="); !ok || name == "" || path == "" {
					return cmdutil.FlagErrorf("--source %q: use NAME=PATH", s)
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return mockRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Host, "host", DefaultHost, "address to listen on; anything but loopback exposes the mock to the network")
	f.IntVarP(&opts.Port, "port", "p", 0, "port of the first source (the next sources take the following ports); 0 picks free ports")
	f.StringArrayVar(&opts.Sources, "source", nil, "load source description NAME from PATH instead of its url: `NAME=PATH` (repeatable)")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "log each request the mock answers or refuses to stderr")
	f.StringVar(&opts.CACert, "ca-cert", "", "also trust the CA certificates of this PEM `FILE` for https documents and sources")
	f.BoolVar(&opts.AllowRemoteRefs, "allow-remote-refs", false, "follow $refs of OpenAPI descriptions to other hosts (off: only the description's own directory tree)")
	return cmd
}

// served is one source's listener and server.
type served struct {
	name string
	ln   net.Listener
	srv  *http.Server
	base string
}

func mockRun(ctx context.Context, opts *Options) error {
	io, err := cmdutil.WithCACert(opts.IO, opts.CACert)
	if err != nil {
		return err
	}
	opts.IO = io
	doc, err := cmdutil.LoadDocument(ctx, opts.IO, opts.File)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if opts.Verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(opts.IO.ErrOut, &slog.HandlerOptions{Level: level}))

	descs, names, err := loadSources(ctx, opts, doc)
	if err != nil {
		return err
	}
	if opts.Port != 0 && opts.Port+len(names)-1 > 65535 {
		return cmdutil.FlagErrorf("--port %d: %d sources need ports up to %d: give a lower port", opts.Port, len(names), opts.Port+len(names)-1)
	}

	var servers []*served
	closeAll := func() {
		for _, s := range servers {
			_ = s.ln.Close()
		}
	}
	for i, n := range names {
		h, err := mock.New(descs[i], mock.WithLogger(logger.With("source", n)))
		if err != nil {
			closeAll()
			return &cmdutil.CannotStartError{Err: fmt.Errorf("source description %q: %w", n, err)}
		}
		port := 0
		if opts.Port != 0 {
			port = opts.Port + i
		}
		addr := net.JoinHostPort(opts.Host, fmt.Sprint(port))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			closeAll()
			return &cmdutil.CannotStartError{Err: fmt.Errorf("mock of source %q: listen on %s: %w: choose another --port or --host", n, addr, unwrapOpError(err))}
		}
		servers = append(servers, &served{
			name: n,
			ln:   ln,
			srv:  &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
			base: "http://" + ln.Addr().String() + descs[i].BasePath(),
		})
	}

	if ip := net.ParseIP(opts.Host); opts.Host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(opts.IO.ErrOut, "warning: --host %s: the mock is reachable from other machines\n", opts.Host)
	}
	for _, s := range servers {
		fmt.Fprintf(opts.IO.Out, "%s=%s\n", s.name, s.base)
	}
	fmt.Fprintf(opts.IO.ErrOut, "mocking %d source(s) of %s; stop with Ctrl-C\n", len(servers), doc.File)

	var wg sync.WaitGroup
	failed := make(chan error, len(servers))
	for _, s := range servers {
		wg.Go(func() {
			if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
				failed <- fmt.Errorf("mock of source %q: %w", s.name, err)
			}
		})
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-failed:
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	for _, s := range servers {
		if err := s.srv.Shutdown(sctx); err != nil {
			_ = s.srv.Close()
		}
	}
	wg.Wait()
	if serveErr != nil {
		return serveErr
	}
	fmt.Fprintln(opts.IO.ErrOut, "mock stopped")
	return nil
}

// loadSources loads every OpenAPI source description of doc, in document order.
func loadSources(ctx context.Context, opts *Options, doc *arazzo.Document) ([]*openapi.Description, []string, error) {
	overrides := map[string]string{}
	for _, s := range opts.Sources {
		name, path, _ := strings.Cut(s, "=")
		overrides[name] = path
	}
	for name := range overrides {
		if !hasSource(doc, name) {
			return nil, nil, cmdutil.FlagErrorf("--source %s: the document has no source description %q", name, name)
		}
	}
	loader, err := openapi.NewLoader(openapi.WithHTTPClient(httpClient(opts.IO)), openapi.WithAllowRemoteRefs(opts.AllowRemoteRefs))
	if err != nil {
		return nil, nil, err
	}
	var (
		descs []*openapi.Description
		names []string
	)
	for _, sd := range doc.SourceDescriptions {
		if sd.Type != "" && sd.Type != "openapi" {
			continue
		}
		loc, ok := overrides[sd.Name]
		if !ok {
			if err := arazzo.CheckSourceURL(doc.File, sd.URL); err != nil {
				return nil, nil, &cmdutil.CannotStartError{Err: fmt.Errorf("source description %q: %w", sd.Name, err)}
			}
			loc = sourceLocation(doc.File, sd.URL)
		}
		d, err := loader.Load(ctx, loc)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			return nil, nil, &cmdutil.CannotStartError{Err: fmt.Errorf("source description %q: %w: fix its url or pass --source %s=PATH", sd.Name, err, sd.Name)}
		}
		descs = append(descs, d)
		names = append(names, sd.Name)
	}
	if len(descs) == 0 {
		return nil, nil, &cmdutil.CannotStartError{Err: fmt.Errorf("%s has no OpenAPI source description to mock", doc.File)}
	}
	return descs, names, nil
}

func hasSource(doc *arazzo.Document, name string) bool {
	for _, sd := range doc.SourceDescriptions {
		if sd.Name == name {
			return true
		}
	}
	return false
}

func httpClient(io *cmdutil.IOStreams) *http.Client {
	if io.HTTPClient != nil {
		return io.HTTPClient
	}
	return http.DefaultClient
}

// sourceLocation resolves a source description's url against the document's location (a
// path, an http(s) URL, or "-" for standard input, which resolves against the working
// directory), as `arazzo run` does.
func sourceLocation(docFile, loc string) string {
	if u, err := url.Parse(loc); err == nil && u.Scheme != "" && u.Scheme != "file" {
		return loc
	}
	if bu, err := url.Parse(docFile); err == nil && (bu.Scheme == "http" || bu.Scheme == "https") {
		if ref, err := url.Parse(loc); err == nil {
			return bu.ResolveReference(ref).String()
		}
	}
	loc = strings.TrimPrefix(loc, "file://")
	if filepath.IsAbs(loc) || docFile == "" || docFile == "-" {
		return loc
	}
	return filepath.Join(filepath.Dir(docFile), filepath.FromSlash(loc))
}

// unwrapOpError keeps the system error of a failed listen ("address already in use").
func unwrapOpError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}
