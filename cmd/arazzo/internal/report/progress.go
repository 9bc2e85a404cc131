package report

import (
	"fmt"
	"io"
	"time"

	"github.com/arazzo-runner/arazzo/runtime"
)

// ProgressMinSteps is the number of steps a document must have before a live progress line is
// worth showing.
const ProgressMinSteps = 5

// Progress keeps one line on a terminal up to date while a run goes: how many steps ran, how
// many failed, the last one and the time so far. Use it only when stdout and stderr are both
// terminals; it writes carriage returns and an erase-line escape.
type Progress struct {
	w       io.Writer
	start   time.Time
	now     func() time.Time
	steps   int
	failed  int
	printed bool
}

// NewProgress returns a progress line writing to w (stderr).
func NewProgress(w io.Writer) *Progress {
	return &Progress{w: w, start: time.Now(), now: time.Now}
}

// Step updates the line after a step finished; it is meant for RunOptions.Observer.
func (p *Progress) Step(workflowID string, s *runtime.StepResult) {
	p.steps++
	mark := "✓"
	if !s.Success {
		p.failed++
		mark = "✗"
	}
	elapsed := p.now().Sub(p.start).Round(100 * time.Millisecond)
	fmt.Fprintf(p.w, "\r\x1b[K%s steps, %d failed, %s  %s %s/%s", fmt.Sprint(p.steps), p.failed, elapsed, mark, workflowID, s.StepID)
	p.printed = true
}

// Done erases the line, before the report is written.
func (p *Progress) Done() {
	if p.printed {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.printed = false
	}
}
