package arazzo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestDecodeJSONMatchesYAML (issue 8): the JSON fast path of DecodeValue returns exactly what
// the yaml.v3 path returns, and leaves to it whatever it cannot match.
func TestDecodeJSONMatchesYAML(t *testing.T) {
	t.Parallel()
	viaYAML := func(t *testing.T, data string) any {
		var root yaml.Node
		require.NoError(t, yaml.Unmarshal([]byte(data), &root))
		var v any
		require.NoError(t, root.Content[0].Decode(&v))
		return normalize(v)
	}
	for _, tc := range []struct{ name, data string }{
		{"scalars", `{"a":1,"b":-2,"c":1.5,"d":1e3,"e":"x\"y\u00e9 é","t":true,"f":false,"n":null,"j":-0}`},
		{"big numbers", `{"u":18446744073709551615,"f":99999999999999999999999,"i":9223372036854775807}`},
		{"nesting", `{"k":{"n":{"m":[1,[2,[3]]]}},"e":{},"l":[]}`},
		{"array root", ` [1, "two", 3.0, {"x": [null]}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := decodeJSON([]byte(tc.data))
			require.True(t, ok)
			assert.Equal(t, viaYAML(t, tc.data), got)
		})
	}
	for _, data := range []string{`{"a":1,"a":2}`, `{"a":1} x`, `{"<<":1}`, `"s"`, `{"a":"\/"}`, `{"a":"\ud83d\ude00"}`, `{"a":`, `a: 1`} {
		_, ok := decodeJSON([]byte(data))
		assert.False(t, ok, data)
	}
}
