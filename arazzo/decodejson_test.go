package arazzo

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

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

// FuzzDecodeJSON (issue 8): the hand-written decoder accepts and returns exactly what the
// encoding/json decoder it replaced (decodeJSONReference) did.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":-2,"c":1.5,"d":1e3,"e":"x\"y\u00e9 é","t":true,"f":false,"n":null,"j":-0}`,
		`{"u":18446744073709551615,"f":99999999999999999999999,"i":9223372036854775807,"m":-9223372036854775808}`,
		`{"k":{"n":{"m":[1,[2,[3]]]}},"e":{},"l":[]}`, ` [1, "two", 3.0, {"x": [null]}] `,
		`{"a":1,"a":2}`, `{"a":1} x`, `{"<<":1}`, `{"a":"\/"}`, `{"a":"\ud83d\ude00"}`, `{"a":`,
		`{"a":"\u0041\n\t"}`, "{\"a\":\"\xff\"}", "{\"\xffk\":1}", "{\"a\":\"\x01\"}", `[01]`, `[1.]`,
		`[-]`, `[1e]`, `[1E+2]`, `[tru]`, `[true false]`, `{"a" 1}`, `{"a":1,}`, `[1,]`, `{"a":"b","c":"b"}`,
		`[123456789012345678, 1234567890123456789, -123456789012345678]`,
		`{"a":"\\ud"}`, `{"a":"\\/"}`, `{"a":"\\\ud"}`, `{"\\uD":"x"}`, `{"a":"\u00e9\\"}`, `{"a":"x"} \ud`,
		`[-0.5e-3, 1E400, 0e0, -01]`, "[\"x\"\u00a0]", ` {"k" : [ true , false , null ] } `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantOK := decodeJSONReference(data)
		got, ok := decodeJSON(data)
		if ok != wantOK || !reflect.DeepEqual(want, got) {
			t.Fatalf("decodeJSON(%q) = %v, %v; want %v, %v", data, got, ok, want, wantOK)
		}
		// Read as it decodes: in one-byte reads into a buffer that must grow, and in 3-byte
		// reads into a buffer of 5 that must mostly shift what it keeps.
		for _, d := range []*jsonDecoder{
			{data: make([]byte, 0, 1), r: iotest.OneByteReader(bytes.NewReader(data))},
			{data: make([]byte, 0, 5), r: &chunkReader{data, 3}},
		} {
			got, ok := d.decode()
			if ok != wantOK || !reflect.DeepEqual(want, got) {
				t.Fatalf("decodeJSONReader(%q) = %v, %v; want %v, %v", data, got, ok, want, wantOK)
			}
		}
	})
}

func TestDecodeJSONDepth(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		depth int
		leaf  string
	}{{maxJSONDepth - 1, "1"}, {maxJSONDepth, "1"}, {maxJSONDepth + 1, "1"}, {maxJSONDepth, `"s"`}, {maxJSONDepth + 1, `"s"`}, {maxJSONDepth + 2, "[]"}} {
		data := []byte(strings.Repeat("[", tc.depth) + tc.leaf + strings.Repeat("]", tc.depth))
		want, wantOK := decodeJSONReference(data)
		got, ok := decodeJSON(data)
		assert.Equal(t, wantOK, ok, "%d %s", tc.depth, tc.leaf)
		assert.Equal(t, want, got)
	}
}

// decodeJSONReference is decodeJSON as it was before issue 8 replaced its encoding/json Decoder.
func decodeJSONReference(data []byte) (v any, ok bool) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return nil, false
	}
	if bytes.Contains(data, []byte(`\ud`)) || bytes.Contains(data, []byte(`\uD`)) || bytes.Contains(data, []byte(`\/`)) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	members, ok := referenceShape(v, 0)
	if !ok || members != referenceColons(data) {
		return nil, false
	}
	return v, true
}

func referenceShape(v any, depth int) (members int, ok bool) {
	if depth > maxJSONDepth {
		return 0, false
	}
	switch t := v.(type) {
	case map[string]any:
		members = len(t)
		for k, e := range t {
			if k == "<<" {
				return 0, false
			}
			if n, isNum := e.(json.Number); isNum {
				if t[k], ok = yamlNumber(n); !ok {
					return 0, false
				}
				continue
			}
			m, ok := referenceShape(e, depth+1)
			if !ok {
				return 0, false
			}
			members += m
		}
	case []any:
		for i, e := range t {
			if n, isNum := e.(json.Number); isNum {
				if t[i], ok = yamlNumber(n); !ok {
					return 0, false
				}
				continue
			}
			m, ok := referenceShape(e, depth+1)
			if !ok {
				return 0, false
			}
			members += m
		}
	}
	return members, true
}

func referenceColons(data []byte) int {
	n, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case c == ':' && !inString:
			n++
		}
	}
	return n
}

// chunkReader reads at most n bytes at a time.
type chunkReader struct {
	data []byte
	n    int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestDecodeValueFile (issue 8): a file decodes as its bytes do, JSON as it is read and
// anything else through DecodeValue; errors reading it are the os package's.
func TestDecodeValueFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, data := range []string{`{"a":[1,"x",{"b":null}]}`, "a: 1\nb: [x]\n", `{"a":1,"a":2}`, "a: [\n"} {
		path := filepath.Join(dir, "in")
		require.NoError(t, os.WriteFile(path, []byte(data), 0o600))
		want, wantErr := DecodeValue(path, []byte(data))
		got, err := DecodeValueFile(path)
		assert.Equal(t, want, got, data)
		assert.Equal(t, wantErr, err, data)
	}
	_, err := DecodeValueFile(filepath.Join(dir, "missing"))
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = DecodeValueFile(dir)
	var pe *os.PathError
	assert.ErrorAs(t, err, &pe)
}
