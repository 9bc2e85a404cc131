package runtime_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// The mock checks each request against the source's OpenAPI description (issue 6): the bundled
// workflow passes with good inputs, and a conversation without its required channel fails the
// upsert step offline, the step's error quoting the mock's problem detail.
func TestRunMockChecksRequests(t *testing.T) {
	t.Parallel()
	const doc = "../workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml"
	conversation := func(withChannel bool) map[string]any {
		c := map[string]any{"external_id": "c1", "started_at": "2026-11-02T09:15:00Z", "csat_score": nil}
		if withChannel {
			c["channel"] = "email"
		}
		return c
	}
	tests := []struct {
		name        string
		inputs      map[string]any
		wantSuccess bool
		wantError   string
	}{
		{
			name: "valid",
			inputs: map[string]any{"apiKey": "sk_test", "conversations": []any{conversation(true)},
				"updates": []any{map[string]any{"external_id": "c1", "resolved": true}}},
			wantSuccess: true,
		},
		{
			name: "conversation without channel",
			inputs: map[string]any{"apiKey": "sk_test", "conversations": []any{conversation(false)},
				"updates": []any{map[string]any{"external_id": "c1"}}},
			wantError: `step "upsertConversations": success criterion "$statusCode == 202" failed (saw $statusCode = 422): ` +
				`the server answered: body#/conversations/0/channel: property "channel" is missing [required]`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := arazzo.ParseFile(doc)
			require.NoError(t, err)
			r, err := runtime.New()
			require.NoError(t, err)
			res, err := r.Run(t.Context(), d, runtime.RunOptions{Inputs: tc.inputs, Mock: true})
			require.NoError(t, err)
			assert.True(t, res.Mocked)
			require.Len(t, res.Workflows, 1)
			wf := res.Workflows[0]
			assert.Equal(t, tc.wantSuccess, wf.Success, wf.Error)
			if tc.wantError != "" {
				assert.Contains(t, wf.Error, tc.wantError)
				require.NotEmpty(t, wf.Steps)
				assert.Equal(t, "upsertConversations", wf.Steps[len(wf.Steps)-1].StepID)
			}
		})
	}
}
