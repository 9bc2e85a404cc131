package arazzo

import (
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting decodeJSON follows before leaving the document to yaml.v3,
// whose path refuses what nests deeper than MaxNestingDepth.
const maxJSONDepth = MaxNestingDepth

// maxInterned bounds the distinct object keys, and the distinct short strings, one decodeJSON
// call shares between equal occurrences.
const (
	maxInterned       = 4096
	maxInternedString = 32
)

// decodeJSON decodes a JSON object or array into the values DecodeValue returns for it through
// yaml.v3 (map[string]any, []any, string, int, uint64, float64, bool, nil), at a fraction of the
// cost: an inputs file of 10,000 records took 1.5 s and most of the run's memory through
// yaml.Node (issue 8). ok is false for anything it does not decode exactly as yaml.v3 would
// (invalid JSON, duplicate keys, merge keys, \/ and \u escapes of surrogates, deep nesting); the
// caller then takes the YAML path, which reports errors with their line.
//
// It parses data in place, with no copy of the text (encoding/json's Decoder kept one, grown by
// doubling), sizes every map and slice exactly, and shares equal object keys and equal short
// strings between the records of a large input, which all repeat them: the decoded tree is what
// a run keeps in memory throughout.
func decodeJSON(data []byte) (v any, ok bool) {
	return (&jsonDecoder{data: data}).decode()
}

// decodeJSONReader is decodeJSON reading r as it decodes, so that the text is never held
// whole beside its decoded value.
func decodeJSONReader(r io.Reader) (v any, ok bool) {
	return (&jsonDecoder{data: make([]byte, 0, jsonReadSize), r: r}).decode()
}

// jsonReadSize is how much decodeJSONReader reads at a time.
const jsonReadSize = 64 << 10

func (d *jsonDecoder) decode() (any, bool) {
	d.space()
	if c, ok := d.peek(); !ok || (c != '{' && c != '[') {
		return nil, false
	}
	v, ok := d.value(0)
	if !ok {
		return nil, false
	}
	d.space()
	if _, more := d.peek(); more {
		return nil, false // trailing data
	}
	return v, true
}

// jsonMember is an object member being decoded.
type jsonMember struct {
	key string
	val any
}

// jsonDecoder decodes one JSON text. Its stacks hold the members and elements of the objects
// and arrays being decoded, each container's above its parent's, until the container is
// complete and copied out at its exact size. No decoded value shares memory with data.
type jsonDecoder struct {
	data    []byte    // the text read so far that is still needed; data[pos:] is unread
	pos     int       // the offset in data of the next byte to decode
	r       io.Reader // the rest of the text; nil when data is all of it
	members []jsonMember
	elems   []any
	keys    map[string]string
	strs    map[string]any
}

// fill reads more text, keeping data[keep:] (keep <= pos) and dropping what comes before it.
// It returns how far the kept bytes moved towards the start of data, and false at the end of
// the text (or on a read error, which the YAML path then meets and reports).
func (d *jsonDecoder) fill(keep int) (shift int, ok bool) {
	if d.r == nil {
		return 0, false
	}
	n := copy(d.data[:cap(d.data)], d.data[keep:])
	d.data = d.data[:n]
	d.pos -= keep
	if n == cap(d.data) {
		d.data = append(d.data, make([]byte, n)...)[:n] // a token longer than the buffer
	}
	for {
		m, err := d.r.Read(d.data[n:cap(d.data)])
		d.data = d.data[:n+m]
		if m > 0 {
			return keep, true
		}
		if err != nil {
			d.r = nil
			return keep, false
		}
	}
}

// peek returns the next byte without consuming it.
func (d *jsonDecoder) peek() (byte, bool) {
	if d.pos >= len(d.data) {
		if _, ok := d.fill(d.pos); !ok {
			return 0, false
		}
	}
	return d.data[d.pos], true
}

func (d *jsonDecoder) space() {
	for {
		c, ok := d.peek()
		if !ok {
			return
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			d.pos++
		default:
			return
		}
	}
}

// value decodes the value at d.pos, nested depth containers deep. As yamlShape did before it,
// it refuses any value other than a number nested deeper than maxJSONDepth.
func (d *jsonDecoder) value(depth int) (any, bool) {
	d.space()
	c, ok := d.peek()
	if !ok {
		return nil, false
	}
	if depth > maxJSONDepth && c != '-' && (c < '0' || c > '9') {
		return nil, false
	}
	switch c {
	case '{':
		return d.object(depth)
	case '[':
		return d.array(depth)
	case '"':
		raw, ok := d.str()
		if !ok {
			return nil, false
		}
		return d.stringValue(raw)
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return nil, d.literal("null")
	}
	return d.number()
}

func (d *jsonDecoder) literal(word string) bool {
	for len(d.data)-d.pos < len(word) {
		if _, ok := d.fill(d.pos); !ok {
			return false
		}
	}
	if string(d.data[d.pos:d.pos+len(word)]) != word {
		return false
	}
	d.pos += len(word)
	return true
}

// next consumes the next non-space byte.
func (d *jsonDecoder) next() (byte, bool) {
	d.space()
	c, ok := d.peek()
	if ok {
		d.pos++
	}
	return c, ok
}

func (d *jsonDecoder) object(depth int) (any, bool) {
	d.pos++ // {
	start := len(d.members)
	d.space()
	if c, _ := d.peek(); c == '}' {
		d.pos++
		return map[string]any{}, true
	}
	for {
		d.space()
		if c, _ := d.peek(); c != '"' {
			return nil, false
		}
		raw, ok := d.str()
		if !ok {
			return nil, false
		}
		key, ok := d.key(raw)
		if !ok || key == "<<" {
			return nil, false // "<<" is a merge key to yaml.v3
		}
		if c, _ := d.next(); c != ':' {
			return nil, false
		}
		v, ok := d.value(depth + 1)
		if !ok {
			return nil, false
		}
		d.members = append(d.members, jsonMember{key, v})
		c, _ := d.next()
		if c == '}' {
			break
		}
		if c != ',' {
			return nil, false
		}
	}
	members := d.members[start:]
	m := make(map[string]any, len(members))
	for _, e := range members {
		m[e.key] = e.val
	}
	clear(members)
	d.members = d.members[:start]
	if len(m) != len(members) {
		return nil, false // a duplicate key, which yaml.v3 refuses and encoding/json keeps the last of
	}
	return m, true
}

func (d *jsonDecoder) array(depth int) (any, bool) {
	d.pos++ // [
	start := len(d.elems)
	d.space()
	if c, _ := d.peek(); c == ']' {
		d.pos++
		return []any{}, true
	}
	for {
		v, ok := d.value(depth + 1)
		if !ok {
			return nil, false
		}
		d.elems = append(d.elems, v)
		c, _ := d.next()
		if c == ']' {
			break
		}
		if c != ',' {
			return nil, false
		}
	}
	elems := d.elems[start:]
	s := make([]any, len(elems))
	copy(s, elems)
	clear(elems)
	d.elems = d.elems[:start]
	return s, true
}

// str scans the string at d.pos and returns its text, quotes included, valid until the next
// read. It refuses the text yaml.v3 reads differently from encoding/json wherever a backslash
// starts it, escaped or not: \/ and \u escapes of surrogates (\ud…).
func (d *jsonDecoder) str() (raw []byte, ok bool) {
	start := d.pos
	i := start + 1
	for {
		if len(d.data)-i < 4 && d.r != nil {
			shift, _ := d.fill(start)
			start, i = start-shift, i-shift
			continue
		}
		if i >= len(d.data) {
			return nil, false
		}
		switch d.data[i] {
		case '"':
			d.pos = i + 1
			return d.data[start:d.pos], true
		case '\\':
			if yamlReadsEscapeOtherwise(d.data[i:]) || yamlReadsEscapeOtherwise(d.data[i+1:]) {
				return nil, false
			}
			i++
		}
		i++
	}
}

// yamlReadsEscapeOtherwise reports whether b starts with \/, \ud or \uD.
func yamlReadsEscapeOtherwise(b []byte) bool {
	return len(b) >= 2 && b[0] == '\\' && (b[1] == '/' || len(b) >= 3 && b[1] == 'u' && (b[2] == 'd' || b[2] == 'D'))
}

// unquote returns the text of the string raw (quotes included).
func (d *jsonDecoder) unquote(raw []byte) ([]byte, bool) {
	inner := raw[1 : len(raw)-1]
	if isPlain(inner) {
		return inner, true
	}
	// Escapes, control characters or invalid UTF-8: encoding/json decides, as it did for the
	// whole text before (invalid UTF-8 becomes U+FFFD).
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}

// isPlain reports whether b is the verbatim text of a JSON string: valid UTF-8 with no escape
// or control character.
func isPlain(b []byte) bool {
	ascii := true
	for _, c := range b {
		if c < 0x20 || c == '\\' {
			return false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	return ascii || utf8.Valid(b)
}

func (d *jsonDecoder) key(raw []byte) (string, bool) {
	b, ok := d.unquote(raw)
	if !ok {
		return "", false
	}
	if s, ok := d.keys[string(b)]; ok {
		return s, true
	}
	s := string(b)
	if d.keys == nil {
		d.keys = make(map[string]string)
	}
	if len(d.keys) < maxInterned {
		d.keys[s] = s
	}
	return s, true
}

func (d *jsonDecoder) stringValue(raw []byte) (any, bool) {
	b, ok := d.unquote(raw)
	if !ok {
		return nil, false
	}
	if len(b) > maxInternedString {
		return string(b), true
	}
	if v, ok := d.strs[string(b)]; ok {
		return v, true
	}
	var v any = string(b)
	if d.strs == nil {
		d.strs = make(map[string]any)
	}
	if len(d.strs) < maxInterned {
		d.strs[v.(string)] = v
	}
	return v, true
}

// fastIntDigits is how many decimal digits always fit in an int.
const fastIntDigits = strconv.IntSize/64*9 + 9

// number decodes a number, refusing what JSON's grammar does not allow.
func (d *jsonDecoder) number() (any, bool) {
	start := d.pos
	// at returns the byte at offset off of the number, reading more text when needed.
	at := func(off int) byte {
		for start+off >= len(d.data) {
			shift, ok := d.fill(start)
			start -= shift
			if !ok {
				return 0
			}
		}
		return d.data[start+off]
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	p := 0
	if at(p) == '-' {
		p++
	}
	digits := p
	switch c := at(p); {
	case c == '0':
		p++
	case c >= '1' && c <= '9':
		for isDigit(at(p)) {
			p++
		}
	default:
		return nil, false
	}
	integer, intEnd := true, p
	if at(p) == '.' {
		integer = false
		p++
		if !isDigit(at(p)) {
			return nil, false
		}
		for isDigit(at(p)) {
			p++
		}
	}
	if c := at(p); c == 'e' || c == 'E' {
		integer = false
		p++
		if c := at(p); c == '+' || c == '-' {
			p++
		}
		if !isDigit(at(p)) {
			return nil, false
		}
		for isDigit(at(p)) {
			p++
		}
	}
	text := d.data[start : start+p]
	d.pos = start + p
	if integer && intEnd-digits <= fastIntDigits {
		n := 0
		for _, c := range text[digits:intEnd] {
			n = n*10 + int(c-'0')
		}
		if digits > 0 {
			n = -n
		}
		return n, true
	}
	return yamlNumber(json.Number(text))
}

// yamlNumber resolves a number as yaml.v3 does: int when it fits, then uint64, then float64.
func yamlNumber(n json.Number) (any, bool) {
	if i, err := strconv.ParseInt(string(n), 10, 0); err == nil {
		return int(i), true
	}
	if u, err := strconv.ParseUint(string(n), 10, 64); err == nil {
		return u, true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return nil, false
	}
	return f, true
}
