package runtime

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEncodeJSONBody (issue 8): request bodies are json.Marshal's bytes.
func TestEncodeJSONBody(t *testing.T) {
	t.Parallel()
	deep := any("x")
	for range maxBodyDepth + 1 {
		deep = []any{deep}
	}
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"scalars", map[string]any{"b": true, "f": false, "n": nil, "i": -42, "i64": int64(math.MinInt64), "u": uint64(math.MaxUint64)}},
		{"floats", []any{0.0, math.Copysign(0, -1), 1.5, 1e20, 1e21, 1e-6, 1e-7, -1.2345e-9, 123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64}},
		{"numbers", []any{json.Number("12"), json.Number(""), json.Number("-1.5e+10"), json.Number("0.25")}},
		{"strings", []any{"", "plain", `q"b\s`, "\b\f\n\r\t\x00\x1f\x7f", "<a href='x'>&amp;</a>", "é ü 日本 😀", "\u2028\u2029", "bad \xff\xfe utf8 \xe2\x82", "\xed\xa0\x80"}},
		{"keys", map[string]any{"z": 1, "a": 2, "<k>": 3, "é": 4, "": 5, "a\"b": map[string]any{"y": []any{}, "x": map[string]any{}}}},
		{"nil containers", map[string]any{"m": map[string]any(nil), "s": []any(nil)}},
		{"nested", map[string]any{"conversations": []any{map[string]any{"id": "zd-1", "meta": map[string]any{"tier": 2}}, map[string]any{"id": "zd-2"}}}},
		{"other types fall back", map[string]any{"s": []string{"a", "<b>"}, "m": map[string]int{"b": 1, "a": 2}, "f": float32(0.1), "i": int32(7)}},
		{"too deep: fall back", deep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, err := json.Marshal(tc.v)
			require.NoError(t, err)
			got, err := encodeJSONBody(tc.v)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
			if !strings.Contains(tc.name, "fall back") {
				assert.Equal(t, len(got), cap(got), "allocated at its exact length")
			}
		})
	}
	for _, v := range []any{math.NaN(), math.Inf(1), []any{math.Inf(-1)}, json.Number("1x"), map[string]any{"c": make(chan int)}} {
		_, want := json.Marshal(v)
		_, err := encodeJSONBody(v)
		require.Error(t, err)
		assert.Equal(t, want.Error(), err.Error())
	}
}

// FuzzEncodeJSONBody: any string, and any JSON text decoded as the runner decodes it, encodes
// to json.Marshal's bytes.
func FuzzEncodeJSONBody(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,"x<y>&z",true,null,{"b":"\u2028"}]}`, "\xff\"\\", `[1e300,-0.000001,12345678901234567890]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vals := []any{s, map[string]any{s: s}}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) == nil {
			vals = append(vals, v)
		}
		if json.Unmarshal([]byte(s), &v) == nil {
			vals = append(vals, v)
		}
		for _, v := range vals {
			want, wantErr := json.Marshal(v)
			got, err := encodeJSONBody(v)
			if (err != nil) != (wantErr != nil) || string(got) != string(want) {
				t.Fatalf("encodeJSONBody(%#v) = %q, %v; want %q, %v", v, got, err, want, wantErr)
			}
		}
	})
}
