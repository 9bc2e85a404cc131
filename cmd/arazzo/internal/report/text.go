// Package report renders run results for people and for CI tools.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/arazzo-runner/arazzo/runtime"
)

// TextOptions tune the text report.
type TextOptions struct {
	Color bool
}

const (
	green = "\x1b[32m"
	red   = "\x1b[31m"
	dim   = "\x1b[2m"
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

// Text writes the human report: a mark per workflow and step, the failing criterion with the
// values seen, the workflow outputs, and a closing summary line.
func Text(w io.Writer, res *runtime.Result, o TextOptions) {
	paint := func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + reset
	}
	mark := func(ok bool) string {
		if ok {
			return paint(green, "✓")
		}
		return paint(red, "✗")
	}
	if res.Mocked {
		fmt.Fprintln(w, paint(dim, "(mocked: requests went to the built-in mock of each OpenAPI source)"))
	}
	for _, id := range sortedKeys(res.GeneratedInputs) {
		gen := res.GeneratedInputs[id]
		parts := make([]string, 0, len(gen))
		for _, k := range sortedKeys(gen) {
			b, _ := json.Marshal(gen[k])
			v := string(b)
			if len(v) > 60 { // the whole values are in -o json; the report shows what they are
				v = strings.ToValidUTF8(v[:60], "") + "…"
			}
			parts = append(parts, k+"="+v)
		}
		fmt.Fprintln(w, paint(dim, fmt.Sprintf("(generated inputs of %s: %s)", id, strings.Join(parts, ", "))))
	}
	var passed, failed, steps int
	var total float64
	for _, wf := range res.Workflows {
		total += wf.DurationMs
		steps += len(wf.Steps)
		if wf.Success {
			passed++
		} else {
			failed++
		}
		fmt.Fprintf(w, "%s %s %s\n", mark(wf.Success), paint(bold, wf.WorkflowID), paint(dim, fmt.Sprintf("(%s, %s)", plural(len(wf.Steps), "step"), durationText(wf.DurationMs))))
		for _, s := range wf.Steps {
			line := fmt.Sprintf("  %s %s", mark(s.Success), s.StepID)
			switch {
			case s.Method != "":
				line += fmt.Sprintf("  %s %s", s.Method, s.URL)
				if s.StatusCode != 0 {
					line += fmt.Sprintf(" → %d", s.StatusCode)
				}
			case s.WorkflowID != "":
				line += "  workflow " + s.WorkflowID
			}
			line += "  " + paint(dim, durationText(s.DurationMs))
			if s.Attempts > 1 {
				line += paint(dim, fmt.Sprintf("  %d attempts", s.Attempts))
			}
			if s.Action != "" {
				line += paint(dim, "  → "+s.Action)
			}
			fmt.Fprintln(w, line)
			if !s.Success && s.Error != "" {
				fmt.Fprintf(w, "      %s\n", paint(red, s.Error))
			}
		}
		if !wf.Success && wf.Error != "" && !stepsSay(wf) {
			fmt.Fprintf(w, "  %s\n", paint(red, wf.Error))
		}
		if wf.TransferredTo != "" {
			fmt.Fprintf(w, "  transferred to workflow %s\n", wf.TransferredTo)
		}
		if len(wf.Outputs) > 0 {
			fmt.Fprintf(w, "  outputs: %s\n", outputsText(wf.Outputs))
		}
	}
	verdict := paint(green, "PASS")
	if failed > 0 {
		verdict = paint(red, "FAIL")
	}
	fmt.Fprintf(w, "\n%s %s passed, %d failed (%s) in %s\n", verdict, plural(passed, "workflow"), failed, plural(steps, "step"), durationText(total))
}

// stepsSay reports whether the last step's error already says what the workflow error says.
func stepsSay(wf *runtime.WorkflowResult) bool {
	if len(wf.Steps) == 0 {
		return false
	}
	last := wf.Steps[len(wf.Steps)-1]
	return !last.Success && last.Error == wf.Error
}

func outputsText(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		b, err := json.Marshal(m[k])
		v := string(b)
		if err != nil {
			v = fmt.Sprint(m[k])
		}
		if len(v) > 200 {
			v = v[:200] + "…"
		}
		parts[i] = k + "=" + v
	}
	return strings.Join(parts, " ")
}

func durationText(ms float64) string {
	switch {
	case ms >= 1000:
		return fmt.Sprintf("%.2fs", ms/1000)
	case ms >= 10:
		return fmt.Sprintf("%.0fms", ms)
	}
	return fmt.Sprintf("%.1fms", ms)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
