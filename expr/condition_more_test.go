package expr

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// More condition cases: coercion between two numeric strings, case-insensitive ordering with
// mixed operands, precedence of ! over comparisons and of && over ||, and error paths of
// evaluation that must fail without panicking.
func TestConditionMore(t *testing.T) {
	t.Parallel()
	ctx := condContext()
	ctx.Inputs = map[string]any{"ten": "10", "nine": "9", "name": "Rex", "list": []any{"a", "B"}, "obj": map[string]any{"K": "v"}}
	tests := []struct {
		in   string
		want bool
	}{
		{"$inputs.ten > $inputs.nine", true}, // both parse: numeric, not text order
		{"'10' > '9'", true},                 // literals too
		{"'10.0' == '10'", true},             // numerically equal
		{"$inputs.name == 'rEx' && $inputs.name != 'rexy'", true},
		{"$inputs.name >= 'REX'", true},
		{"$inputs.list[1] == 'b'", true},
		{"$inputs.obj.K == 'V'", true},
		{"$inputs.obj.k == null", true}, // member names keep their case
		{"!($statusCode == 200) || $statusCode == 200 && false", false},
		{"!$inputs.missing", true},
		{"false || !false && true", true},
		{"(1 < 2) == (2 > 1)", true},
		{"null != 0", true},
		{"null != null", false},
		{"$inputs.list == null", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			c, err := CompileCondition(tc.in)
			require.NoError(t, err)
			got, err := c.Eval(ctx)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
