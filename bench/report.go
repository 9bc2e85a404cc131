package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type machine struct {
	cpu, kernel, goVersion, node string
	cores                        int
}

func describeMachine(ctx context.Context) machine {
	m := machine{cpu: "unknown", cores: runtime.NumCPU(), goVersion: runtime.Version(), node: "not installed"}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = "Linux " + strings.TrimSpace(string(data))
	}
	if out, err := exec.CommandContext(ctx, "go", "version").Output(); err == nil {
		m.goVersion = strings.TrimSpace(strings.TrimPrefix(string(out), "go version "))
	}
	if out, err := exec.CommandContext(ctx, "node", "--version").Output(); err == nil {
		m.node = strings.TrimSpace(string(out))
	}
	return m
}

// loadAvg is the 1-minute load average, to show how busy the machine was.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

type results struct {
	runs                  int
	machine               machine
	started               time.Time
	elapsed               time.Duration
	loadBefore, loadAfter string
	sizes                 []*sizeResult
	tools                 []*tool
	// startup is `arazzo version` timed like the tools: process start-up alone.
	startup stats
}

const (
	rawName     = "raw net/http"
	arazzoName  = "arazzo"
	respectName = "respect"
)

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	default:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	}
}

func fmtMiB(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

func fmtBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func ok(s stats) bool { return s.n > 0 }

// ratio is a/b of two medians, as text.
func ratio(a, b stats) string {
	if !ok(a) || !ok(b) || b.median == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", float64(a.median)/float64(b.median))
}

func rssRatio(a, b stats) string {
	if !ok(a) || !ok(b) || b.rssPeak == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", float64(a.rssPeak)/float64(b.rssPeak))
}

// table renders one size as Markdown.
func (sr *sizeResult) table(tools []*tool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s records (inputs file %s)\n\n", group(sr.records), fmtBytes(sr.inputBytes))
	b.WriteString("| tool | median | min | max | peak RSS (max of runs) | median RSS |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, t := range tools {
		s := sr.stats[t.name]
		switch {
		case s.skipped != "":
			fmt.Fprintf(&b, "| %s | %s | | | | |\n", t.name, s.skipped)
		case s.failed != "":
			fmt.Fprintf(&b, "| %s | %s | | | | |\n", t.name, strings.ReplaceAll(s.failed, "|", "\\|"))
		case ok(s):
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", t.name, fmtDur(s.median), fmtDur(s.min), fmtDur(s.max), fmtMiB(s.rssPeak), fmtMiB(s.rssMedian))
		default:
			fmt.Fprintf(&b, "| %s | no runs | | | | |\n", t.name)
		}
	}
	raw, az, rs := sr.stats[rawName], sr.stats[arazzoName], sr.stats[respectName]
	fmt.Fprintf(&b, "\narazzo/raw: time %s, peak RSS %s · respect/arazzo: time %s, peak RSS %s\n",
		ratio(az, raw), rssRatio(az, raw), ratio(rs, az), rssRatio(rs, az))
	return b.String()
}

// group writes n with thousands separators.
func group(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// targetsSection checks the figures against the targets of issue 8.
func (r *results) targetsSection() string {
	var b strings.Builder
	b.WriteString("## Targets\n\n| target | size | measured | met |\n| --- | --- | --- | --- |\n")
	mark := func(met bool) string {
		if met {
			return "yes"
		}
		return "**no**"
	}
	for _, sr := range r.sizes {
		raw, az := sr.stats[rawName], sr.stats[arazzoName]
		if ok(raw) && ok(az) {
			q := float64(az.median) / float64(raw.median)
			fmt.Fprintf(&b, "| arazzo ≤ 2× raw (median time) | %s | %.2f× | %s |\n", group(sr.records), q, mark(q <= 2))
		}
	}
	for _, sr := range r.sizes {
		az, rs := sr.stats[arazzoName], sr.stats[respectName]
		var want float64
		switch sr.records {
		case 1:
			want = 30
		case 10000:
			want = 10
		default:
			continue
		}
		if ok(az) && ok(rs) {
			q := float64(rs.median) / float64(az.median)
			fmt.Fprintf(&b, "| arazzo ≥ %.0f× faster than Respect | %s | %.1f× | %s |\n", want, group(sr.records), q, mark(q >= want))
		} else {
			fmt.Fprintf(&b, "| arazzo ≥ %.0f× faster than Respect | %s | Respect did not run | n/a |\n", want, group(sr.records))
		}
	}
	for _, sr := range r.sizes {
		az := sr.stats[arazzoName]
		if !ok(az) {
			continue
		}
		limit := 30*1024 + 3*sr.inputBytes/1024 // KiB
		fmt.Fprintf(&b, "| arazzo peak RSS ≤ 30 MiB + 3× inputs (%s) | %s | %s | %s |\n",
			fmtMiB(limit), group(sr.records), fmtMiB(az.rssPeak), mark(az.rssPeak <= limit))
	}
	return b.String()
}

func (r *results) markdown() string {
	var b strings.Builder
	b.WriteString("# Benchmark results\n\n")
	b.WriteString("Written by `go run ./bench` (see README, \"Benchmarks\"); do not edit by hand.\n\n")
	fmt.Fprintf(&b, "Measured %s, %d timed runs per tool and size after one untimed warm-up run whose request bodies the server decoded and counted; %s in all.\n\n",
		r.started.UTC().Format("2006-01-02 15:04 MST"), r.runs, r.elapsed.Round(time.Second))
	b.WriteString("## Machine\n\n")
	fmt.Fprintf(&b, "- CPU: %s, %d cores\n- OS: %s\n- Go: %s\n- Node: %s\n", r.machine.cpu, r.machine.cores, r.machine.kernel, r.machine.goVersion, r.machine.node)
	fmt.Fprintf(&b, "- Load average (1, 5, 15 min) before: %s; after: %s.", r.loadBefore, r.loadAfter)
	// The load after includes the benchmark's own runs; the load before says whether others ran.
	if busy(r.loadBefore, r.machine.cores) {
		b.WriteString(" Other work was running on the machine, so absolute times are noisy; runs of the three tools are interleaved so that this load falls on all of them alike, and the ratios are the figures to read.")
	}
	b.WriteString("\n\n")
	b.WriteString("## What runs\n\n")
	b.WriteString("Each tool runs as a whole process, timed from start to exit, against a loopback server in the harness (127.0.0.1) that implements both operations of the workflow: it checks that the HTTP Basic username is the API key, reads the whole body and answers 202. Peak RSS is the tool's `ru_maxrss` (KiB on Linux). Every tool is started through a small launcher (`bench/launch`) that times it and reads its rusage: Go starts children sharing the parent's address space until exec, and Linux then counts the parent's peak RSS in the child's, so children of the harness itself would all report the harness's peak.\n\n")
	for _, t := range r.tools {
		fmt.Fprintf(&b, "- **%s**: %s.\n", t.name, t.note)
	}
	b.WriteString("\nRespect is started as `node node_modules/@redocly/cli/bin/cli.js respect …` (npx's own start-up is not counted). Its inputs go in `REDOCLY_CLI_RESPECT_INPUT`, set from the inputs file by a one-line script node loads before the CLI (`node -r preload.cjs`), because one command-line argument or environment string is limited to 128 KiB on Linux and the `.env` file the CLI reads drops a value of several MiB; telemetry and update checks are turned off. Respect 2.77 refuses an empty password in `x-security` (\"Missing required value `password`\"), so its copy sends the placeholder `unused`; the server does not check the password.\n\n")
	b.WriteString("## Results\n\n")
	for _, sr := range r.sizes {
		b.WriteString(sr.table(r.tools))
		b.WriteString("\n")
	}
	if r.startup.n > 0 {
		fmt.Fprintf(&b, "### Start-up alone\n\n`arazzo version`, which reads no document and sends nothing, timed the same way: median %s (min %s, max %s), peak RSS %s. This is the floor of every `arazzo` row above.\n\n",
			fmtDur(r.startup.median), fmtDur(r.startup.min), fmtDur(r.startup.max), fmtMiB(r.startup.rssPeak))
	}
	b.WriteString(r.targetsSection())
	return b.String()
}

// busy reports whether a /proc/loadavg 1-minute figure shows work beyond half of the cores.
func busy(load string, cores int) bool {
	f := strings.Fields(load)
	if len(f) == 0 {
		return false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	return err == nil && v > float64(max(cores, 1))/2
}
