package root_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const shapeDoc = "../../../../runtime/testdata/shape/shape.arazzo.yaml"

// `run --mock` shapes answers to the criteria and generates missing inputs; --mock=schema does
// not shape; --no-generate-inputs refuses missing inputs (issue 10).
func TestMainRunWorkflowMock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{name: "workflow mock", args: []string{"run", shapeDoc, "-w", "status", "--mock"}, code: 0,
			stdout: []string{"(generated inputs of status: count=5", "→ 201"},
			stderr: []string{"[generated-input]"}},
		{name: "explicit workflow mode", args: []string{"run", shapeDoc, "-w", "polling", "--mock=workflow", "-o", "json"}, code: 0,
			stdout: []string{`"success": true`}},
		{name: "schema mock", args: []string{"run", shapeDoc, "-w", "status", "--mock=schema"}, code: 1,
			stdout: []string{`success criterion "$statusCode == 201" failed`}},
		{name: "no generated inputs", args: []string{"run", shapeDoc, "-w", "status", "--mock", "--no-generate-inputs"}, code: 2,
			stderr: []string{`missing required input "name"`}},
		{name: "no generated inputs without mock", args: []string{"run", shapeDoc, "--no-generate-inputs"}, code: 2,
			stderr: []string{"--no-generate-inputs applies only with --mock"}},
		{name: "bad mock mode", args: []string{"run", shapeDoc, "--mock=bogus"}, code: 2,
			stderr: []string{`use --mock, --mock=workflow or --mock=schema`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, nil, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			for _, s := range tc.stdout {
				assert.Contains(t, stdout, s)
			}
			for _, s := range tc.stderr {
				assert.Contains(t, stderr, s)
			}
		})
	}
}

// `arazzo corpus DIR` prints the survey table.
func TestMainCorpus(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runMain(t, nil, "corpus", "../../../../runtime/testdata/shape")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "| documents | 1 | |")
	assert.Contains(t, stdout, "| workflows | 8 | |")
	assert.Contains(t, stdout, "| workflows run green (--mock, generated inputs) | 8 | 100.0% |")
	assert.Contains(t, stderr, "surveyed 1 documents")

	code, _, stderr = runMain(t, nil, "corpus", "does-not-exist")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "does-not-exist")
}
