package runtime

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSCondition(t *testing.T) {
	t.Parallel()
	body := map[string]any{
		"items":  []any{map[string]any{"id": "a"}, map[string]any{"id": "b"}},
		"status": "Ready",
		"count":  3.0,
		"name":   "abc",
		"empty":  []any{},
		"obj":    map[string]any{"k": 1},
	}
	tests := []struct {
		cond string
		want bool
	}{
		{"$.items.length > 0", true},
		{"$.empty.length > 0", false},
		{"$.empty.length == 0", true},
		{`$.status == "ready"`, true},
		{"$.status === 'Ready'", true},
		{"$.status != 'ready'", false},
		{"$.count >= 3 && $.name.length == 3", true},
		{"$.items[1].id == 'b'", true},
		{"$['status'] == 'ready'", true},
		{"$.missing == null", true},
		{"$.missing.deep != null", false},
		{"$.obj && $.count > 2", true},
		{"$.obj.length == 1", true},
		{"!($.count < 1) || $.missing", true},
		{"$.items.length > 0 && $.items[0].id !== 'z'", true},
	}
	for _, tc := range tests {
		t.Run(tc.cond, func(t *testing.T) {
			t.Parallel()
			got, _, err := jsCondition(tc.cond, body)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	_, _, err := jsCondition("$.a == 'open", body)
	assert.EqualError(t, err, `unterminated string in "$.a == 'open"`)
	ok, seen, err := jsCondition("$.items.length > 5", body)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, "$.items.length = 2", seen)
}
