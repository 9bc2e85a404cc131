// Package run implements `arazzo run`.
package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/report"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/version"
	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/runtime"
)

// Output formats of -o.
const (
	OutputText = "text"
	OutputJSON = "json"
)

// Options are the flag values of `arazzo run`.
type Options struct {
	IO *cmdutil.IOStreams

	File             string
	WorkflowID       string
	Inputs           []string // NAME=VALUE or NAME=@file
	InputsFile       string
	Servers          []string // SOURCE=URL or URL
	ServerVars       []string
	Sources          []string
	Auth             []string
	Output           string
	Timeout          time.Duration
	MaxSteps         int
	MaxResponseBytes int64
	Mock             bool
	// MockMode is "workflow" (the default of --mock) or "schema" (--mock=schema).
	MockMode string
	// NoGenerateInputs refuses missing inputs under --mock instead of generating them.
	NoGenerateInputs bool
	Verbose          bool
	DryRun           bool
	Strict           bool
	StrictResponses  bool
	JUnit            string   // --junit FILE
	HAR              string   // --har FILE
	ClientCerts      []string // [SOURCE=]CERT,KEY
	CACert           string   // --ca-cert FILE: extra trusted CAs, PEM
	AllowRemoteRefs  bool     // --allow-remote-refs
}

// NewCmdRun returns `arazzo run`. runF replaces the action in tests of flag parsing.
func NewCmdRun(io *cmdutil.IOStreams, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Run the workflows of an Arazzo document",
		Long: `Run the workflows of an Arazzo document against the APIs its OpenAPI source descriptions
describe, or against a built-in mock of them with --mock.

FILE is a path, an http(s) URL, or - for standard input. Credentials for the operations'
security schemes come from --auth, then ARAZZO_AUTH_<SOURCE>_<SCHEME> or ARAZZO_AUTH_<SCHEME>,
then a step's x-security, then workflow inputs named by convention (apiKey, token, username).

Exit status: 0 every workflow succeeded, 1 a workflow failed, 2 the run could not start,
130 interrupted.`,
		Example: `  # run the bundled workflow against the built-in mock
  arazzo run workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml \
    --inputs workflows/assembled/arazzo/inputs.example.json --mock

  # run one workflow against a real server, result as JSON
  arazzo run flow.yaml -w createPet -i name=Rex -s petstore=https://api.example.com -o json

  # in CI: JUnit and HAR files beside the text report
  arazzo run flow.yaml --inputs inputs.yaml --junit report.xml --har exchanges.har

  # show the requests the first pass would send, sending none
  arazzo run flow.yaml --inputs inputs.yaml --dry-run`,
		Args: cmdutil.ExactlyOne("the Arazzo document (a path, an http(s) URL or -)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.Output != OutputText && opts.Output != OutputJSON {
				return cmdutil.FlagErrorf("-o %q: use text or json", opts.Output)
			}
			if opts.Timeout <= 0 {
				return cmdutil.FlagErrorf("--timeout %s: give a positive duration such as 30s", opts.Timeout)
			}
			if opts.MaxSteps <= 0 {
				return cmdutil.FlagErrorf("--max-steps %d: give a positive number", opts.MaxSteps)
			}
			if opts.MaxResponseBytes <= 0 {
				return cmdutil.FlagErrorf("--max-response-bytes %d: give a positive number", opts.MaxResponseBytes)
			}
			if opts.InputsFile == "-" && opts.File == "-" {
				return cmdutil.FlagErrorf("the document and --inputs cannot both be read from standard input")
			}
			if opts.NoGenerateInputs && !opts.Mock {
				return cmdutil.FlagErrorf("--no-generate-inputs applies only with --mock: inputs are never generated for real APIs")
			}
			if opts.JUnit != "" && opts.JUnit == opts.HAR {
				return cmdutil.FlagErrorf("--junit and --har name the same file %q: give each its own", opts.JUnit)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.WorkflowID, "workflow", "w", "", "run this workflow (after the workflows it dependsOn); default: every workflow")
	f.StringArrayVarP(&opts.Inputs, "input", "i", nil, "an input `NAME=VALUE` (repeatable); NAME=@file reads the value from a file")
	f.StringVar(&opts.InputsFile, "inputs", "", "a JSON or YAML `FILE` of inputs (- for stdin), optionally keyed by workflowId")
	f.StringArrayVarP(&opts.Servers, "server", "s", nil, "base URL of a source: `SOURCE=URL`, or URL for every source (repeatable)")
	f.StringArrayVar(&opts.ServerVars, "server-var", nil, "value of an OpenAPI server variable: `NAME=VALUE` (repeatable)")
	f.StringArrayVar(&opts.Sources, "source", nil, "load source description NAME from PATH instead of its url: `NAME=PATH` (repeatable)")
	f.StringArrayVar(&opts.Auth, "auth", nil, "credentials for a security scheme: `[SOURCE.]SCHEME=VALUE` (user:pass, token or key)")
	f.StringVarP(&opts.Output, "output", "o", OutputText, "result format: text or json")
	f.DurationVar(&opts.Timeout, "timeout", runtime.DefaultTimeout, "per-request timeout")
	f.IntVar(&opts.MaxSteps, "max-steps", runtime.DefaultMaxSteps, "fail a run that has executed this many steps (goto loops)")
	f.Int64Var(&opts.MaxResponseBytes, "max-response-bytes", runtime.DefaultMaxResponseBytes, "refuse response bodies larger than this")
	f.Var(&mockFlag{on: &opts.Mock, mode: &opts.MockMode}, "mock", "send requests to an in-process mock of every OpenAPI source; no network needed. "+
		"--mock (or --mock=workflow) shapes each answer so the step's success criteria hold and polling loops end; --mock=schema answers from the OpenAPI description alone. "+
		"Missing inputs are generated from the inputs schema (see --no-generate-inputs)")
	f.Lookup("mock").NoOptDefVal = string(runtime.MockWorkflow)
	f.BoolVar(&opts.NoGenerateInputs, "no-generate-inputs", false, "with --mock, refuse missing inputs instead of generating them from the workflow's inputs schema")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "log each request and response to stderr (secrets redacted)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "resolve and print every request of the first pass; send nothing")
	f.BoolVar(&opts.Strict, "strict", false, "refuse the near-misses of documents in the wild (expressions without braces, $steps.S.name without .outputs., JavaScript-like jsonpath conditions, literal outputs, odd ids, required parameters filled from their default; see docs/dialect.md) instead of warning")
	f.BoolVar(&opts.StrictResponses, "strict-responses", false, "fail a step whose response differs from its OpenAPI description (undocumented status or media type, body off the schema) instead of warning")
	f.StringVar(&opts.JUnit, "junit", "", "also write a JUnit XML report to `FILE` (a testsuite per workflow, a testcase per step)")
	f.StringVar(&opts.HAR, "har", "", "also write every exchange to `FILE` as HAR 1.2 (secrets redacted)")
	f.StringArrayVar(&opts.ClientCerts, "client-cert", nil, "TLS client certificate and key, PEM files: `[SOURCE=]CERT,KEY` (env ARAZZO_CLIENT_CERT, ARAZZO_CLIENT_KEY)")
	f.StringVar(&opts.CACert, "ca-cert", "", "also trust the CA certificates of this PEM `FILE` (a private or self-signed CA)")
	f.BoolVar(&opts.AllowRemoteRefs, "allow-remote-refs", false, "follow $refs of OpenAPI descriptions to other hosts (off: only the description's own directory tree)")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{OutputText, OutputJSON}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// mockFlag is the value of --mock: absent (off), bare or "workflow", or "schema".
type mockFlag struct {
	on   *bool
	mode *string
}

func (f *mockFlag) String() string {
	if f.on == nil || !*f.on {
		return ""
	}
	return *f.mode
}

func (f *mockFlag) Set(v string) error {
	switch v {
	case string(runtime.MockWorkflow), string(runtime.MockSchema):
		*f.on, *f.mode = true, v
	case "true":
		*f.on, *f.mode = true, string(runtime.MockWorkflow)
	case "false":
		*f.on, *f.mode = false, ""
	default:
		return fmt.Errorf("%q: use --mock, --mock=workflow or --mock=schema", v)
	}
	return nil
}

func (f *mockFlag) Type() string { return "mode" }

// ErrWorkflowFailed is returned (with exit status 1) when a workflow of the run failed; the
// report already says which and why.
var ErrWorkflowFailed = errors.New("a workflow failed")

func runRun(ctx context.Context, opts *Options) error {
	io, err := cmdutil.WithCACert(opts.IO, opts.CACert)
	if err != nil {
		return err
	}
	opts.IO = io
	doc, err := cmdutil.LoadDocument(ctx, opts.IO, opts.File)
	if err != nil {
		return err
	}
	ro, err := runOptions(opts, doc)
	if err != nil {
		return err
	}
	for _, w := range doc.Warnings {
		fmt.Fprintln(opts.IO.ErrOut, w.Error())
	}
	client, err := clientCerts(opts, doc, &ro)
	if err != nil {
		return err
	}
	loader, err := openapi.NewLoader(openapi.WithHTTPClient(client), openapi.WithAllowRemoteRefs(opts.AllowRemoteRefs))
	if err != nil {
		return err
	}
	r, err := runtime.New(runtime.WithHTTPClient(client), runtime.WithLoader(loader))
	if err != nil {
		return err
	}
	red := newRedactor(opts, ro, doc)
	textOpts := report.TextOptions{Color: opts.IO.ColorEnabled(opts.IO.OutTTY)}
	var har *report.HAR
	if opts.HAR != "" {
		v, _, _ := version.Info()
		har = report.NewHAR(v)
	}
	var progress *report.Progress
	if showProgress(opts, doc) {
		progress = report.NewProgress(opts.IO.ErrOut)
	}
	// Every request's secrets reach the redactor through the observer, so exchanges are kept
	// for it; they are dropped right after unless the HAR file needs them.
	ro.DryRun = opts.DryRun
	ro.Strict = opts.Strict
	ro.StrictResponses = opts.StrictResponses
	ro.KeepExchanges = true
	// Only -v, --har and --dry-run show request bodies; without them a large body is streamed.
	ro.OmitRequestBodies = !opts.Verbose && har == nil && !opts.DryRun
	ro.Observer = func(workflowID string, s *runtime.StepResult) {
		red.AddExchanges(s)
		switch {
		case opts.DryRun && opts.Output == OutputText:
			report.DryRunStep(opts.IO.Out, workflowID, s, red, textOpts)
		case opts.Verbose:
			report.Exchanges(opts.IO.ErrOut, workflowID, s, red)
		}
		if progress != nil {
			progress.Step(workflowID, s)
		}
		if har != nil {
			har.Add(workflowID, s)
		}
		s.Exchanges = nil
	}
	res, runErr := r.Run(ctx, doc, ro)
	if progress != nil {
		progress.Done()
	}
	if res == nil {
		return redactError(runErr, red)
	}
	for _, w := range res.Warnings {
		if !strings.HasPrefix(w, doc.File+":") { // parse warnings were printed above
			fmt.Fprintln(opts.IO.ErrOut, "warning: "+red.String(w))
		}
	}
	shown := red.Result(res)
	// The files come first: an interrupted run still leaves them behind.
	fileErr := writeFiles(opts, shown, har, red)
	switch {
	case opts.Output == OutputJSON:
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(shown); err != nil {
			return err
		}
	case opts.DryRun:
		report.DryRunSummary(opts.IO.Out, shown, textOpts)
	default:
		report.Text(opts.IO.Out, shown, textOpts)
	}
	if runErr != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitInterrupted, Err: fmt.Errorf("interrupted: %w", runErr)}
	}
	if fileErr != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailed, Err: fileErr}
	}
	if !res.Success {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailed, Err: fmt.Errorf("%w: %w", cmdutil.ErrSilent, ErrWorkflowFailed)}
	}
	return nil
}

