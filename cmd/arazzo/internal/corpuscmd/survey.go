package corpuscmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	goruntime "runtime"
	"strings"
	"sync"
	"time"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/runtime"
)

// SurveyOptions tune Survey.
type SurveyOptions struct {
	// Strict runs and validates as --strict does: the tolerated near-misses become errors.
	Strict bool
	// MockMode is the mock's mode for the runs (default runtime.MockWorkflow).
	MockMode runtime.MockMode
	// Parallel is how many documents are handled at once (default GOMAXPROCS).
	Parallel int
	// Timeout bounds each request of a run (default 10s).
	Timeout time.Duration
}

// Document is what the survey found for one document.
type Document struct {
	File string `json:"file"`
	// Errors and Warnings count the validation findings; Rules counts them by rule id.
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
	Rules    map[string]int `json:"rules,omitempty"`
	// Unpositioned lists findings that carry no line and column (the target is none).
	Unpositioned []string `json:"unpositioned,omitempty"`
	// Crash holds a panic's message when parsing, validating or running panicked.
	Crash string `json:"crash,omitempty"`
	// Workflows are the mock-run outcomes, one per workflow of the document.
	Workflows []Workflow `json:"workflows"`
	// RunWarnings counts the run's warnings by rule id.
	RunWarnings map[string]int `json:"runWarnings,omitempty"`
	// DurationMs is how long validating and running the document took.
	DurationMs float64 `json:"durationMs"`
}

// Workflow is the outcome of one workflow's mock run.
type Workflow struct {
	WorkflowID string `json:"workflowId"`
	Green      bool   `json:"green"`
	// Reason classifies a failure (e.g. "setup: source-unloadable", "criterion", "http 400").
	Reason string `json:"reason,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Report sums a survey up.
type Report struct {
	Dir       string     `json:"dir"`
	Documents []Document `json:"documents"`
}

// Totals are the figures of a report.
type Totals struct {
	Documents, Workflows, Crashes            int
	Clean, WithWarnings, WithErrors          int
	Green, Red                               int
	Unpositioned                             int
	WarningRules, ErrorRules, RunRules, Fail map[string]int
}

// Survey validates and mock-runs (with generated inputs) every Arazzo document under dir,
// several at a time, sharing one OpenAPI loader so each description loads once. It returns an
// error only when dir cannot be read.
func Survey(ctx context.Context, dir string, opts SurveyOptions) (*Report, error) {
	files, err := documents(dir)
	if err != nil {
		return nil, err
	}
	if opts.Parallel <= 0 {
		opts.Parallel = goruntime.GOMAXPROCS(0)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	loader, err := openapi.NewLoader()
	if err != nil {
		return nil, err
	}
	// Retries wait no time: the mock answers at once, and a survey must not sleep through a
	// document's retryAfter values.
	noWait := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	runner, err := runtime.New(runtime.WithLoader(loader), runtime.WithSleep(noWait))
	if err != nil {
		return nil, err
	}
	rep := &Report{Dir: dir, Documents: make([]Document, len(files))}
	work := make(chan int)
	var wg sync.WaitGroup
	for range opts.Parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				rep.Documents[i] = surveyOne(ctx, runner, files[i], opts)
			}
		}()
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	return rep, ctx.Err()
}

// documents lists the Arazzo documents under dir (see cmdutil.FindDocuments).
func documents(dir string) ([]string, error) {
	out, err := cmdutil.FindDocuments(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("corpus %s holds no Arazzo document: give another directory", dir)
	}
	return out, nil
}

func surveyOne(ctx context.Context, runner *runtime.Runner, file string, opts SurveyOptions) (d Document) {
	d = Document{File: file, Rules: map[string]int{}, RunWarnings: map[string]int{}}
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			d.Crash = fmt.Sprint(r)
		}
		d.DurationMs = float64(time.Since(start).Microseconds()) / 1000
	}()
	data, err := os.ReadFile(file)
	if err != nil {
		d.Crash = err.Error()
		return d
	}
	doc, diags := arazzo.ValidateBytes(file, data)
	if doc != nil {
		diags = append(diags, runner.Check(ctx, doc, runtime.CheckOptions{})...)
	}
	for _, f := range diags {
		if f.Line <= 0 || f.Col <= 0 {
			d.Unpositioned = append(d.Unpositioned, f.Error())
		}
		sev := f.Severity
		if opts.Strict && sev == arazzo.SeverityWarning {
			sev = arazzo.SeverityError
		}
		switch sev {
		case arazzo.SeverityError:
			d.Errors++
		case arazzo.SeverityWarning:
			d.Warnings++
		}
		d.Rules[string(sev)+" "+f.Rule]++
	}

	doc, err = arazzo.Parse(file, data)
	if err != nil {
		d.Workflows = []Workflow{{WorkflowID: "(document)", Reason: "parse: " + firstRule(err), Error: err.Error()}}
		return d
	}
	res, err := runner.Run(ctx, doc, runtime.RunOptions{Mock: true, MockMode: opts.MockMode, GenerateInputs: true,
		Strict: opts.Strict, Timeout: opts.Timeout, MaxSteps: 200})
	if res == nil {
		reason := "setup: " + firstRule(err)
		for _, wf := range doc.Workflows {
			d.Workflows = append(d.Workflows, Workflow{WorkflowID: wf.WorkflowID, Reason: reason, Error: errText(err)})
		}
		return d
	}
	for _, w := range res.Warnings {
		d.RunWarnings[ruleOf(w)]++
	}
	for _, wr := range res.Workflows {
		w := Workflow{WorkflowID: wr.WorkflowID, Green: wr.Success}
		if !wr.Success {
			w.Reason, w.Error = classify(wr), wr.Error
		}
		d.Workflows = append(d.Workflows, w)
	}
	return d
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// firstRule names a setup failure by the rule of its first diagnostic, else by its kind.
func firstRule(err error) string {
	var ds arazzo.Diagnostics
	if errors.As(err, &ds) && len(ds) > 0 {
		return ds[0].Rule
	}
	var d arazzo.Diagnostic
	if errors.As(err, &d) {
		return d.Rule
	}
	var ie *runtime.InputError
	if errors.As(err, &ie) {
		return "inputs"
	}
	return "other"
}

// ruleOf reads the trailing "[rule]" of a warning, or "other".
func ruleOf(w string) string {
	if strings.HasSuffix(w, "]") {
		if i := strings.LastIndex(w, "["); i >= 0 && ruleID.MatchString(w[i+1:len(w)-1]) {
			return w[i+1 : len(w)-1]
		}
	}
	return "(no rule id)"
}

var ruleID = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)+$`)

