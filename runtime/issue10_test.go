package runtime_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// TestIssue10MockRunLimits runs, with the workflow-aware mock and generated inputs, one workflow
// per limit of the mock run that issue 10's corpus survey found; each failed before its fix.
func TestIssue10MockRunLimits(t *testing.T) {
	t.Parallel()
	doc, err := arazzo.ParseFile("testdata/issue10/issue10.arazzo.yaml")
	require.NoError(t, err)
	tests := []struct {
		name     string
		workflow string
		// wantInputs are generated inputs the run must have chosen; nil checks none.
		wantInputs map[string]any
		wantURL    string
		// check, when set, looks at the workflow's result.
		check func(t *testing.T, wr *runtime.WorkflowResult)
	}{
		{
			name:       "a placeholder default the API refuses is replaced",
			workflow:   "placeholder-default",
			wantInputs: map[string]any{"addressSid": "AD00000000000000000000000000000000"},
		},
		{
			name:       "an example longer than the API allows is replaced",
			workflow:   "example-too-long",
			wantInputs: map[string]any{"addressSid": "AD00000000000000000000000000000000"},
		},
		{
			name:       "every use of an input is honoured, not only the first",
			workflow:   "pattern-on-second-use",
			wantInputs: map[string]any{"carrierCode": "AAA"},
		},
		{
			name:     "required properties deep in the API's schema are generated",
			workflow: "nested-required",
			wantInputs: map[string]any{"requests": []any{map[string]any{
				"custom_id": "mock-custom_id",
				"params":    map[string]any{"messages": []any{map[string]any{"content": "mock-content", "role": "user"}}},
			}}},
		},
		{
			name:       "an enum reached through nested allOf members is honoured",
			workflow:   "nested-allof",
			wantInputs: map[string]any{"fieldType": "text"},
		},
		{
			name:       "a string input feeding an integer header is a number's text",
			workflow:   "text-parameter",
			wantInputs: map[string]any{"softPurge": "1"},
		},
		{
			// The API's example date-time lacks its offset, which the mock (like the API) refuses;
			// the step also leaves out a required header whose default the run sends.
			name:       "an API example that breaks the API's format is not generated",
			workflow:   "api-example-off-format",
			wantInputs: map[string]any{"offer": map[string]any{"lastTicketingDateTime": "2024-01-01T00:00:00Z"}},
		},
		{
			// The example's first sid fits the later path parameter and is kept as the
			// description gives it; the second breaks its pattern and is replaced.
			name:     "an output the example already fits to its use is kept",
			workflow: "output-example-kept",
			check: func(t *testing.T, wr *runtime.WorkflowResult) {
				require.Len(t, wr.Steps, 3)
				assert.Equal(t, "AD0123456789abcdef0123456789abcdef", wr.Steps[0].Outputs["first"])
				assert.Regexp(t, `/addresses/AD0123456789abcdef0123456789abcdef$`, wr.Steps[1].URL)
				assert.NotEqual(t, "ADXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", wr.Steps[0].Outputs["second"])
				assert.Regexp(t, `/addresses/AD[0-9a-fA-F]{32}$`, wr.Steps[2].URL)
			},
		},
		{
			name:     "a templated pair in a path key's query string takes the step's query parameter",
			workflow: "query-in-path-key",
			wantURL:  "/uploads/photo.jpg?uploadId=up-1",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := runtime.New()
			require.NoError(t, err)
			res, err := r.Run(t.Context(), doc, runtime.RunOptions{WorkflowID: tc.workflow, Mock: true, GenerateInputs: true})
			require.NoError(t, err)
			require.Len(t, res.Workflows, 1)
			wr := res.Workflows[0]
			require.True(t, wr.Success, wr.Error)
			for name, want := range tc.wantInputs {
				assert.Equal(t, want, res.GeneratedInputs[tc.workflow][name], name)
			}
			if tc.check != nil {
				tc.check(t, wr)
			}
			if tc.wantURL != "" {
				require.NotEmpty(t, wr.Steps)
				assert.Regexp(t, regexp.QuoteMeta(tc.wantURL)+"$", wr.Steps[0].URL)
			}
		})
	}
}
