package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	goruntime "runtime"
	"runtime/pprof"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// profileRuns is how many times the profiled workflow runs, for enough samples.
const profileRuns = 5

// profile runs the workflow in-process the way `arazzo run` does (parse the document, decode the
// --inputs file, run, encode the result) and writes CPU and allocation profiles of it.
func profile(ctx context.Context, cfg config, scratch string, srv *server) error {
	inputs, _, err := writeInputs(scratch, cfg.profileRecords)
	if err != nil {
		return err
	}
	defer os.Remove(inputs)
	if cfg.memProfile != "" {
		goruntime.MemProfileRate = 64 << 10
	}
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for range profileRuns {
		srv.reset(false)
		if err := runInProcess(ctx, inputs, srv.URL()); err != nil {
			return err
		}
		if err := srv.check(cfg.profileRecords); err != nil {
			return err
		}
	}
	if cfg.memProfile != "" {
		f, err := os.Create(cfg.memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	return nil
}

func runInProcess(ctx context.Context, inputsPath, serverURL string) error {
	doc, err := arazzo.ParseFile(workflowDoc)
	if err != nil {
		return err
	}
	v, err := arazzo.DecodeValueFile(inputsPath) // as readInputs does
	if err != nil {
		return err
	}
	in, _ := v.(map[string]any)
	r, err := runtime.New()
	if err != nil {
		return err
	}
	res, err := r.Run(ctx, doc, runtime.RunOptions{Inputs: in, Servers: map[string]string{"conversationsApi": serverURL}})
	if err != nil {
		return err
	}
	if !res.Success {
		return fmt.Errorf("workflow failed: %s", res.Workflows[0].Error)
	}
	return json.NewEncoder(io.Discard).Encode(res)
}