// showProgress says whether to keep a live progress line on stderr: only when stdout and
// stderr are both terminals, for documents with enough steps to make waiting noticeable, and
// when nothing else writes to stderr during the run.
func showProgress(opts *Options, doc *arazzo.Document) bool {
	if !opts.IO.OutTTY || !opts.IO.ErrTTY || opts.Verbose || opts.DryRun || opts.IO.Getenv("TERM") == "dumb" {
		return false
	}
	n := 0
	for _, wf := range doc.Workflows {
		n += len(wf.Steps)
	}
	return n >= report.ProgressMinSteps
}

// writeFiles writes the --junit and --har files, and says which could not be written.
func writeFiles(opts *Options, shown *runtime.Result, har *report.HAR, red *report.Redactor) error {
	var errs []error
	if opts.JUnit != "" {
		if err := writeFile(opts.JUnit, func(w io.Writer) error { return report.JUnit(w, shown) }); err != nil {
			errs = append(errs, fmt.Errorf("--junit %s: %w", opts.JUnit, unwrapPathError(err)))
		}
	}
	if har != nil {
		if err := writeFile(opts.HAR, func(w io.Writer) error { return har.Write(w, red) }); err != nil {
			errs = append(errs, fmt.Errorf("--har %s: %w", opts.HAR, unwrapPathError(err)))
		}
	}
	return errors.Join(errs...)
}

