package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// sample is one timed run of a tool as a whole process.
type sample struct {
	wall   time.Duration
	rssKiB int64 // peak resident set size of the child, as Linux reports it (KiB)
}

// runOnce runs cmd through the launcher (see bench/launch) and returns the tool's wall time
// and peak RSS as the launcher measured them. A non-zero exit is an error carrying the end of
// the tool's output.
func runOnce(launcher string, cmd *exec.Cmd) (sample, error) {
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	r, w, err := os.Pipe()
	if err != nil {
		return sample{}, err
	}
	defer r.Close()
	cmd.ExtraFiles = []*os.File{w}
	cmd.Args = append([]string{launcher}, cmd.Args...)
	cmd.Path = launcher
	err = cmd.Start()
	w.Close()
	if err != nil {
		return sample{}, err
	}
	result, _ := io.ReadAll(r)
	if err := cmd.Wait(); err != nil {
		return sample{}, fmt.Errorf("%v: %s", err, tail(out.String()))
	}
	var ns, kib int64
	if _, err := fmt.Sscanf(string(result), "%d %d", &ns, &kib); err != nil {
		return sample{}, fmt.Errorf("launcher result %q: %v", result, err)
	}
	return sample{wall: time.Duration(ns), rssKiB: kib}, nil
}

// stats summarises the samples of one tool at one size.
type stats struct {
	n                  int
	median, min, max   time.Duration
	rssMedian, rssPeak int64 // KiB
	skipped, failed    string
}

func summarise(ss []sample) stats {
	if len(ss) == 0 {
		return stats{}
	}
	walls := make([]time.Duration, len(ss))
	rss := make([]int64, len(ss))
	for i, s := range ss {
		walls[i], rss[i] = s.wall, s.rssKiB
	}
	slices.Sort(walls)
	slices.Sort(rss)
	return stats{n: len(ss), median: median(walls), min: walls[0], max: walls[len(walls)-1],
		rssMedian: median(rss), rssPeak: rss[len(rss)-1]}
}

func median[T int64 | time.Duration](sorted []T) T {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// tool is one contender: a name and how to start it for an inputs file.
type tool struct {
	name    string
	note    string
	skipped string // why it does not run, when it does not
	command func(ctx context.Context, inputs string) *exec.Cmd
	prepare func(inputs string) error // called once per size before its runs; may be nil
}

// tail is the end of a failed tool's output: its last few meaningful lines, on one line.
func tail(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.ContainsAny(l, "║╔╚─┌└├│") || strings.HasPrefix(l, "at ") {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) > 4 {
		keep = keep[len(keep)-4:]
	}
	// Respect states why a step failed on a "Reason:" line, above its summary.
	for l := range strings.SplitSeq(s, "\n") {
		if r, ok := strings.CutPrefix(strings.TrimSpace(l), "Reason: "); ok {
			keep = append([]string{r}, keep...)
			break
		}
	}
	return lastLine(strings.Join(keep, " / "))
}
