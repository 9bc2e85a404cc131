// Package validate implements `arazzo validate`: it checks Arazzo documents without sending a
// request and reports every finding as text, JSON, SARIF, GitHub annotations or JUnit.
package validate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/runtime"
)

// Output formats of -f (cli.md).
const (
	FormatText   = "text"
	FormatJSON   = "json"
	FormatSARIF  = "sarif"
	FormatGitHub = "github"
	FormatJUnit  = "junit"
)

// Formats lists the values -f accepts.
var Formats = []string{FormatText, FormatJSON, FormatSARIF, FormatGitHub, FormatJUnit}

// Options are the flag values of `arazzo validate`.
type Options struct {
	IO *cmdutil.IOStreams

	Paths  []string
	Format string
	Strict bool
	// Sources replaces a source description's location: NAME=PATH (as for run).
	Sources []string
	// CACert is a PEM bundle of extra trusted CAs for https documents and sources.
	CACert string
	// AllowRemoteRefs lets OpenAPI descriptions $ref documents on other hosts.
	AllowRemoteRefs bool
}

// ErrFindings is returned (exit status 1) when validation found errors, or warnings with
// --strict; the report already lists them.
var ErrFindings = errors.New("validation found errors")

// NewCmdValidate returns `arazzo validate`. runF replaces the action in tests of flag parsing.
func NewCmdValidate(io *cmdutil.IOStreams, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "validate FILE|DIR...",
		Short: "Check Arazzo documents without sending a request",
		Long: `Check Arazzo documents without sending a request: structure against the official JSON Schema
of the document's version, ids and references, runtime expressions, the operations and parameters
of the OpenAPI source descriptions, and common mistakes. Directories are searched for YAML and
JSON files whose root has an "arazzo" key; other files are skipped.

Every finding is printed as file:line:col: severity: message [rule]; docs/validate-rules.md
explains each rule.

Exit status: 0 no errors, 1 errors found (or warnings, with --strict), 2 could not run.`,
		Example: `  arazzo validate workflows/
  arazzo validate flow.arazzo.yaml --strict
  arazzo validate . -f github     # annotations in a GitHub Actions job
  arazzo validate . -f sarif > arazzo.sarif`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if !contains(Formats, opts.Format) {
				return cmdutil.FlagErrorf("-f %q: use one of %s", opts.Format, strings.Join(Formats, ", "))
			}
			for _, s := range opts.Sources {
				if k, v, ok := strings.Cut(s, "="); !ok || k == "" || v == "" {
					return cmdutil.FlagErrorf("--source %q: use NAME=PATH", s)
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return validateRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Format, "format", "f", FormatText, "output format: text, json, sarif, github or junit")
	f.BoolVar(&opts.Strict, "strict", false, "count warnings as errors")
	f.StringArrayVar(&opts.Sources, "source", nil, "load source description NAME from PATH instead of its url: `NAME=PATH` (repeatable)")
	f.StringVar(&opts.CACert, "ca-cert", "", "also trust the CA certificates of this PEM `FILE` for https documents and sources")
	f.BoolVar(&opts.AllowRemoteRefs, "allow-remote-refs", false, "follow $refs of OpenAPI descriptions to other hosts (off: only the description's own directory tree)")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return Formats, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// Report is what validation found: the documents checked and their findings, sorted.
type Report struct {
	Documents []string           `json:"documents"`
	Findings  arazzo.Diagnostics `json:"findings"`
	Errors    int                `json:"errors"`
	Warnings  int                `json:"warnings"`
	Strict    bool               `json:"strict"`
}

// Failed reports whether the report makes the command exit 1.
func (r *Report) Failed() bool {
	return r.Errors > 0 || (r.Strict && r.Warnings > 0)
}

func validateRun(ctx context.Context, opts *Options) error {
	files, err := expand(opts.Paths)
	if err != nil {
		return err
	}
	sources := map[string]string{}
	for _, s := range opts.Sources {
		k, v, _ := strings.Cut(s, "=")
		sources[k] = v
	}
	io, err := cmdutil.WithCACert(opts.IO, opts.CACert)
	if err != nil {
		return err
	}
	loader, err := openapi.NewLoader(openapi.WithHTTPClient(io.HTTPClient), openapi.WithAllowRemoteRefs(opts.AllowRemoteRefs))
	if err != nil {
		return err
	}
	runner, err := runtime.New(runtime.WithHTTPClient(io.HTTPClient), runtime.WithLoader(loader))
	if err != nil {
		return err
	}
	rep := &Report{Strict: opts.Strict, Documents: []string{}, Findings: arazzo.Diagnostics{}}
	for _, f := range files {
		// One byte over the limit still reads, so the parser reports document-too-large as a finding.
		data, name, err := cmdutil.ReadDocument(ctx, io, f, arazzo.MaxDocumentBytes+1)
		if err != nil {
			return err
		}
		rep.Documents = append(rep.Documents, name)
		doc, diags := arazzo.ValidateBytes(name, data)
		if doc != nil {
			diags = append(diags, runner.Check(ctx, doc, runtime.CheckOptions{Sources: sources})...)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		diags.Sort()
		rep.Findings = append(rep.Findings, diags...)
	}
	for _, d := range rep.Findings {
		switch d.Severity {
		case arazzo.SeverityError:
			rep.Errors++
		case arazzo.SeverityWarning:
			rep.Warnings++
		}
	}
	if err := Render(opts.IO.Out, opts.Format, rep); err != nil {
		return err
	}
	if opts.Format == FormatText {
		fmt.Fprintln(opts.IO.ErrOut, summary(rep))
	}
	if rep.Failed() {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailed, Err: fmt.Errorf("%w: %w", cmdutil.ErrSilent, ErrFindings)}
	}
	return nil
}

func summary(rep *Report) string {
	s := fmt.Sprintf("%d %s, %d %s in %d %s", rep.Errors, plural(rep.Errors, "error"), rep.Warnings, plural(rep.Warnings, "warning"),
		len(rep.Documents), plural(len(rep.Documents), "document"))
	if rep.Strict && rep.Warnings > 0 {
		s += " (--strict: warnings count as errors)"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// expand turns the arguments into document paths: files and URLs as given, directories walked
// for YAML/JSON files whose root has an `arazzo` key (others, such as a catalogue
// `_index.yml`, are skipped). Hidden directories are not entered.
func expand(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" || strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
			out = append(out, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("%s: no such file or directory: check the path", a)}
			}
			return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("%s: %w", a, err)}
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		found, err := cmdutil.FindDocuments(a)
		if err != nil {
			return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("walk %s: %w", a, err)}
		}
		if len(found) == 0 {
			return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("%s holds no Arazzo document (a YAML or JSON file with an `arazzo` key): give another path", a)}
		}
		out = append(out, found...)
	}
	return out, nil
}