func writeFile(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// redactedError hides secrets in an error's message and keeps the error itself for errors.As,
// which chooses the exit status.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redactError(err error, red *report.Redactor) error {
	if err == nil {
		return nil
	}
	if msg := red.String(err.Error()); msg != err.Error() {
		return &redactedError{msg: msg, err: err}
	}
	return err
}

// runOptions turns flag values into the runtime's options.
func runOptions(opts *Options, doc *arazzo.Document) (runtime.RunOptions, error) {
	ro := runtime.RunOptions{
		WorkflowID:       opts.WorkflowID,
		Timeout:          opts.Timeout,
		MaxSteps:         opts.MaxSteps,
		MaxResponseBytes: opts.MaxResponseBytes,
		Mock:             opts.Mock,
		MockMode:         runtime.MockMode(opts.MockMode),
		GenerateInputs:   opts.Mock && !opts.NoGenerateInputs,
		LookupEnv:        opts.IO.LookupEnv,
		Servers:          map[string]string{},
		ServerVars:       map[string]string{},
		Sources:          map[string]string{},
	}
	in, err := readInputs(opts, doc)
	if err != nil {
		return ro, err
	}
	ro.Inputs = in
	for _, s := range opts.Servers {
		name, u, ok := strings.Cut(s, "=")
		if !ok || strings.Contains(name, "://") {
			name, u = "", s
		}
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return ro, cmdutil.FlagErrorf("--server %q: the URL must start with http:// or https://", s)
		}
		ro.Servers[name] = u
	}
	for _, s := range opts.ServerVars {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return ro, cmdutil.FlagErrorf("--server-var %q: use NAME=VALUE", s)
		}
		ro.ServerVars[k] = v
	}
	for _, s := range opts.Sources {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" || v == "" {
			return ro, cmdutil.FlagErrorf("--source %q: use NAME=PATH", s)
		}
		ro.Sources[k] = v
	}
	for _, s := range opts.Auth {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return ro, cmdutil.FlagErrorf("--auth %q: use [SOURCE.]SCHEME=VALUE", redactAuthFlag(s))
		}
		c := runtime.Credential{Scheme: k, Value: v}
		if src, scheme, ok := strings.Cut(k, "."); ok {
			c.Source, c.Scheme = src, scheme
		}
		ro.Auth = append(ro.Auth, c)
	}
	return ro, nil
}

