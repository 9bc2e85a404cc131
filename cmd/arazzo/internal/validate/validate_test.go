package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/root"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/validate"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	rulesDir  = "testdata/rules"
	repoRoot  = "../../../.."
	corpusDir = repoRoot + "/../shared/corpus"
)

func TestNewCmdValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    validate.Options
		wantErr string
	}{
		{name: "defaults", args: []string{"a.yaml"}, want: validate.Options{Paths: []string{"a.yaml"}, Format: "text"}},
		{name: "several paths", args: []string{"a.yaml", "dir", "-"}, want: validate.Options{Paths: []string{"a.yaml", "dir", "-"}, Format: "text"}},
		{name: "format and strict", args: []string{"-f", "sarif", "--strict", "a.yaml"}, want: validate.Options{Paths: []string{"a.yaml"}, Format: "sarif", Strict: true}},
		{name: "long format", args: []string{"--format=github", "a.yaml"}, want: validate.Options{Paths: []string{"a.yaml"}, Format: "github"}},
		{name: "source", args: []string{"--source", "pets=./p.yaml", "a.yaml"}, want: validate.Options{Paths: []string{"a.yaml"}, Format: "text", Sources: []string{"pets=./p.yaml"}}},
		{name: "ca bundle and remote refs", args: []string{"--ca-cert", "ca.pem", "--allow-remote-refs", "a.yaml"}, want: validate.Options{Paths: []string{"a.yaml"}, Format: "text", CACert: "ca.pem", AllowRemoteRefs: true}},
		{name: "bad format", args: []string{"-f", "xml", "a.yaml"}, wantErr: `-f "xml": use one of text, json, sarif, github, junit`},
		{name: "bad source", args: []string{"--source", "pets", "a.yaml"}, wantErr: `--source "pets": use NAME=PATH`},
		{name: "no path", args: []string{}, wantErr: "requires at least 1 arg(s), only received 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			io, _, _ := cmdutil.TestStreams("", nil)
			var got *validate.Options
			cmd := validate.NewCmdValidate(io, func(_ context.Context, o *validate.Options) error {
				got = o
				return nil
			})
			cmd.SetArgs(append([]string{}, tc.args...)) // never nil: cobra would read os.Args
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tc.wantErr, err.Error())
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got)
			tc.want.IO = io
			assert.Equal(t, tc.want, *got)
		})
	}
}

// run validates paths through the command (with runF unset) and returns the JSON report.
func run(t *testing.T, args ...string) (validate.Report, int) {
	t.Helper()
	code, stdout, stderr := runMain(t, append([]string{"validate", "-f", "json"}, args...)...)
	require.Contains(t, []int{0, 1}, code, stderr)
	var rep validate.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	return rep, code
}

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	io, out, errOut := cmdutil.TestStreams("", nil)
	code := root.Main(t.Context(), args, io)
	return code, out.String(), errOut.String()
}

func rulesOf(ds arazzo.Diagnostics) map[string]bool {
	m := map[string]bool{}
	for _, d := range ds {
		m[d.Rule] = true
	}
	return m
}

// Every rule has a fixture that breaks it and one that does not: NAME.pass.yaml where the rule
// is a heuristic worth showing the right form for, clean.yaml otherwise.
func TestValidateRun(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(big, bytes.Repeat([]byte("#"), arazzo.MaxDocumentBytes+1), 0o644))
	for _, r := range validate.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			fail := filepath.Join(rulesDir, r.ID+".fail.yaml")
			if r.ID == arazzo.RuleDocumentTooLarge {
				fail = big
			}
			rep, code := run(t, fail)
			require.True(t, rulesOf(rep.Findings)[r.ID], "%s: no %s finding in\n%s", fail, r.ID, rep.Findings.Error())
			for _, d := range rep.Findings {
				if d.Rule == r.ID {
					assert.Positive(t, d.Line, d.Error())
					assert.Positive(t, d.Col, d.Error())
				}
			}
			wantCode := 0
			if rep.Errors > 0 {
				wantCode = 1
			}
			assert.Equal(t, wantCode, code)

			pass := filepath.Join(rulesDir, r.ID+".pass.yaml")
			if _, err := os.Stat(pass); err != nil {
				pass = filepath.Join(rulesDir, "clean.yaml")
			}
			rep, _ = run(t, pass)
			assert.False(t, rulesOf(rep.Findings)[r.ID], "%s: unexpected %s finding:\n%s", pass, r.ID, rep.Findings.Error())
		})
	}
}

