package run_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/run"
)

func TestNewCmdRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    func(o *run.Options)
		wantErr string
	}{
		{
			name: "defaults",
			args: []string{"doc.yaml"},
			want: func(o *run.Options) {
				o.File = "doc.yaml"
			},
		},
		{
			name: "every flag",
			args: []string{"doc.yaml", "-w", "wf", "-i", "a=1", "--input", "b=@f.json", "--inputs", "in.yaml",
				"-s", "api=http://127.0.0.1:1", "--server", "http://127.0.0.1:2", "--server-var", "region=eu",
				"--source", "api=local.yaml", "--auth", "api.basic=u:p", "-o", "json", "--timeout", "5s",
				"--max-steps", "7", "--max-response-bytes", "100", "--mock", "-v",
				"--dry-run", "--junit", "r.xml", "--har", "r.har", "--client-cert", "api=c.pem,k.pem", "--strict-responses"},
			want: func(o *run.Options) {
				o.File, o.WorkflowID = "doc.yaml", "wf"
				o.Inputs = []string{"a=1", "b=@f.json"}
				o.InputsFile = "in.yaml"
				o.Servers = []string{"api=http://127.0.0.1:1", "http://127.0.0.1:2"}
				o.ServerVars = []string{"region=eu"}
				o.Sources = []string{"api=local.yaml"}
				o.Auth = []string{"api.basic=u:p"}
				o.Output, o.Timeout, o.MaxSteps, o.MaxResponseBytes = "json", 5*time.Second, 7, 100
				o.Mock, o.MockMode, o.Verbose = true, "workflow", true
				o.DryRun, o.JUnit, o.HAR = true, "r.xml", "r.har"
				o.ClientCerts = []string{"api=c.pem,k.pem"}
				o.StrictResponses = true
			},
		},
		{
			name: "ca bundle and remote refs",
			args: []string{"doc.yaml", "--ca-cert", "ca.pem", "--allow-remote-refs"},
			want: func(o *run.Options) {
				o.File, o.CACert, o.AllowRemoteRefs = "doc.yaml", "ca.pem", true
			},
		},
		{name: "no file", args: nil, wantErr: "run needs the Arazzo document (a path, an http(s) URL or -)"},
		{name: "bad output", args: []string{"d.yaml", "-o", "xml"}, wantErr: `-o "xml": use text or json`},
		{name: "bad timeout", args: []string{"d.yaml", "--timeout", "0s"}, wantErr: "--timeout 0s: give a positive duration such as 30s"},
		{name: "same report file", args: []string{"d.yaml", "--junit", "r", "--har", "r"}, wantErr: `--junit and --har name the same file "r": give each its own`},
		{name: "both stdin", args: []string{"-", "--inputs", "-"}, wantErr: "the document and --inputs cannot both be read from standard input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			io, _, _ := cmdutil.TestStreams("", nil)
			var got *run.Options
			cmd := run.NewCmdRun(io, func(_ context.Context, o *run.Options) error { got = o; return nil })
			cmd.SetArgs(append([]string{}, tc.args...)) // never nil: cobra would read os.Args
			cmd.SetOut(io.Out)
			cmd.SetErr(io.ErrOut)
			err := cmd.Execute()
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			want := &run.Options{IO: io, Output: "text", Timeout: 30 * time.Second, MaxSteps: 1000, MaxResponseBytes: 64 << 20}
			tc.want(want)
			assert.Equal(t, want, got)
		})
	}
}
