package expr

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Pointer is a parsed JSON Pointer (RFC 6901), the part after "#" in
// $response.body#/items/0/id. The zero value refers to the whole document.
// A Pointer is immutable and safe for concurrent use.
type Pointer struct {
	tokens []string // unescaped reference tokens
	text   string   // RFC 6901 form, "" for the whole document
}

// ParsePointer parses an RFC 6901 JSON Pointer such as "/a/0/b". The empty
// string refers to the whole document. A leading "#" (the URI fragment form)
// is tolerated. "~0" stands for "~" and "~1" for "/"; any other "~" is a
// *SyntaxError.
func ParsePointer(s string) (Pointer, error) {
	p, err := parsePointer(s)
	if err != nil {
		return Pointer{}, err
	}
	return p, nil
}

// parsePointer returns a *SyntaxError whose Source is s, so that callers can
// rebase it onto a larger text.
func parsePointer(s string) (Pointer, *SyntaxError) {
	text := s
	base := 0
	if strings.HasPrefix(text, "#") {
		text = text[1:]
		base = 1
	}
	if text == "" {
		return Pointer{}, nil
	}
	if text[0] != '/' {
		return Pointer{}, &SyntaxError{Source: s, Offset: base, Msg: fmt.Sprintf("json pointer %q must start with \"/\"", text)}
	}
	var tokens []string
	start := 1
	for i := 1; i <= len(text); i++ {
		if i < len(text) && text[i] != '/' {
			if text[i] == '~' && (i+1 >= len(text) || (text[i+1] != '0' && text[i+1] != '1')) {
				return Pointer{}, &SyntaxError{Source: s, Offset: base + i, Msg: "json pointer has \"~\" not followed by 0 or 1"}
			}
			continue
		}
		tokens = append(tokens, unescapeToken(text[start:i]))
		start = i + 1
	}
	return Pointer{tokens: tokens, text: text}, nil
}

func unescapeToken(t string) string {
	if !strings.Contains(t, "~") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

func escapeToken(t string) string {
	if !strings.ContainsAny(t, "~/") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

// pointerFromTokens builds a Pointer from already unescaped tokens.
func pointerFromTokens(tokens []string) Pointer {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapeToken(t))
	}
	return Pointer{tokens: tokens, text: b.String()}
}

// String returns the pointer in RFC 6901 form, without "#"; "" for the whole
// document.
func (p Pointer) String() string { return p.text }

// Tokens returns a copy of the unescaped reference tokens.
func (p Pointer) Tokens() []string { return append([]string(nil), p.tokens...) }

// IsRoot reports whether the pointer refers to the whole document.
func (p Pointer) IsRoot() bool { return len(p.tokens) == 0 }

// Get returns the value the pointer refers to in doc, which is a decoded JSON
// or YAML value (map[string]any, []any, scalars; other Go maps with string
// keys, slices and arrays are read through reflection). Array items are
// addressed by canonical decimal index; "-" (the item after the last) never
// exists. Get reports false when there is no such value.
func (p Pointer) Get(doc any) (any, bool) {
	v := doc
	for _, t := range p.tokens {
		var ok bool
		if v, ok = child(v, t); !ok {
			return nil, false
		}
	}
	return v, true
}

// Set stores v at the pointer in doc and returns the resulting document,
// which callers must use in place of doc: maps are changed in place, but
// adding to an array makes a new slice, and the empty pointer replaces the
// whole document. Set replaces an existing member or array item, adds a
// missing last member, and appends when the last token is "-" or equals the
// array length. A missing parent is an error wrapping [ErrNotFound]. Set is
// used for payload replacements (Arazzo §"Payload Replacement Object").
func (p Pointer) Set(doc any, v any) (any, error) {
	return p.set(doc, 0, v)
}

// setMember sets member key of the object n at token i of p (the last token sets it to v; an
// earlier one descends into it), for objects keyed by string (JSON) or by any (YAML).
func setMember[K comparable](p Pointer, n map[K]any, key K, i int, v any, missing func() error) (any, error) {
	if i == len(p.tokens)-1 {
		n[key] = v
		return n, nil
	}
	c, ok := n[key]
	if !ok {
		return nil, missing()
	}
	nc, err := p.set(c, i+1, v)
	if err != nil {
		return nil, err
	}
	n[key] = nc
	return n, nil
}

func (p Pointer) set(node any, i int, v any) (any, error) {
	if i == len(p.tokens) {
		return v, nil
	}
	tok := p.tokens[i]
	last := i == len(p.tokens)-1
	missing := func() error {
		return fmt.Errorf("json pointer %q: nothing at %q: %w", p.text, pointerFromTokens(p.tokens[:i+1]).text, ErrNotFound)
	}
	switch n := node.(type) {
	case map[string]any:
		return setMember(p, n, tok, i, v, missing)
	case map[any]any:
		return setMember(p, n, any(tok), i, v, missing)
	case []any:
		if tok == "-" {
			if !last {
				return nil, missing()
			}
			return append(n, v), nil
		}
		idx, ok := parseIndex(tok)
		if !ok {
			return nil, fmt.Errorf("json pointer %q: %q is not an array index", p.text, tok)
		}
		if last && idx == len(n) {
			return append(n, v), nil
		}
		if idx >= len(n) {
			return nil, fmt.Errorf("json pointer %q: index %d out of range for an array of %d items", p.text, idx, len(n))
		}
		nc, err := p.set(n[idx], i+1, v)
		if err != nil {
			return nil, err
		}
		n[idx] = nc
		return n, nil
	case nil:
		return nil, missing()
	default:
		return nil, fmt.Errorf("json pointer %q: cannot set %q in a %s", p.text, tok, typeName(node))
	}
}

// parseIndex parses a canonical array index: "0" or digits without a
// leading zero.
func parseIndex(tok string) (int, bool) {
	if tok == "" || len(tok) > 18 || (len(tok) > 1 && tok[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// child returns the member or item tok of v.
func child(v any, tok string) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		r, ok := x[tok]
		return r, ok
	case []any:
		i, ok := parseIndex(tok)
		if !ok || i >= len(x) {
			return nil, false
		}
		return x[i], true
	case map[string]string:
		r, ok := x[tok]
		return r, ok
	case map[any]any:
		r, ok := x[tok]
		return r, ok
	case nil, string, bool, float64, json.Number, int, int64:
		return nil, false
	}
	return reflectChild(reflect.ValueOf(v), tok)
}

func reflectChild(rv reflect.Value, tok string) (any, bool) {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, false
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, false
		}
		r := rv.MapIndex(reflect.ValueOf(tok).Convert(rv.Type().Key()))
		if !r.IsValid() {
			return nil, false
		}
		return r.Interface(), true
	case reflect.Slice, reflect.Array:
		i, ok := parseIndex(tok)
		if !ok || i >= rv.Len() {
			return nil, false
		}
		return rv.Index(i).Interface(), true
	}
	return nil, false
}

// index returns item i of a slice-like v, or member strconv.Itoa(i) of a map.
func index(v any, i int64) (any, bool) {
	if i < 0 {
		return nil, false
	}
	if x, ok := v.([]any); ok {
		if i >= int64(len(x)) {
			return nil, false
		}
		return x[i], true
	}
	return child(v, strconv.FormatInt(i, 10))
}

// typeName names the JSON type of v for messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any, map[any]any:
		return "object"
	case []any:
		return "array"
	}
	if _, ok := toNumber(v); ok {
		return "number"
	}
	return fmt.Sprintf("%T", v)
}
