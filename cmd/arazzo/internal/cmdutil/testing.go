package cmdutil

import (
	"bytes"
	"net/http"
	"strings"
)

// TestStreams returns IOStreams over buffers, with stdin text and the given environment, for
// running commands in-process in tests.
func TestStreams(stdin string, env map[string]string) (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{
		In:     strings.NewReader(stdin),
		Out:    out,
		ErrOut: errOut,
		LookupEnv: func(k string) (string, bool) {
			v, ok := env[k]
			return v, ok
		},
		Environ: func() []string {
			out := make([]string, 0, len(env))
			for k, v := range env {
				out = append(out, k+"="+v)
			}
			return out
		},
		HTTPClient: &http.Client{},
	}, out, errOut
}
