package runtime

import (
	"errors"
	"fmt"
	"strings"
)

// SetupError says the run could not start: the document, a source description, an option or
// the inputs are wrong. No request was sent. The CLI maps it to exit status 2.
type SetupError struct {
	Err error
}

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

func setupErrorf(format string, args ...any) error {
	return &SetupError{Err: fmt.Errorf(format, args...)}
}

// InputError lists every problem with the inputs of a workflow.
type InputError struct {
	WorkflowID string
	Problems   []string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("workflow %q: invalid inputs: %s", e.WorkflowID, strings.Join(e.Problems, "; "))
}

// ErrMaxSteps is wrapped by a workflow error when the run reached RunOptions.MaxSteps.
var ErrMaxSteps = errors.New("maximum step executions reached")

// ErrMaxDepth is wrapped when nested workflow calls exceed RunOptions.MaxDepth.
var ErrMaxDepth = errors.New("maximum workflow depth reached")

// StepError says why a step failed, with the criterion and the values it saw where a
// criterion is the cause.
type StepError struct {
	WorkflowID string
	StepID     string
	Criterion  string // the failed condition, empty for transport or setup failures
	Seen       string // the values the condition read
	StatusCode int
	Err        error // the underlying cause for transport, build or evaluation failures
}

func (e *StepError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %q: ", e.StepID)
	switch {
	case e.Criterion != "":
		fmt.Fprintf(&b, "success criterion %q failed", e.Criterion)
		if e.Seen != "" {
			fmt.Fprintf(&b, " (saw %s)", e.Seen)
		}
		if e.Err != nil {
			fmt.Fprintf(&b, ": %v", e.Err)
		}
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString("failed")
	}
	return b.String()
}

func (e *StepError) Unwrap() error { return e.Err }

// TransportError wraps a request that could not be sent or whose response could not be read.
type TransportError struct {
	Method, URL string
	Err         error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("%s %s: %v", e.Method, e.URL, e.Err)
}
func (e *TransportError) Unwrap() error { return e.Err }
