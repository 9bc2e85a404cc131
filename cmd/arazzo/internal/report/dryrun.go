package report

import (
	"fmt"
	"io"

	"github.com/arazzo-runner/arazzo/runtime"
)

// DryRunStep writes the request a step would send (method, URL, headers and body, secrets
// hidden), or why it could not be built, and its criteria, which a dry run skips when they
// need a response. It is meant for RunOptions.Observer in a dry run.
func DryRunStep(w io.Writer, workflowID string, s *runtime.StepResult, r *Redactor, o TextOptions) {
	p := painter(o)
	r.AddExchanges(s)
	mark := p(dim, "○")
	if !s.Success {
		mark = p(red, "✗")
	}
	fmt.Fprintf(w, "%s %s/%s\n", mark, workflowID, s.StepID)
	if s.WorkflowID != "" {
		fmt.Fprintf(w, "    calls workflow %s\n", s.WorkflowID)
	}
	for _, ex := range s.Exchanges {
		fmt.Fprintf(w, "    %s %s\n", ex.Method, r.URL(ex.URL))
		writeHeaders(w, "    ", r.Header(ex.RequestHeader))
		if len(ex.RequestBody) > 0 {
			writeBody(w, "    ", ex.RequestBody, r)
		}
	}
	if !s.Success {
		fmt.Fprintf(w, "    %s\n", p(red, r.String(s.Error)))
	}
	for _, c := range s.Criteria {
		switch {
		case c.Skipped:
			fmt.Fprintf(w, "    %s %s %s\n", p(dim, "-"), c.Condition, p(dim, "(skipped: needs a response)"))
		case c.Passed:
			fmt.Fprintf(w, "    %s %s\n", p(green, "✓"), c.Condition)
		default:
			fmt.Fprintf(w, "    %s %s %s\n", p(red, "✗"), c.Condition, r.String(c.Seen))
		}
	}
}

// DryRunSummary writes the closing line of a dry run.
func DryRunSummary(w io.Writer, res *runtime.Result, o TextOptions) {
	p := painter(o)
	built, failed := 0, 0
	for _, wf := range res.Workflows {
		for _, s := range wf.Steps {
			if s.Success {
				built++
			} else {
				failed++
			}
		}
	}
	verdict := p(green, "DRY RUN")
	if failed > 0 {
		verdict = p(red, "DRY RUN FAILED")
	}
	fmt.Fprintf(w, "\n%s %s built, %d could not be built; nothing was sent\n", verdict, plural(built, "step"), failed)
}

func painter(o TextOptions) func(code, s string) string {
	return func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + reset
	}
}