func TestValidateRunClean(t *testing.T) {
	t.Parallel()
	rep, code := run(t, filepath.Join(rulesDir, "clean.yaml"))
	assert.Equal(t, 0, code)
	assert.Empty(t, rep.Findings)
	assert.Equal(t, []string{filepath.Join(rulesDir, "clean.yaml")}, rep.Documents)
}

func TestValidateRulesDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join(repoRoot, validate.RulesDoc))
	require.NoError(t, err)
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for _, r := range validate.Rules() {
		assert.Regexp(t, kebab, r.ID)
		assert.False(t, seen[r.ID], "rule %s listed twice", r.ID)
		seen[r.ID] = true
		assert.Contains(t, string(doc), "| `"+r.ID+"` |", "rule %s is missing from %s", r.ID, validate.RulesDoc)
	}
	assert.Equal(t, []string{"text", "json", "sarif", "github", "junit"}, validate.Formats)
}

// Golden output of every format for the same two documents.
func TestValidateFormatsGolden(t *testing.T) {
	t.Parallel()
	inputs := []string{filepath.Join(rulesDir, "unused-input.fail.yaml"), filepath.Join(rulesDir, "unknown-output.fail.yaml")}
	for _, format := range validate.Formats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, append([]string{"validate", "-f", format}, inputs...)...)
			assert.Equal(t, 1, code, stderr)
			golden := filepath.Join("testdata", "golden", format+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(stdout), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), stdout)
		})
	}
}

func TestValidateSARIFStructure(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runMain(t, "validate", "-f", "sarif", filepath.Join(rulesDir, "unused-input.fail.yaml"), filepath.Join(rulesDir, "step-order.fail.yaml"))
	assert.Equal(t, 0, code) // warnings only
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID                   string            `json:"id"`
						ShortDescription     map[string]string `json:"shortDescription"`
						DefaultConfiguration map[string]string `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string            `json:"ruleId"`
				RuleIndex int               `json:"ruleIndex"`
				Level     string            `json:"level"`
				Message   map[string]string `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &log))
	assert.Equal(t, "2.1.0", log.Version)
	assert.Equal(t, "https://json.schemastore.org/sarif-2.1.0.json", log.Schema)
	require.Len(t, log.Runs, 1)
	driver := log.Runs[0].Tool.Driver
	assert.Equal(t, "arazzo", driver.Name)
	require.Len(t, driver.Rules, len(validate.Rules()))
	for _, r := range driver.Rules {
		assert.NotEmpty(t, r.ShortDescription["text"], r.ID)
		assert.Contains(t, []string{"error", "warning"}, r.DefaultConfiguration["level"], r.ID)
	}
	require.NotEmpty(t, log.Runs[0].Results)
	for _, res := range log.Runs[0].Results {
		require.GreaterOrEqual(t, res.RuleIndex, 0)
		assert.Equal(t, res.RuleID, driver.Rules[res.RuleIndex].ID)
		assert.Contains(t, []string{"error", "warning", "note"}, res.Level)
		assert.NotEmpty(t, res.Message["text"])
		require.Len(t, res.Locations, 1)
		loc := res.Locations[0].PhysicalLocation
		assert.True(t, strings.HasPrefix(loc.ArtifactLocation.URI, "testdata/rules/"), loc.ArtifactLocation.URI)
		assert.Positive(t, loc.Region.StartLine)
		assert.Positive(t, loc.Region.StartColumn)
	}
}

