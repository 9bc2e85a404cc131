// Command bench measures `arazzo run` on the bundled Assembled workflow side by side with a
// plain net/http program doing the same two requests (the floor, bench/raw) and with Redocly
// Respect, against a loopback server, at several input sizes. It prints a table per size and
// writes it to bench/RESULTS.md.
//
// Run it from the module root: go run ./bench [-n 5] [-sizes 1,1000,10000,30000]
//
// It builds both Go binaries once into a scratch folder, installs @redocly/cli with npm into
// bench/.cache (kept between runs) and removes its scratch folder when it ends. With
// -cpuprofile/-memprofile it also profiles the runner in-process on -profile-records records.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const (
	workflowDoc = "workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml"
	openapiDoc  = "workflows/assembled/openapi/assembled-conversations-api-openapi.yml"
)

type config struct {
	runs           int
	sizes          []int
	respectVersion string
	noRespect      bool
	out            string
	cpuProfile     string
	memProfile     string
	profileRecords int
	childTimeout   time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	var sizes string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.runs, "n", 5, "timed runs per tool and size (after one untimed, verified warm-up run)")
	fs.StringVar(&sizes, "sizes", "1,1000,10000,30000", "conversation record counts, comma-separated")
	fs.StringVar(&cfg.respectVersion, "respect-version", "2.77.0", "version of @redocly/cli to install and run")
	fs.BoolVar(&cfg.noRespect, "no-respect", false, "do not run Redocly Respect")
	fs.StringVar(&cfg.out, "out", "bench/RESULTS.md", "write the results here (empty: do not write)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the runner (in-process) to `FILE`")
	fs.StringVar(&cfg.memProfile, "memprofile", "", "write an allocation profile of the runner (in-process) to `FILE`")
	fs.IntVar(&cfg.profileRecords, "profile-records", 10000, "records of the profiled run")
	fs.DurationVar(&cfg.childTimeout, "timeout", 5*time.Minute, "kill a tool that runs longer than this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.runs < 1 || cfg.runs > 100 {
		return fmt.Errorf("-n %d: give 1 to 100 runs", cfg.runs)
	}
	for f := range strings.SplitSeq(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 1_000_000 {
			return fmt.Errorf("-sizes: %q is not a record count from 1 to 1000000", f)
		}
		cfg.sizes = append(cfg.sizes, n)
	}
	if _, err := os.Stat(workflowDoc); err != nil {
		return fmt.Errorf("run from the module root (%s not found)", workflowDoc)
	}

	scratch, err := os.MkdirTemp("", "arazzo-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)

	srv, err := startServer()
	if err != nil {
		return err
	}
	defer func() { _ = srv.Close() }()

	if cfg.cpuProfile != "" || cfg.memProfile != "" {
		fmt.Fprintf(stderr, "profiling the runner in-process on %d records…\n", cfg.profileRecords)
		if err := profile(ctx, cfg, scratch, srv); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
	}

	fmt.Fprintln(stderr, "building arazzo and raw…")
	arazzoBin := filepath.Join(scratch, "arazzo")
	rawBin := filepath.Join(scratch, "raw")
	launcher := filepath.Join(scratch, "launch")
	for _, b := range [][2]string{{arazzoBin, "./cmd/arazzo"}, {rawBin, "./bench/raw"}, {launcher, "./bench/launch"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b[0], b[1])
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", b[1], err, out)
		}
	}

	tools := []*tool{
		{name: "raw net/http", note: "bench/raw: decodes the inputs, encodes and sends the two bodies",
			command: func(ctx context.Context, inputs string) *exec.Cmd {
				return exec.CommandContext(ctx, rawBin, "-inputs", inputs, "-server", srv.URL())
			}},
		{name: "arazzo", note: "`arazzo run` on the unchanged bundled workflow; Basic auth from the apiKey input by the OpenAPI security scheme",
			command: func(ctx context.Context, inputs string) *exec.Cmd {
				cmd := exec.CommandContext(ctx, arazzoBin, "run", workflowDoc, "--inputs", inputs, "--server", "conversationsApi="+srv.URL())
				cmd.Env = cleanEnv()
				return cmd
			}},
	}
	respect := &tool{name: "respect", note: "Redocly Respect " + cfg.respectVersion + " on a copy of the workflow with x-security on each step (it sends no Basic auth for the unchanged one)"}
	tools = append(tools, respect)
	switch {
	case cfg.noRespect:
		respect.skipped = "skipped: -no-respect"
	default:
		fmt.Fprintf(stderr, "installing @redocly/cli@%s (cached in bench/.cache)…\n", cfg.respectVersion)
		rt, err := installRespect(ctx, filepath.Join("bench", ".cache"), cfg.respectVersion)
		if err == nil {
			err = rt.prepare(filepath.Join(scratch, "respect"), workflowDoc, openapiDoc)
		}
		if err != nil {
			respect.skipped = "skipped: " + err.Error()
			break
		}
		respect.command = func(ctx context.Context, _ string) *exec.Cmd { return rt.command(ctx, srv.URL()) }
		respect.prepare = rt.setInputs
	}
	if respect.skipped != "" {
		fmt.Fprintln(stderr, "respect", respect.skipped)
	}

	res := &results{runs: cfg.runs, machine: describeMachine(ctx), started: time.Now()}
	res.loadBefore = loadAvg()
	// Start-up is timed first, next to the one-record runs it is the floor of.
	fmt.Fprintln(stderr, "start-up alone: arazzo version…")
	res.startup = measureStartup(ctx, cfg, launcher, arazzoBin)
	for _, size := range cfg.sizes {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sr, err := measureSize(ctx, cfg, scratch, launcher, srv, tools, size, stderr)
		if err != nil {
			return err
		}
		res.sizes = append(res.sizes, sr)
		fmt.Fprint(stdout, sr.table(tools))
		fmt.Fprintln(stdout)
	}
	res.loadAfter = loadAvg()
	res.elapsed = time.Since(res.started)
	res.tools = tools
	md := res.markdown()
	fmt.Fprint(stdout, res.targetsSection())
	if cfg.out != "" {
		if err := os.WriteFile(cfg.out, []byte(md), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "wrote", cfg.out)
	}
	return nil
}