// newRedactor returns a redactor that hides the credentials given with --auth and in the
// ARAZZO_AUTH_* environment, and the values of secret inputs; what each request reports as
// secret is added as the run goes.
func newRedactor(opts *Options, ro runtime.RunOptions, doc *arazzo.Document) *report.Redactor {
	r := report.NewRedactor()
	for _, c := range ro.Auth {
		r.Add(c.Value)
		if u, p, ok := strings.Cut(c.Value, ":"); ok {
			r.Add(u, p)
		}
	}
	if opts.IO.Environ != nil {
		for _, kv := range opts.IO.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			if strings.HasPrefix(k, "ARAZZO_AUTH_") {
				r.Add(v)
				if u, p, ok := strings.Cut(v, ":"); ok {
					r.Add(u, p)
				}
			}
		}
	}
	secret := secretInputNames(doc)
	var walk func(v any, isSecret bool)
	walk = func(v any, isSecret bool) {
		switch t := v.(type) {
		case map[string]any:
			for k, e := range t {
				walk(e, isSecret || secret[k] || report.SecretName(k))
			}
		case []any:
			for _, e := range t {
				walk(e, isSecret)
			}
		case string:
			if isSecret {
				r.Add(t)
			}
		case nil:
		default:
			if isSecret {
				r.Add(fmt.Sprint(t))
			}
		}
	}
	walk(ro.Inputs, false)
	return r
}

