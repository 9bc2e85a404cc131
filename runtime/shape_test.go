package runtime_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

func runShape(t *testing.T, workflowID string, mode runtime.MockMode) *runtime.Result {
	t.Helper()
	doc, err := arazzo.ParseFile("testdata/shape/shape.arazzo.yaml")
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{WorkflowID: workflowID, Mock: true, MockMode: mode, GenerateInputs: true})
	require.NoError(t, err)
	require.Len(t, res.Workflows, 1)
	return res
}

// The workflow-aware mock shapes each answer so the step's success criteria hold; the schema
// mock answers from the description alone, so the same criteria fail there.
func TestMockShapesAnswersToCriteria(t *testing.T) {
	t.Parallel()
	tests := []struct {
		workflow string
		check    func(t *testing.T, wr *runtime.WorkflowResult)
	}{
		{workflow: "status", check: func(t *testing.T, wr *runtime.WorkflowResult) {
			assert.Equal(t, 201, wr.Steps[0].StatusCode)
			assert.NotEmpty(t, wr.Steps[0].Outputs["id"], "an output the step reads is present")
		}},
		{workflow: "body-equality"},
		{workflow: "jsonpath-exists"},
		{workflow: "js-condition"},
		{workflow: "regex"},
		{workflow: "polling", check: func(t *testing.T, wr *runtime.WorkflowResult) {
			assert.Len(t, wr.Steps, 1, "the polling loop ends at once")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.workflow, func(t *testing.T) {
			t.Parallel()
			res := runShape(t, tc.workflow, runtime.MockWorkflow)
			wr := res.Workflows[0]
			require.True(t, wr.Success, wr.Error)
			if tc.check != nil {
				tc.check(t, wr)
			}
		})
	}
	for _, wf := range []string{"status", "body-equality", "js-condition", "regex"} {
		t.Run(wf+"/schema mode", func(t *testing.T) {
			t.Parallel()
			res := runShape(t, wf, runtime.MockSchema)
			assert.False(t, res.Workflows[0].Success, "the schema mock does not follow the criteria")
		})
	}
}

// A status the description does not document is still answered, since the criteria win, with a
// warning that names the rule.
func TestMockShapeOffDescriptionWarns(t *testing.T) {
	t.Parallel()
	res := runShape(t, "undocumented-status", runtime.MockWorkflow)
	wr := res.Workflows[0]
	require.True(t, wr.Success, wr.Error)
	assert.Equal(t, 202, wr.Steps[0].StatusCode)
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "status 202 is not documented for this operation [mock-shape-off-description]")
}

// Missing inputs are generated from the inputs schema (and, where the workflow's schema is
// loose, from the schema of the field the input feeds), deterministically, and reported.
func TestGeneratedInputs(t *testing.T) {
	t.Parallel()
	res := runShape(t, "status", runtime.MockWorkflow)
	require.True(t, res.Success, res.Workflows[0].Error)
	want := map[string]any{
		"name":  "mock-name",        // minLength 3
		"kind":  "fast",             // the API's enum, where the input says only string
		"count": int64(5),           // minimum 5
		"email": "user@example.com", // format email
		"ref":   "JB-0000",          // pattern
		"token": "mock-token",       // looks like a credential: a placeholder
	}
	assert.Equal(t, want, res.GeneratedInputs["status"])
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "[generated-input]")

	again := runShape(t, "status", runtime.MockWorkflow)
	assert.Equal(t, res.GeneratedInputs, again.GeneratedInputs, "generation is deterministic")
}

// Given inputs are kept; only the missing ones are generated.
func TestGeneratedInputsKeepGivenOnes(t *testing.T) {
	t.Parallel()
	doc, err := arazzo.ParseFile("testdata/shape/shape.arazzo.yaml")
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{WorkflowID: "status", Mock: true, GenerateInputs: true,
		Inputs: map[string]any{"name": "given", "kind": "slow"}})
	require.NoError(t, err)
	require.True(t, res.Success, res.Workflows[0].Error)
	gen := res.GeneratedInputs["status"]
	assert.NotContains(t, gen, "name")
	assert.NotContains(t, gen, "kind")
	assert.Contains(t, gen, "count")
}

// Inputs are never generated for a run against real APIs.
func TestGeneratedInputsNeedMock(t *testing.T) {
	t.Parallel()
	doc, err := arazzo.ParseFile("testdata/shape/shape.arazzo.yaml")
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	_, err = r.Run(t.Context(), doc, runtime.RunOptions{WorkflowID: "status", GenerateInputs: true})
	var se *runtime.SetupError
	require.True(t, errors.As(err, &se), "got %v", err)
	assert.Contains(t, err.Error(), "generated inputs are only for mock runs")
}

// An operation that needs credentials nothing gives gets a placeholder in a mock run with
// generated inputs, reported with its rule; without generated inputs the mock refuses it.
func TestMockCredentialPlaceholder(t *testing.T) {
	t.Parallel()
	res := runShape(t, "body-equality", runtime.MockWorkflow)
	require.True(t, res.Success, res.Workflows[0].Error)
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "[mock-credential]")

	doc, err := arazzo.ParseFile("testdata/shape/shape.arazzo.yaml")
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	res, err = r.Run(t.Context(), doc, runtime.RunOptions{WorkflowID: "body-equality", Mock: true})
	require.NoError(t, err)
	assert.Equal(t, 401, res.Workflows[0].Steps[0].StatusCode)
}

// A retry action naming its own step is a plain retry, bounded by retryLimit; it used to run
// the step as its own retry target, nesting retry loops (issue 10, github's poll-run workflow).
func TestRetryNamingItsOwnStep(t *testing.T) {
	t.Parallel()
	doc, err := arazzo.ParseFile("testdata/shape/shape.arazzo.yaml")
	require.NoError(t, err)
	noWait := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	r, err := runtime.New(runtime.WithSleep(noWait))
	require.NoError(t, err)
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{WorkflowID: "retry-self", Mock: true, MockMode: runtime.MockSchema, GenerateInputs: true})
	require.NoError(t, err)
	wr := res.Workflows[0]
	assert.False(t, wr.Success)
	require.Len(t, wr.Steps, 1)
	assert.Equal(t, 4, wr.Steps[0].Attempts, "one attempt and three retries")

	res = runShape(t, "retry-self", runtime.MockWorkflow)
	assert.True(t, res.Workflows[0].Success, res.Workflows[0].Error)
}
