// Package cmdutil holds what every verb of the arazzo command shares: the process streams and
// environment (injected, so tests run commands in-process), usage errors, exit codes, and
// reading documents from files, URLs or standard input.
package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"github.com/arazzo-runner/arazzo/arazzo"
	"io"
	"net/http"
	"os"
	"strings"

	"golang.org/x/term"
)

// Exit statuses of the command (cli.md).
const (
	ExitOK          = 0
	ExitFailed      = 1
	ExitCannotStart = 2
	ExitInterrupted = 130
)

// IOStreams are the process's standard streams and what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY and ErrTTY say whether the streams are terminals (colour and progress need one).
	OutTTY, ErrTTY bool
	// Getenv reads the environment; LookupEnv too. Tests give a map.
	LookupEnv func(string) (string, bool)
	// Environ lists the environment as KEY=VALUE (for ARAZZO_AUTH_* values to redact); nil
	// means an empty environment.
	Environ func() []string
	// Stdin says whether In is the process's standard input (for `-`).
	HTTPClient *http.Client
}

// Getenv returns the variable's value or "".
func (s *IOStreams) Getenv(k string) string {
	if s.LookupEnv == nil {
		return ""
	}
	v, _ := s.LookupEnv(k)
	return v
}

// ColorEnabled reports whether colour may be written to w's terminal: a TTY and no NO_COLOR.
func (s *IOStreams) ColorEnabled(tty bool) bool {
	_, noColor := s.lookup("NO_COLOR")
	return tty && !noColor && s.Getenv("TERM") != "dumb"
}

func (s *IOStreams) lookup(k string) (string, bool) {
	if s.LookupEnv == nil {
		return "", false
	}
	return s.LookupEnv(k)
}

// System returns the streams of this process.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutTTY:     term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY:     term.IsTerminal(int(os.Stderr.Fd())),
		LookupEnv:  os.LookupEnv,
		Environ:    os.Environ,
		HTTPClient: &http.Client{},
	}
}

// FlagError is a usage error: Main prints it with the command's usage and exits 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf returns a usage error.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ExitError carries a chosen exit status for an error already reported (for example a failed
// workflow, whose report is the output).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ErrSilent marks an ExitError whose message was already printed.
var ErrSilent = errors.New("already reported")

// CannotStartError wraps a problem that keeps the command from starting: exit 2.
type CannotStartError struct{ Err error }

func (e *CannotStartError) Error() string { return e.Err.Error() }
func (e *CannotStartError) Unwrap() error { return e.Err }

// ReadDocument reads FILE, an http(s) URL, or `-` for standard input. It returns the bytes and
// the name used in messages.
func ReadDocument(ctx context.Context, io *IOStreams, arg string, maxBytes int64) ([]byte, string, error) {
	switch {
	case arg == "-":
		data, err := readLimited(io.In, maxBytes)
		if err != nil {
			return nil, "", &CannotStartError{Err: fmt.Errorf("read standard input: %w", err)}
		}
		return data, "-", nil
	case strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://"):
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, arg, nil)
		if err != nil {
			return nil, "", &CannotStartError{Err: fmt.Errorf("%s: %w", arg, err)}
		}
		client := io.HTTPClient
		if client == nil {
			client = http.DefaultClient
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, "", &CannotStartError{Err: fmt.Errorf("fetch %s: %w", arg, certHint(err))}
		}
		defer resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return nil, "", &CannotStartError{Err: fmt.Errorf("fetch %s: server answered %s", arg, resp.Status)}
		}
		data, err := readLimited(resp.Body, maxBytes)
		if err != nil {
			return nil, "", &CannotStartError{Err: fmt.Errorf("fetch %s: %w", arg, err)}
		}
		return data, arg, nil
	}
	st, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, "", &CannotStartError{Err: fmt.Errorf("%s: no such file: check the path", arg)}
		}
		return nil, "", &CannotStartError{Err: fmt.Errorf("%s: %w", arg, err)}
	}
	if st.IsDir() {
		return nil, "", &CannotStartError{Err: fmt.Errorf("%s is a directory: give the Arazzo file inside it", arg)}
	}
	f, err := os.Open(arg)
	if err != nil {
		return nil, "", &CannotStartError{Err: fmt.Errorf("%s: %w", arg, err)}
	}
	defer f.Close()
	data, err := readLimited(f, maxBytes)
	if err != nil {
		return nil, "", &CannotStartError{Err: fmt.Errorf("%s: %w", arg, err)}
	}
	return data, arg, nil
}

func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("larger than %d bytes", max)
	}
	return data, nil
}

// LoadDocument reads FILE, an http(s) URL or `-` (see ReadDocument) and parses it as an Arazzo
// document. Its errors are CannotStartError or arazzo.Diagnostics: exit 2 either way.
func LoadDocument(ctx context.Context, io *IOStreams, arg string) (*arazzo.Document, error) {
	data, name, err := ReadDocument(ctx, io, arg, arazzo.MaxDocumentBytes)
	if err != nil {
		return nil, err
	}
	return arazzo.Parse(name, data)
}