func TestMainValidate(t *testing.T) {
	t.Parallel()
	clean := filepath.Join(rulesDir, "clean.yaml")
	warn := filepath.Join(rulesDir, "unused-input.fail.yaml")
	broken := filepath.Join(rulesDir, "unknown-output.fail.yaml")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    string
		wantErrOut string
	}{
		{name: "clean", args: []string{"validate", clean}, wantCode: 0, wantErrOut: "0 errors, 0 warnings in 1 document\n"},
		{name: "warnings pass", args: []string{"validate", warn}, wantCode: 0,
			wantOut:    warn + `:18:9: warning: workflow "adopt" declares input "colour" but nothing reads it: remove it or use $inputs.colour [unused-input]` + "\n",
			wantErrOut: "0 errors, 1 warning in 1 document\n"},
		{name: "strict fails on warnings", args: []string{"validate", "--strict", warn}, wantCode: 1,
			wantOut:    warn + `:18:9: warning: workflow "adopt" declares input "colour" but nothing reads it: remove it or use $inputs.colour [unused-input]` + "\n",
			wantErrOut: "0 errors, 1 warning in 1 document (--strict: warnings count as errors)\n"},
		{name: "errors", args: []string{"validate", broken}, wantCode: 1,
			wantOut:    broken + `:63:12: error: "$steps.fetch.outputs.animal": step "fetch" declares no output "animal" (it has pet) [unknown-output]` + "\n",
			wantErrOut: "1 error, 0 warnings in 1 document\n"},
		{name: "github", args: []string{"validate", "-f", "github", broken}, wantCode: 1,
			wantOut: "::error file=" + broken + `,line=63,col=12,title=arazzo unknown-output::"$steps.fetch.outputs.animal": step "fetch" declares no output "animal" (it has pet) [unknown-output]` + "\n"},
		{name: "missing file", args: []string{"validate", "nope.yaml"}, wantCode: 2, wantErrOut: "error: nope.yaml: no such file or directory: check the path\n"},
		{name: "bad format", args: []string{"validate", "-f", "xml", clean}, wantCode: 2,
			wantErrOut: "error: -f \"xml\": use one of text, json, sarif, github, junit\nRun 'arazzo validate --help' for usage.\n"},
		{name: "directory without documents", args: []string{"validate", "testdata/golden"}, wantCode: 2,
			wantErrOut: "error: testdata/golden holds no Arazzo document (a YAML or JSON file with an `arazzo` key): give another path\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, tc.args...)
			assert.Equal(t, tc.wantCode, code, stderr)
			assert.Equal(t, tc.wantOut, stdout)
			assert.Equal(t, tc.wantErrOut, stderr)
		})
	}
}

// A directory is walked for Arazzo documents; other YAML (OpenAPI, catalogues) is skipped.
func TestValidateDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clean, err := os.ReadFile(filepath.Join(rulesDir, "clean.yaml"))
	require.NoError(t, err)
	api, err := os.ReadFile(filepath.Join(rulesDir, "petstore.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "arazzo"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "arazzo", "a.yaml"), clean, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "arazzo", "petstore.yaml"), api, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "arazzo", "_index.yml"), []byte("- a.yaml\n- b.yaml\n"), 0o644))
	rep, code := run(t, dir)
	assert.Equal(t, 0, code)
	assert.Equal(t, []string{filepath.Join(dir, "arazzo", "a.yaml")}, rep.Documents)
	assert.Empty(t, rep.Findings)
}

// The corpus of real-world documents: validation never crashes and every finding has a
// position. The corpus is shared reference data; it is read in place, never copied.
func TestValidateCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	if _, err := os.Stat(corpusDir); errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is absent", corpusDir)
	}
	rep, _ := run(t, corpusDir)
	assert.Len(t, rep.Documents, 375)
	perRule := map[string]int{}
	for _, d := range rep.Findings {
		perRule[d.Rule]++
		assert.NotEmpty(t, d.File, d.Error())
		assert.Positive(t, d.Line, d.Error())
		assert.Positive(t, d.Col, d.Error())
	}
	t.Logf("%d documents, %d errors, %d warnings, by rule: %v", len(rep.Documents), rep.Errors, rep.Warnings, perRule)
}