// classify names why a workflow failed, from its last failed step.
func classify(wr *runtime.WorkflowResult) string {
	for i := len(wr.Steps) - 1; i >= 0; i-- {
		s := wr.Steps[i]
		if s.Success {
			continue
		}
		switch {
		case s.StatusCode >= 400:
			return fmt.Sprintf("http %d", s.StatusCode)
		case hasFailedCriterion(s):
			return "criterion"
		case s.Method != "" && s.StatusCode == 0:
			return "request"
		}
		return "step"
	}
	if strings.Contains(wr.Error, runtime.ErrMaxSteps.Error()) {
		return "max-steps"
	}
	return "workflow"
}

func hasFailedCriterion(s *runtime.StepResult) bool {
	for _, c := range s.Criteria {
		if !c.Passed {
			return true
		}
	}
	return false
}

// Totals sums the report up.
func (r *Report) Totals() Totals {
	t := Totals{WarningRules: map[string]int{}, ErrorRules: map[string]int{}, RunRules: map[string]int{}, Fail: map[string]int{}}
	t.Documents = len(r.Documents)
	for _, d := range r.Documents {
		if d.Crash != "" {
			t.Crashes++
		}
		t.Unpositioned += len(d.Unpositioned)
		switch {
		case d.Errors > 0:
			t.WithErrors++
		case d.Warnings > 0:
			t.WithWarnings++
		default:
			t.Clean++
		}
		for k, n := range d.Rules {
			sev, rule, _ := strings.Cut(k, " ")
			if sev == string(arazzo.SeverityError) {
				t.ErrorRules[rule] += n
			} else {
				t.WarningRules[rule] += n
			}
		}
		for k, n := range d.RunWarnings {
			t.RunRules[k] += n
		}
		for _, w := range d.Workflows {
			t.Workflows++
			if w.Green {
				t.Green++
			} else {
				t.Red++
				t.Fail[w.Reason]++
			}
		}
	}
	return t
}
