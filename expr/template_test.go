package expr

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTemplate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		literal bool
		bare    bool
		exprs   []string
		want    any
	}{
		{name: "bare keeps int", in: "$statusCode", bare: true, exprs: []string{"$statusCode"}, want: 200},
		{name: "bare keeps object", in: "$inputs.user", bare: true, exprs: []string{"$inputs.user"},
			want: map[string]any{"name": "ann", "roles": []any{"admin"}}},
		{name: "bare json number", in: "$response.body#/data/id", bare: true, exprs: []string{"$response.body#/data/id"}, want: json.Number("42")},
		{name: "embedded string", in: "Bearer {$outputs.token}", exprs: []string{"$outputs.token"}, want: "Bearer tok"},
		{name: "embedded several", in: "https://{$inputs.user.name}/pets/{$request.path.petId}?n={$inputs.n}",
			exprs: []string{"$inputs.user.name", "$request.path.petId", "$inputs.n"}, want: "https://ann/pets/1?n=7"},
		{name: "embedded object as json", in: `{"user": {$inputs.user}}`, exprs: []string{"$inputs.user"},
			want: `{"user": {"name":"ann","roles":["admin"]}}`},
		{name: "embedded array as json", in: "tags={$response.body#/data/tags}", exprs: []string{"$response.body#/data/tags"}, want: `tags=["a","b"]`},
		{name: "embedded float and bool", in: "{$response.body#/count}/{$response.body#/items/0/id}", exprs: []string{"$response.body#/count", "$response.body#/items/0/id"}, want: "3/1"},
		{name: "embedded spaces inside braces", in: "x{ $outputs.token }y", exprs: []string{"$outputs.token"}, want: "xtoky"},
		{name: "whole embedded is a string", in: "{$statusCode}", exprs: []string{"$statusCode"}, want: "200"},
		{name: "literal", in: "plain text", literal: true, want: "plain text"},
		{name: "literal json braces", in: `{"a": 1}`, literal: true, want: `{"a": 1}`},
		{name: "literal dollar", in: "$5 off", literal: true, want: "$5 off"},
		{name: "literal unknown root", in: "$foo.bar", literal: true, want: "$foo.bar"},
		{name: "empty", in: "", literal: true, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tpl, err := ParseTemplate(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.literal, tpl.IsLiteral())
			assert.Equal(t, tc.bare, tpl.IsBare())
			assert.Equal(t, tc.in, tpl.String())
			var exprs []string
			for _, e := range tpl.Expressions() {
				exprs = append(exprs, e.String())
				assert.Equal(t, e.String(), tc.in[e.Offset():e.Offset()+len(e.String())])
			}
			assert.Equal(t, tc.exprs, exprs)
			got, err := tpl.Eval(testContext())
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestTemplateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"$inputs.a b", 9, "invalid character"},
		{"$steps.x", 8, "unexpected end"},
		{"Bearer {$inputs.token", 7, "unterminated embedded expression"},
		{"a {$nope.x} b", 3, "unknown runtime expression"},
		{"a {$inputs.} b", 11, "missing input name"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, err := ParseTemplate(tc.in)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.offset, se.Offset, se.Msg)
			assert.Contains(t, se.Msg, tc.msg)
		})
	}
}

func TestTemplateEvalMissing(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"$inputs.nope", "x {$inputs.nope} y"} {
		tpl, err := ParseTemplate(in)
		require.NoError(t, err)
		_, err = tpl.Eval(testContext())
		require.ErrorIs(t, err, ErrNotFound)
		assert.EqualError(t, err, `$inputs.nope: no input "nope"`)
	}
}

func TestAppendText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{true, "true"},
		{1.5, "1.5"},
		{1e21, "1e+21"},
		{100.0, "100"},
		{int64(-3), "-3"},
		{uint8(9), "9"},
		{float32(0.5), "0.5"},
		{json.Number("1.0"), "1.0"},
		{[]byte("raw"), "raw"},
		{"<a&b>", "<a&b>"},
		{map[string]any{"h": "<b>"}, `{"h":"<b>"}`},
	}
	for _, tc := range tests {
		got, err := appendText(nil, tc.in)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(got))
	}
	_, err := appendText(nil, map[string]any{"f": func() {}})
	require.Error(t, err)
}

func TestEvalValue(t *testing.T) {
	t.Parallel()
	in := map[string]any{
		"auth":  "Bearer {$outputs.token}",
		"count": "$inputs.n",
		"plain": "text",
		"num":   3,
		"nested": []any{
			map[string]any{"user": "$inputs.user", "deep": []any{"$statusCode", "$5"}},
			nil,
		},
		"yaml": map[any]any{"k": "$method"},
	}
	got, err := EvalValue(in, testContext())
	require.NoError(t, err)
	want := map[string]any{
		"auth":  "Bearer tok",
		"count": 7,
		"plain": "text",
		"num":   3,
		"nested": []any{
			map[string]any{"user": map[string]any{"name": "ann", "roles": []any{"admin"}}, "deep": []any{200, "$5"}},
			nil,
		},
		"yaml": map[any]any{"k": "GET"},
	}
	assert.Equal(t, want, got)
	assert.Equal(t, "$inputs.n", in["count"], "input must not change")

	// The copy is deep: changing the result leaves the context alone.
	ctx := testContext()
	out, err := EvalValue(map[string]any{"u": "$inputs.user"}, ctx)
	require.NoError(t, err)
	out.(map[string]any)["u"].(map[string]any)["name"] = "changed"
	assert.Equal(t, "ann", ctx.Inputs["user"].(map[string]any)["name"])
}

func TestEvalValueErrors(t *testing.T) {
	t.Parallel()
	_, err := EvalValue(map[string]any{"a": []any{"ok", map[string]any{"b/c": "$inputs.nope"}}}, testContext())
	require.ErrorIs(t, err, ErrNotFound)
	assert.EqualError(t, err, `at /a/1/b~1c: $inputs.nope: no input "nope"`)

	_, err = EvalValue([]any{"$steps."}, testContext())
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, err.Error(), "at /0: offset 7")

	_, err = EvalValue("$inputs.nope", testContext())
	assert.EqualError(t, err, `$inputs.nope: no input "nope"`)
}
