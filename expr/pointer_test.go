package expr

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPointerGet(t *testing.T) {
	t.Parallel()
	doc := map[string]any{
		"a":   []any{map[string]any{"b": "x"}, 2.0},
		"":    "empty key",
		"a/b": 1,
		"m~n": 2,
		"s":   map[string]string{"k": "v"},
		"typ": []string{"p", "q"},
		"arr": [2]int{5, 6},
		"ptr": &map[string]int{"z": 26},
		"n":   nil,
	}
	tests := []struct {
		ptr  string
		want any
		ok   bool
	}{
		{"", doc, true},
		{"#", doc, true},
		{"#/a/1", 2.0, true},
		{"/a/0/b", "x", true},
		{"/", "empty key", true},
		{"/a~1b", 1, true},
		{"/m~0n", 2, true},
		{"/s/k", "v", true},
		{"/typ/1", "q", true},
		{"/arr/0", 5, true},
		{"/ptr/z", 26, true},
		{"/n", nil, true},
		{"/n/x", nil, false},
		{"/a/-", nil, false},
		{"/a/2", nil, false},
		{"/a/01", nil, false},
		{"/a/-1", nil, false},
		{"/a/x", nil, false},
		{"/a/0/b/c", nil, false},
		{"/missing", nil, false},
		{"/typ/9", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.ptr, func(t *testing.T) {
			t.Parallel()
			p, err := ParsePointer(tc.ptr)
			require.NoError(t, err)
			got, ok := p.Get(doc)
			assert.Equal(t, tc.ok, ok)
			if tc.ok {
				assert.Equal(t, tc.want, got)
			}
		})
	}
}

func TestParsePointer(t *testing.T) {
	t.Parallel()
	p, err := ParsePointer("/a~1b/~0/0")
	require.NoError(t, err)
	assert.Equal(t, []string{"a/b", "~", "0"}, p.Tokens())
	assert.Equal(t, "/a~1b/~0/0", p.String())
	assert.False(t, p.IsRoot())

	root, err := ParsePointer("")
	require.NoError(t, err)
	assert.True(t, root.IsRoot())

	for _, bad := range []string{"a", "/a~", "/a~2", "#a"} {
		_, err := ParsePointer(bad)
		var se *SyntaxError
		require.ErrorAs(t, err, &se, bad)
		assert.Equal(t, bad, se.Source)
	}
}

func TestPointerSet(t *testing.T) {
	t.Parallel()
	newDoc := func() map[string]any {
		return map[string]any{"a": map[string]any{"b": 1}, "list": []any{1, 2}, "s": "str", "y": map[any]any{"k": map[any]any{}}}
	}
	tests := []struct {
		name string
		ptr  string
		want any    // whole document after Set
		err  string // substring of the error
	}{
		{name: "replace member", ptr: "/a/b", want: map[string]any{"a": map[string]any{"b": "V"}, "list": []any{1, 2}, "s": "str", "y": map[any]any{"k": map[any]any{}}}},
		{name: "add last member", ptr: "/a/c", want: map[string]any{"a": map[string]any{"b": 1, "c": "V"}, "list": []any{1, 2}, "s": "str", "y": map[any]any{"k": map[any]any{}}}},
		{name: "replace index", ptr: "/list/0", want: map[string]any{"a": map[string]any{"b": 1}, "list": []any{"V", 2}, "s": "str", "y": map[any]any{"k": map[any]any{}}}},
		{name: "append dash", ptr: "/list/-", want: map[string]any{"a": map[string]any{"b": 1}, "list": []any{1, 2, "V"}, "s": "str", "y": map[any]any{"k": map[any]any{}}}},
		{name: "append at length", ptr: "/list/2", want: map[string]any{"a": map[string]any{"b": 1}, "list": []any{1, 2, "V"}, "s": "str", "y": map[any]any{"k": map[any]any{}}}},
		{name: "yaml map", ptr: "/y/k/new", want: map[string]any{"a": map[string]any{"b": 1}, "list": []any{1, 2}, "s": "str", "y": map[any]any{"k": map[any]any{"new": "V"}}}},
		{name: "root", ptr: "", want: "V"},
		{name: "missing parent", ptr: "/x/y", err: `json pointer "/x/y": nothing at "/x": not found`},
		{name: "missing yaml parent", ptr: "/y/x/z", err: "nothing at"},
		{name: "dash not last", ptr: "/list/-/a", err: "nothing at"},
		{name: "index out of range", ptr: "/list/5", err: "index 5 out of range for an array of 2 items"},
		{name: "bad index", ptr: "/list/x", err: `"x" is not an array index`},
		{name: "scalar parent", ptr: "/s/x", err: `cannot set "x" in a string`},
		{name: "nested into array item", ptr: "/list/0/x", err: "cannot set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := ParsePointer(tc.ptr)
			require.NoError(t, err)
			got, err := p.Set(newDoc(), "V")
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	p, err := ParsePointer("/a")
	require.NoError(t, err)
	_, err = p.Set(nil, 1)
	require.ErrorIs(t, err, ErrNotFound)

	nested, err := ParsePointer("/a/0/b")
	require.NoError(t, err)
	got, err := nested.Set(map[string]any{"a": []any{map[string]any{}}}, true)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": []any{map[string]any{"b": true}}}, got)
}
