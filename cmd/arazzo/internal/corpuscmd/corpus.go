// Package corpus implements `arazzo corpus`: it validates and mock-runs every Arazzo document of
// a folder and prints a table of how the set fares (validated clean, warnings per rule, workflows
// run green, failures per reason). It is how docs/corpus.md is produced.
package corpuscmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/runtime"
)

// Output formats of -o.
const (
	OutputText = "text"
	OutputJSON = "json"
)

// Options are the flag values of `arazzo corpus`.
type Options struct {
	IO *cmdutil.IOStreams

	Dir      string
	Strict   bool
	MockMode string
	Output   string
	Verbose  bool
	Parallel int
}

// NewCmdCorpus returns `arazzo corpus`. runF replaces the action in tests of flag parsing.
func NewCmdCorpus(io *cmdutil.IOStreams, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "corpus DIR",
		Short: "Validate and mock-run every Arazzo document of a folder, and sum up",
		Long: `Validate and run (with --mock and generated inputs) every Arazzo document under DIR, and print
a table: documents, workflows, documents that validate clean or with warnings (per rule),
workflows that ran green, and failures per reason. -v lists every red workflow with its error.

Exit status: 0 the survey ran (whatever it found), 2 DIR could not be read.`,
		Example: `  arazzo corpus ../shared/corpus
  arazzo corpus ../shared/corpus --mock-mode schema -v`,
		Args: cmdutil.ExactlyOne("a directory of Arazzo documents"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if opts.Output != OutputText && opts.Output != OutputJSON {
				return cmdutil.FlagErrorf("-o %q: use text or json", opts.Output)
			}
			if opts.MockMode != string(runtime.MockWorkflow) && opts.MockMode != string(runtime.MockSchema) {
				return cmdutil.FlagErrorf("--mock-mode %q: use workflow or schema", opts.MockMode)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return corpusRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Strict, "strict", false, "refuse the near-misses of documents in the wild, as run --strict and validate --strict do")
	f.StringVar(&opts.MockMode, "mock-mode", string(runtime.MockWorkflow), "how the mock answers: workflow (criteria hold) or schema")
	f.StringVarP(&opts.Output, "output", "o", OutputText, "result format: text or json")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "list every red workflow with its error")
	f.IntVar(&opts.Parallel, "parallel", 0, "documents handled at once (default: the number of CPUs)")
	return cmd
}

func corpusRun(ctx context.Context, opts *Options) error {
	start := time.Now()
	rep, err := Survey(ctx, opts.Dir, SurveyOptions{Strict: opts.Strict, MockMode: runtime.MockMode(opts.MockMode), Parallel: opts.Parallel})
	if err != nil {
		if rep == nil {
			return &cmdutil.CannotStartError{Err: err}
		}
		return err
	}
	if opts.Output == OutputJSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	Render(opts.IO.Out, rep, opts.Verbose)
	fmt.Fprintf(opts.IO.ErrOut, "surveyed %d documents in %s\n", len(rep.Documents), time.Since(start).Round(time.Millisecond))
	return nil
}

// Render writes the report as Markdown tables (the form docs/corpus.md quotes).
func Render(w io.Writer, rep *Report, verbose bool) {
	t := rep.Totals()
	pct := func(n, of int) string {
		if of == 0 {
			return "0%"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
	}
	fmt.Fprintln(w, "| figure | count | share |")
	fmt.Fprintln(w, "| --- | ---: | ---: |")
	fmt.Fprintf(w, "| documents | %d | |\n", t.Documents)
	fmt.Fprintf(w, "| documents parsed without crash | %d | %s |\n", t.Documents-t.Crashes, pct(t.Documents-t.Crashes, t.Documents))
	fmt.Fprintf(w, "| documents validated clean | %d | %s |\n", t.Clean, pct(t.Clean, t.Documents))
	fmt.Fprintf(w, "| documents with warnings only | %d | %s |\n", t.WithWarnings, pct(t.WithWarnings, t.Documents))
	fmt.Fprintf(w, "| documents with errors | %d | %s |\n", t.WithErrors, pct(t.WithErrors, t.Documents))
	fmt.Fprintf(w, "| findings without a position | %d | |\n", t.Unpositioned)
	fmt.Fprintf(w, "| workflows | %d | |\n", t.Workflows)
	fmt.Fprintf(w, "| workflows run green (--mock, generated inputs) | %d | %s |\n", t.Green, pct(t.Green, t.Workflows))
	fmt.Fprintf(w, "| workflows failed | %d | %s |\n", t.Red, pct(t.Red, t.Workflows))
	table(w, "validation errors", "rule", t.ErrorRules)
	table(w, "validation warnings", "rule", t.WarningRules)
	table(w, "run warnings", "rule", t.RunRules)
	table(w, "failed workflows", "reason", t.Fail)
	if !verbose {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "red workflows:")
	for _, d := range rep.Documents {
		if d.Crash != "" {
			fmt.Fprintf(w, "- %s: crash: %s\n", d.File, d.Crash)
		}
		for _, u := range d.Unpositioned {
			fmt.Fprintf(w, "- %s: finding without a position: %s\n", d.File, u)
		}
		for _, wf := range d.Workflows {
			if !wf.Green {
				fmt.Fprintf(w, "- %s: %s: %s: %s\n", d.File, wf.WorkflowID, wf.Reason, oneLine(wf.Error))
			}
		}
	}
}

func table(w io.Writer, title, key string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	fmt.Fprintf(w, "\n| %s: %s | count |\n| --- | ---: |\n", title, key)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		fmt.Fprintf(w, "| `%s` | %d |\n", k, m[k])
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