// sizeResult holds every tool's figures at one input size.
type sizeResult struct {
	records    int
	inputBytes int64
	stats      map[string]stats
}

// measureSize runs every tool once untimed, checking what the server received, then n timed
// runs of each, interleaved so that background load falls on all tools alike.
func measureSize(ctx context.Context, cfg config, scratch, launcher string, srv *server, tools []*tool, size int, stderr io.Writer) (*sizeResult, error) {
	inputs, nbytes, err := writeInputs(scratch, size)
	if err != nil {
		return nil, err
	}
	defer os.Remove(inputs)
	sr := &sizeResult{records: size, inputBytes: nbytes, stats: map[string]stats{}}
	samples := map[string][]sample{}
	active := map[string]bool{}
	for _, t := range tools {
		if t.skipped != "" {
			continue
		}
		if t.prepare != nil {
			if err := t.prepare(inputs); err != nil {
				sr.stats[t.name] = stats{failed: "failed: " + err.Error()}
				continue
			}
		}
		fmt.Fprintf(stderr, "%d records: %s warm-up…\n", size, t.name)
		if err := timedRun(ctx, cfg, launcher, srv, t, inputs, size, true, nil); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			sr.stats[t.name] = stats{failed: "failed: " + err.Error()}
			fmt.Fprintf(stderr, "%d records: %s failed: %v\n", size, t.name, err)
			continue
		}
		active[t.name] = true
	}
	for i := range cfg.runs {
		for _, t := range tools {
			if !active[t.name] {
				continue
			}
			var s sample
			if err := timedRun(ctx, cfg, launcher, srv, t, inputs, size, false, &s); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				sr.stats[t.name] = stats{failed: fmt.Sprintf("failed on run %d: %v", i+1, err)}
				active[t.name] = false
				continue
			}
			samples[t.name] = append(samples[t.name], s)
		}
	}
	for _, t := range tools {
		switch {
		case t.skipped != "":
			sr.stats[t.name] = stats{skipped: t.skipped}
		case active[t.name]:
			sr.stats[t.name] = summarise(samples[t.name])
		}
	}
	return sr, nil
}

func timedRun(ctx context.Context, cfg config, launcher string, srv *server, t *tool, inputs string, size int, verify bool, out *sample) error {
	cctx, cancel := context.WithTimeout(ctx, cfg.childTimeout)
	defer cancel()
	srv.reset(verify)
	s, err := runOnce(launcher, t.command(cctx, inputs))
	if err != nil {
		if errors.Is(cctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("killed after %s", cfg.childTimeout)
		}
		return err
	}
	if err := srv.check(size); err != nil {
		return err
	}
	if out != nil {
		*out = s
	}
	return nil
}

// measureStartup times `arazzo version` as the tools are timed: the process start-up that every
// arazzo run pays before it reads its document. A failed run leaves the figures empty.
func measureStartup(ctx context.Context, cfg config, launcher, arazzoBin string) stats {
	var samples []sample
	for i := range cfg.runs + 1 {
		cctx, cancel := context.WithTimeout(ctx, cfg.childTimeout)
		s, err := runOnce(launcher, exec.CommandContext(cctx, arazzoBin, "version"))
		cancel()
		if err != nil {
			return stats{}
		}
		if i > 0 { // the first run is a warm-up, as for the tools
			samples = append(samples, s)
		}
	}
	return summarise(samples)
}
