package expr

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9: an oversized or deeply nested expression is refused at once with a message that
// says what to change, instead of costing minutes (200,000 nested parentheses took over two).
func TestIssue9ExpressionLimits(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat("(", n) + "1 == 1" + strings.Repeat(")", n) }
	tests := []struct {
		name    string
		compile func() error
		wantErr string
	}{
		{"long expression", func() error { _, err := Parse("$inputs." + strings.Repeat("a", MaxExpressionBytes)); return err },
			"runtime expression is 4104 bytes long, more than the limit of 4096: shorten it"},
		{"long embedded expression", func() error {
			_, err := ParseTemplate("x {$inputs." + strings.Repeat("a", MaxExpressionBytes) + "}")
			return err
		}, "more than the limit of 4096"},
		{"long condition", func() error {
			_, err := CompileCondition("1 == 1" + strings.Repeat(" ", MaxExpressionBytes))
			return err
		},
			"condition is 4102 bytes long, more than the limit of 4096: split it into several criteria"},
		{"deep parentheses", func() error { _, err := CompileCondition(deep(MaxConditionDepth + 1)); return err },
			"offset 100: condition nests parentheses and \"!\" more than 100 deep: simplify it"},
		{"deep negation", func() error {
			_, err := CompileCondition(strings.Repeat("!", MaxConditionDepth+1) + "true")
			return err
		},
			"more than 100 deep"},
		{"huge nesting", func() error { _, err := CompileCondition(deep(200000)); return err }, "more than the limit"},
		{"at the depth limit", func() error { _, err := CompileCondition(deep(MaxConditionDepth)); return err }, ""},
		{"long template text", func() error { _, err := ParseTemplate(strings.Repeat("x", 1<<20) + "{$inputs.a}"); return err }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			err := tc.compile()
			assert.Less(t, time.Since(start), time.Second)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "error %v is %T", err, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