// secretInputNames lists the inputs the document marks as secret: `format: password` or
// `writeOnly: true` in a workflow's inputs schema.
func secretInputNames(doc *arazzo.Document) map[string]bool {
	out := map[string]bool{}
	for _, wf := range doc.Workflows {
		schema, _ := wf.Inputs.(map[string]any)
		if ref, ok := schema["$ref"].(string); ok && doc.Components != nil {
			schema, _ = doc.Components.Inputs[strings.TrimPrefix(ref, "#/components/inputs/")].(map[string]any)
		}
		props, _ := schema["properties"].(map[string]any)
		for name, p := range props {
			m, _ := p.(map[string]any)
			if m["format"] == "password" || m["writeOnly"] == true {
				out[name] = true
			}
		}
	}
	return out
}

func redactAuthFlag(s string) string {
	if k, _, ok := strings.Cut(s, "="); ok {
		return k + "=***"
	}
	return "***"
}

// readInputs merges --inputs with -i flags (-i wins).
func readInputs(opts *Options, doc *arazzo.Document) (map[string]any, error) {
	in := map[string]any{}
	if opts.InputsFile != "" {
		var (
			v   any
			err error
		)
		if opts.InputsFile == "-" {
			var data []byte
			if data, _, err = cmdutil.ReadDocument(context.Background(), opts.IO, "-", arazzo.MaxDocumentBytes*8); err == nil {
				v, err = arazzo.DecodeValue(opts.InputsFile, data)
			}
		} else {
			// Decoded as it is read: a large inputs file is not held whole beside its value (issue 8).
			v, err = arazzo.DecodeValueFile(opts.InputsFile)
		}
		var d arazzo.Diagnostic
		if errors.As(err, &d) {
			return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("--inputs: %w", err)}
		}
		if err != nil {
			return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("--inputs %s: %w", opts.InputsFile, unwrapPathError(err))}
		}
		m, ok := v.(map[string]any)
		if !ok && v != nil {
			return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("--inputs %s: must hold an object of inputs, not %T", opts.InputsFile, v)}
		}
		if m != nil {
			in = m
		}
	}
	for _, s := range opts.Inputs {
		name, raw, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return nil, cmdutil.FlagErrorf("-i %q: use NAME=VALUE or NAME=@file", s)
		}
		if file, ok := strings.CutPrefix(raw, "@"); ok {
			data, err := os.ReadFile(file)
			if err != nil {
				return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("-i %s=@%s: %w", name, file, unwrapPathError(err))}
			}
			raw = strings.TrimRight(string(data), "\r\n")
		}
		in[name] = runtime.CoerceInput(doc, opts.WorkflowID, name, raw)
	}
	return in, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		if errors.Is(err, os.ErrNotExist) {
			return errors.New("no such file")
		}
		return pe.Err
	}
	return err
}
