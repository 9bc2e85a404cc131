package expr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/expr"
)

func TestParseTemplateLenient(t *testing.T) {
	t.Parallel()
	c := &expr.Context{
		Inputs:   map[string]any{"token": "tok", "id": 7, "org": "acme"},
		Steps:    map[string]map[string]any{"create": {"id": "c-1"}},
		Response: &expr.Message{Body: map[string]any{"a": map[string]any{"b": "deep"}}},
	}
	tests := []struct {
		in       string
		want     any
		unbraced []string
	}{
		{"Bearer $inputs.token", "Bearer tok", []string{"$inputs.token"}},
		{"/orgs/$inputs.org/repos", "/orgs/acme/repos", []string{"$inputs.org"}},
		{"id=$inputs.id&x={$inputs.org}", "id=7&x=acme", []string{"$inputs.id"}},
		{"Created $steps.create.outputs.id.", "Created c-1.", []string{"$steps.create.outputs.id"}},
		{"value: $response.body#/a/b", "value: deep", []string{"$response.body#/a/b"}},
		{"costs $5 and US$inputs.token", "costs $5 and US$inputs.token", nil},
		{"{$inputs.token} only braced", "tok only braced", nil},
		{"$inputs.id", 7, nil},
		{"no expression", "no expression", nil},
		{"$foo.bar stays", "$foo.bar stays", nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			tpl, err := expr.ParseTemplateLenient(tc.in)
			require.NoError(t, err)
			got, err := tpl.Eval(c)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			var srcs []string
			for _, e := range tpl.Unbraced() {
				srcs = append(srcs, e.String())
			}
			assert.Equal(t, tc.unbraced, srcs)
			strict, err := expr.ParseTemplate(tc.in)
			require.NoError(t, err)
			if len(tc.unbraced) > 0 {
				s, err := strict.Eval(c)
				require.NoError(t, err)
				assert.NotEqual(t, tc.want, s, "strict parsing keeps unbraced text literal")
			}
		})
	}
}

func TestEvalValueWithLenient(t *testing.T) {
	t.Parallel()
	c := &expr.Context{Inputs: map[string]any{"token": "tok"}}
	var warned []string
	v, err := expr.EvalValueWith(map[string]any{"h": []any{"Bearer $inputs.token"}}, c,
		expr.EvalOptions{Lenient: true, Unbraced: func(s string) { warned = append(warned, s) }})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"h": []any{"Bearer tok"}}, v)
	assert.Equal(t, []string{"Bearer $inputs.token"}, warned)
}
