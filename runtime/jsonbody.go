package runtime

import (
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// encodeJSONBody returns json.Marshal(v), byte for byte (keys sorted, HTML characters, U+2028
// and U+2029 escaped, invalid UTF-8 as U+FFFD), in a slice allocated once at its exact length.
// json.Marshal grew its buffer by doubling, sorted each map's keys in a fresh slice and then
// copied the result: for a payload of 10,000 records that was 21 MB of garbage for a 3 MB body,
// which set the run's peak memory (issue 8). Values other than the ones decoded JSON and YAML
// are made of (and NaN, infinities, invalid json.Numbers, nesting deeper than maxBodyDepth)
// go to json.Marshal itself, which also reports their errors.
func encodeJSONBody(v any) ([]byte, error) {
	return newJSONBody(v).bytes()
}

// jsonBody is a payload measured for encoding: n is the length of its encoding when encoded is
// true; otherwise it is one of the values left to json.Marshal.
type jsonBody struct {
	v       any
	n       int
	encoded bool
}

// newJSONBody measures v's encoding.
func newJSONBody(v any) jsonBody {
	var e bodyEncoder
	n, ok := e.size(v, 0)
	return jsonBody{v: v, n: n, encoded: ok}
}

// streamable reports whether the body is encoded here and at least min bytes long.
func (jb jsonBody) streamable(min int) bool { return jb.encoded && jb.n >= min }

// bytes returns the whole encoding.
func (jb jsonBody) bytes() ([]byte, error) {
	if !jb.encoded {
		return json.Marshal(jb.v)
	}
	var e bodyEncoder
	return e.append(make([]byte, 0, jb.n), jb.v), nil
}

// maxBodyDepth is how deeply encodeJSONBody follows maps and slices before leaving a payload to
// json.Marshal, which detects cycles.
const maxBodyDepth = 1000

// bodyEncoder encodes one payload. keys holds the sorted keys of the maps being encoded, each
// map's above its parent's.
type bodyEncoder struct {
	keys    []string
	scratch [64]byte
	// w, when set, receives the encoding in chunks of about streamChunk bytes as append
	// produces it (see jsonBody.open); err is the first error writing to it, which ends the
	// encoding.
	w   io.Writer
	err error
}

// streamChunk is how much of a streamed body is encoded before it is written.
const streamChunk = 32 << 10

// flush writes b to e.w once it holds a chunk, and returns the buffer to go on with.
func (e *bodyEncoder) flush(b []byte) []byte {
	if e.w == nil || len(b) < streamChunk || e.err != nil {
		return b
	}
	_, e.err = e.w.Write(b)
	return b[:0]
}

// open starts a reader of the encoding for a body sent as it is encoded, so that a large
// payload's encoding is never held whole in memory: a goroutine encodes as the reader is read.
// Each call starts a new one (a retried or redirected request); closing the reader early ends
// it.
func (jb jsonBody) open() io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		e := bodyEncoder{w: pw}
		b := e.append(make([]byte, 0, streamChunk+streamChunk/2), jb.v)
		if e.err == nil && len(b) > 0 {
			_, e.err = pw.Write(b)
		}
		pw.CloseWithError(e.err) // nil: the reader sees EOF
	}()
	return pr
}

// size returns the length of v's encoding, or false when encodeJSONBody leaves v to
// json.Marshal.
func (e *bodyEncoder) size(v any, depth int) (int, bool) {
	switch t := v.(type) {
	case nil:
		return len("null"), true
	case bool:
		if t {
			return len("true"), true
		}
		return len("false"), true
	case string:
		return stringSize(t), true
	case int:
		return len(strconv.AppendInt(e.scratch[:0], int64(t), 10)), true
	case int64:
		return len(strconv.AppendInt(e.scratch[:0], t, 10)), true
	case uint64:
		return len(strconv.AppendUint(e.scratch[:0], t, 10)), true
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return 0, false
		}
		return len(appendFloat(e.scratch[:0], t)), true
	case json.Number:
		if t == "" {
			return 1, true // "0", as encoding/json writes the zero Number
		}
		if !validNumber(string(t)) {
			return 0, false
		}
		return len(t), true
	case map[string]any:
		if t == nil {
			return len("null"), true
		}
		if depth >= maxBodyDepth {
			return 0, false
		}
		n := 2 + max(len(t)-1, 0) // {} and commas
		for k, x := range t {
			m, ok := e.size(x, depth+1)
			if !ok {
				return 0, false
			}
			n += stringSize(k) + 1 + m
		}
		return n, true
	case []any:
		if t == nil {
			return len("null"), true
		}
		if depth >= maxBodyDepth {
			return 0, false
		}
		n := 2 + max(len(t)-1, 0)
		for _, x := range t {
			m, ok := e.size(x, depth+1)
			if !ok {
				return 0, false
			}
			n += m
		}
		return n, true
	}
	return 0, false
}

// append appends the encoding of v, which size accepted.
func (e *bodyEncoder) append(b []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, t)
	case string:
		return appendString(b, t)
	case int:
		return strconv.AppendInt(b, int64(t), 10)
	case int64:
		return strconv.AppendInt(b, t, 10)
	case uint64:
		return strconv.AppendUint(b, t, 10)
	case float64:
		return appendFloat(b, t)
	case json.Number:
		if t == "" {
			return append(b, '0')
		}
		return append(b, t...)
	case map[string]any:
		if t == nil {
			return append(b, "null"...)
		}
		start := len(e.keys)
		for k := range t {
			e.keys = append(e.keys, k)
		}
		slices.Sort(e.keys[start:])
		b = append(b, '{')
		for i := start; i < len(e.keys) && e.err == nil; i++ {
			if i > start {
				b = append(b, ',')
			}
			k := e.keys[i]
			b = appendString(b, k)
			b = append(b, ':')
			b = e.flush(e.append(b, t[k]))
		}
		clear(e.keys[start:])
		e.keys = e.keys[:start]
		return append(b, '}')
	case []any:
		if t == nil {
			return append(b, "null"...)
		}
		b = append(b, '[')
		for i, x := range t {
			if e.err != nil {
				break
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = e.flush(e.append(b, x))
		}
		return append(b, ']')
	}
	return b // not reached: size refuses every other type
}

// appendFloat formats f as encoding/json does: like ES6, with exponents only for very small and
// very large magnitudes, and e-9 rather than e-09.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// validNumber reports whether s is a JSON number literal.
func validNumber(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	digits := func() bool {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		s = s[n:]
		return n > 0
	}
	switch {
	case s == "":
		return false
	case s[0] == '0':
		s = s[1:]
	case !digits():
		return false
	}
	if s != "" && s[0] == '.' {
		s = s[1:]
		if !digits() {
			return false
		}
	}
	if s != "" && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s != "" && (s[0] == '+' || s[0] == '-') {
			s = s[1:]
		}
		if !digits() {
			return false
		}
	}
	return s == ""
}

// htmlSafe reports the ASCII bytes encoding/json writes as they are in a string: not control
// characters, quotes, backslashes or <, >, &.
func htmlSafe(c byte) bool {
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}

// stringSize returns len(appendString(nil, s)).
func stringSize(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case htmlSafe(c):
				n++
			case c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			default:
				n += len(`\u0000`)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			n += len(`\ufffd`)
		} else {
			n += size
		}
		i += size
	}
	return n
}

// appendString appends s quoted as encoding/json does with HTML escaping on.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if htmlSafe(c) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
