package corpuscmd_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/corpuscmd"
)

func TestNewCmdCorpus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    corpuscmd.Options
		wantErr string
	}{
		{name: "defaults", args: []string{"dir"}, want: corpuscmd.Options{Dir: "dir", MockMode: "workflow", Output: "text"}},
		{name: "all flags", args: []string{"dir", "--strict", "--mock-mode", "schema", "-o", "json", "-v", "--parallel", "3"},
			want: corpuscmd.Options{Dir: "dir", Strict: true, MockMode: "schema", Output: "json", Verbose: true, Parallel: 3}},
		{name: "bad mode", args: []string{"dir", "--mock-mode", "x"}, wantErr: `--mock-mode "x": use workflow or schema`},
		{name: "bad output", args: []string{"dir", "-o", "xml"}, wantErr: `-o "xml": use text or json`},
		{name: "no dir", args: nil, wantErr: "corpus needs a directory of Arazzo documents"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			io, _, _ := cmdutil.TestStreams("", nil)
			var got *corpuscmd.Options
			cmd := corpuscmd.NewCmdCorpus(io, func(_ context.Context, o *corpuscmd.Options) error { got = o; return nil })
			cmd.SetArgs(append([]string{}, tc.args...)) // never nil: cobra would read os.Args
			cmd.SetOut(io.Out)
			cmd.SetErr(io.ErrOut)
			err := cmd.Execute()
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			got.IO = nil
			assert.Equal(t, tc.want, *got)
		})
	}
}

// corpusDir is the shared development corpus, read in place (never copied into the repository).
const corpusDir = "../../../../../shared/corpus"

// minGreen is the share of corpus workflows that must run green with --mock and generated
// inputs: issue 10's target. The documents still red are listed, with their defects, in
// docs/corpus.md. Raise this floor as they are fixed, never lower it.
const minGreen = 0.95

// TestCorpusReport validates and mock-runs every workflow of the shared corpus: nothing may
// crash, every finding must carry a position, and at least minGreen of the workflows must run
// green.
func TestCorpusReport(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus survey takes about 20 s; skipped with -short")
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("no corpus at %s", corpusDir)
	}
	rep, err := corpuscmd.Survey(t.Context(), corpusDir, corpuscmd.SurveyOptions{})
	require.NoError(t, err)
	tot := rep.Totals()
	for _, d := range rep.Documents {
		assert.Empty(t, d.Crash, d.File)
		assert.Empty(t, d.Unpositioned, d.File)
	}
	require.Positive(t, tot.Workflows)
	share := float64(tot.Green) / float64(tot.Workflows)
	assert.GreaterOrEqual(t, share, minGreen, "green %d of %d workflows; failures by reason: %v", tot.Green, tot.Workflows, tot.Fail)
}
