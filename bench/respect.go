package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// respectTool is Redocly Respect installed with npm into bench/.cache/respect-VERSION.
type respectTool struct {
	version string
	cli     string // path of @redocly/cli's bin/cli.js
	node    string
	dir     string // scratch folder holding the workflow copy and the input preload script
	doc     string // the workflow copy, with x-security on each step
	inputs  string // absolute path of the inputs file of the next runs
}

// installRespect installs @redocly/cli@version under cacheDir unless it is there already.
func installRespect(ctx context.Context, cacheDir, version string) (*respectTool, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not installed")
	}
	dir, err := filepath.Abs(filepath.Join(cacheDir, "respect-"+version))
	if err != nil {
		return nil, err
	}
	cli := filepath.Join(dir, "node_modules", "@redocly", "cli", "bin", "cli.js")
	pkg := filepath.Join(dir, "node_modules", "@redocly", "cli", "package.json")
	if installedVersion(pkg) != version {
		npm, err := exec.LookPath("npm")
		if err != nil {
			return nil, errors.New("npm is not installed")
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte("{\"private\": true}\n"), 0o644); err != nil {
			return nil, err
		}
		ictx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ictx, npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "@redocly/cli@"+version)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("npm install @redocly/cli@%s: %v: %s", version, err, lastLine(string(out)))
		}
		if got := installedVersion(pkg); got != version {
			return nil, fmt.Errorf("npm install @redocly/cli@%s left version %q", version, got)
		}
	}
	return &respectTool{version: version, cli: cli, node: node}, nil
}

func installedVersion(pkg string) string {
	data, err := os.ReadFile(pkg)
	if err != nil {
		return ""
	}
	var p struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(data, &p) != nil {
		return ""
	}
	return p.Version
}

// xSecurity is added after the operationId of each step: Respect does not apply the OpenAPI
// security requirements by itself, so without it no Basic auth is sent. Respect 2.77 rejects
// an empty password ("Missing required value `password`"), hence the placeholder.
const xSecurity = `    x-security:
    - schemeName: BasicAuth
      values:
        username: $inputs.apiKey
        password: unused
`

// prepare copies the workflow and its OpenAPI description into dir, adding x-security to each
// step of the copy.
func (t *respectTool) prepare(dir, docPath, openapiPath string) error {
	t.dir = dir
	for _, sub := range []string{"arazzo", "openapi"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "preload.cjs"), []byte(respectPreload), 0o644); err != nil {
		return err
	}
	src, err := os.ReadFile(docPath)
	if err != nil {
		return err
	}
	var b strings.Builder
	steps := 0
	for line := range strings.SplitAfterSeq(string(src), "\n") {
		b.WriteString(line)
		if strings.HasPrefix(line, "    operationId: ") {
			if !strings.HasSuffix(line, "\n") {
				b.WriteString("\n")
			}
			b.WriteString(xSecurity)
			steps++
		}
	}
	if steps != 2 {
		return fmt.Errorf("%s: found %d steps with an operationId to add x-security to, want 2", docPath, steps)
	}
	t.doc = filepath.Join(dir, "arazzo", filepath.Base(docPath))
	if err := os.WriteFile(t.doc, []byte(b.String()), 0o644); err != nil {
		return err
	}
	api, err := os.ReadFile(openapiPath)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "openapi", filepath.Base(openapiPath)), api, 0o644)
}

// setInputs gives Respect the inputs of the next runs. Its --input flag (or the
// REDOCLY_CLI_RESPECT_INPUT variable) takes the inputs as JSON text, but Linux limits one
// argument or environment string to 128 KiB, less than 1,000 records, and the .env file the CLI
// loads at start silently drops a value of several MiB (30,000 records). So a preload script run
// by node before the CLI (`node -r`) reads the inputs file into the variable, at any size.
func (t *respectTool) setInputs(inputsPath string) error {
	abs, err := filepath.Abs(inputsPath)
	if err != nil {
		return err
	}
	t.inputs = abs
	return nil
}

// respectPreload sets Respect's input variable from the file BENCH_RESPECT_INPUTS names.
const respectPreload = `process.env.REDOCLY_CLI_RESPECT_INPUT = require("node:fs").readFileSync(process.env.BENCH_RESPECT_INPUTS, "utf8");
`

func (t *respectTool) command(ctx context.Context, serverURL string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, t.node, "-r", filepath.Join(t.dir, "preload.cjs"), t.cli, "respect", t.doc, "--server", "conversationsApi="+serverURL)
	cmd.Dir = t.dir
	cmd.Env = append(cleanEnv(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1", "BENCH_RESPECT_INPUTS="+t.inputs)
	return cmd
}

// cleanEnv is the harness's environment without variables that would change what a tool does.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "REDOCLY_") || strings.HasPrefix(kv, "ARAZZO_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
