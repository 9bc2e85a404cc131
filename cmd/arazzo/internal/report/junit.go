package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/arazzo-runner/arazzo/runtime"
)

// JUnit XML, in the form CI servers (Jenkins, GitLab, GitHub test reporters) read: one
// <testsuite> per workflow and one <testcase> per step execution. A step whose success
// criterion failed is a <failure>; a step that failed otherwise (a request that could not be
// built or sent, an output that could not be evaluated) is an <error>.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit writes res as JUnit XML. res should already be redacted (Redactor.Result).
func JUnit(w io.Writer, res *runtime.Result) error {
	doc := junitSuites{Name: res.Document}
	var total float64
	for _, wf := range res.Workflows {
		s := junitSuite{Name: wf.WorkflowID, Time: seconds(wf.DurationMs)}
		total += wf.DurationMs
		runs := map[string]int{}
		failedStep := false
		for _, st := range wf.Steps {
			runs[st.StepID]++
			c := junitCase{Name: st.StepID, Classname: wf.WorkflowID, Time: seconds(st.DurationMs), SystemOut: stepSummary(st)}
			if n := runs[st.StepID]; n > 1 {
				c.Name = fmt.Sprintf("%s (run %d)", st.StepID, n)
			}
			switch {
			case res.DryRun && st.Success:
				c.Skipped = &junitSkipped{Message: "dry run: the request was built, not sent"}
				s.Skipped++
			case st.Success:
			case criterionFailed(st):
				c.Failure = &junitProblem{Message: st.Error, Type: "criterion", Text: criteriaText(st)}
				s.Failures++
				failedStep = true
			default:
				c.Error = &junitProblem{Message: st.Error, Type: "error", Text: st.Error}
				s.Errors++
				failedStep = true
			}
			s.Cases = append(s.Cases, c)
		}
		if !wf.Success && !failedStep {
			// The workflow failed without a failing step: max steps, an output, an interrupt.
			s.Cases = append(s.Cases, junitCase{Name: "(workflow)", Classname: wf.WorkflowID, Time: seconds(0),
				Error: &junitProblem{Message: wf.Error, Type: "error", Text: wf.Error}})
			s.Errors++
		}
		s.Tests = len(s.Cases)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// criterionFailed reports whether a success criterion of the step did not hold.
func criterionFailed(s *runtime.StepResult) bool {
	for _, c := range s.Criteria {
		if !c.Passed && !c.Skipped {
			return true
		}
	}
	return false
}

// criteriaText lists every criterion of a step with its outcome and the values it saw.
func criteriaText(s *runtime.StepResult) string {
	var b strings.Builder
	for _, c := range s.Criteria {
		mark := "passed"
		switch {
		case c.Skipped:
			mark = "skipped"
		case !c.Passed:
			mark = "FAILED"
		}
		fmt.Fprintf(&b, "%s: %s", mark, c.Condition)
		if c.Seen != "" {
			fmt.Fprintf(&b, " (saw %s)", c.Seen)
		}
		if c.Error != "" {
			fmt.Fprintf(&b, ": %s", c.Error)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// stepSummary is the one line a CI page shows under a test case: the request and its status.
func stepSummary(s *runtime.StepResult) string {
	var parts []string
	if s.Method != "" {
		line := s.Method + " " + s.URL
		if s.StatusCode != 0 {
			line += fmt.Sprintf(" -> %d", s.StatusCode)
		}
		parts = append(parts, line)
	}
	if s.WorkflowID != "" {
		parts = append(parts, "workflow "+s.WorkflowID)
	}
	if s.Attempts > 1 {
		parts = append(parts, fmt.Sprintf("%d attempts", s.Attempts))
	}
	if s.Action != "" {
		parts = append(parts, "then "+s.Action)
	}
	return strings.Join(parts, ", ")
}

func seconds(ms float64) string { return fmt.Sprintf("%.3f", ms/1000) }
