package expr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Template is a document value that may hold runtime expressions
// (Arazzo §"Runtime Expressions", RTE-14): a bare expression
// ("$inputs.x", evaluated to a typed value), a string with embedded
// expressions ("Bearer {$inputs.token}", evaluated to a string), or a literal
// string with none. A Template is immutable and safe for concurrent use.
type Template struct {
	src   string
	bare  bool
	parts []part // literal text and embedded expressions, in order
	exprs []Expression
	// unbraced lists the expressions ParseTemplateLenient read from text without braces.
	unbraced []Expression
}

type part struct {
	text string
	expr int // index into exprs, or -1 for literal text
}

// ParseTemplate parses s once so it can be evaluated many times.
//
// s is a bare expression when it starts with "$" followed by one of the
// expression roots ($url, $inputs., …) and then the end of the string or a
// "." or "#"; it must then parse as a whole, so typos surface as a
// *SyntaxError. Other text starting with "$" ("$5 off") is literal. Each
// "{$…}" (spaces after "{" and before "}" allowed) is an embedded expression
// ending at the first "}"; any other "{" is literal text, so JSON text can
// hold embedded expressions. Note that "{$inputs.x}" alone is embedded, and
// evaluates to a string.
func ParseTemplate(s string) (*Template, error) {
	t := &Template{src: s}
	if looksBare(s) {
		e, err := parseExpression(s, s, 0)
		if err != nil {
			return nil, err
		}
		t.bare = true
		t.exprs = []Expression{e}
		return t, nil
	}
	lit := 0 // start of pending literal text
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j >= len(s) || s[j] != '$' {
			continue
		}
		end := strings.IndexByte(s[j:], '}')
		if end < 0 {
			return nil, &SyntaxError{Source: s, Offset: i, Msg: "unterminated embedded expression: missing \"}\""}
		}
		end += j
		inner := strings.TrimRight(s[j:end], " \t")
		e, err := parseExpression(s, inner, j)
		if err != nil {
			return nil, err
		}
		if lit < i {
			t.parts = append(t.parts, part{text: s[lit:i], expr: -1})
		}
		t.parts = append(t.parts, part{expr: len(t.exprs)})
		t.exprs = append(t.exprs, e)
		lit = end + 1
		i = end
	}
	if len(t.exprs) == 0 {
		t.parts = nil
		return t, nil
	}
	if lit < len(s) {
		t.parts = append(t.parts, part{text: s[lit:], expr: -1})
	}
	return t, nil
}

// looksBare reports whether s starts with a runtime expression root followed
// by the end, "." or "#".
func looksBare(s string) bool {
	if len(s) < 2 || s[0] != '$' {
		return false
	}
	i := 1
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	if _, ok := rootKinds[s[1:i]]; !ok {
		return false
	}
	return i == len(s) || s[i] == '.' || s[i] == '#'
}

// String returns the source text.
func (t *Template) String() string { return t.src }

// IsLiteral reports whether the template holds no expression.
func (t *Template) IsLiteral() bool { return len(t.exprs) == 0 }

// IsBare reports whether the whole template is one expression, whose value
// keeps its type.
func (t *Template) IsBare() bool { return t.bare }

// Expressions returns the template's expressions in source order. Their
// offsets are positions in the template text.
func (t *Template) Expressions() []Expression { return append([]Expression(nil), t.exprs...) }

// Eval evaluates the template. A bare expression keeps its type (RTE-15),
// and the value is returned as the Context holds it, not copied. Embedded
// expressions are converted to text (RTE-16): strings as they are, numbers
// and booleans in their JSON form, null as "null", and objects and arrays as
// JSON. A literal template returns its text. A missing value is an error
// wrapping [ErrNotFound].
func (t *Template) Eval(c *Context) (any, error) {
	if t.bare {
		return t.exprs[0].Eval(c)
	}
	if len(t.exprs) == 0 {
		return t.src, nil
	}
	buf := make([]byte, 0, len(t.src)+16*len(t.exprs))
	for _, p := range t.parts {
		if p.expr < 0 {
			buf = append(buf, p.text...)
			continue
		}
		v, err := t.exprs[p.expr].Eval(c)
		if err != nil {
			return nil, err
		}
		if buf, err = appendText(buf, v); err != nil {
			return nil, fmt.Errorf("%s: %w", t.exprs[p.expr].src, err)
		}
	}
	return string(buf), nil
}

// appendText appends the RTE-16 string form of v.
func appendText(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return append(b, x...), nil
	case []byte:
		return append(b, x...), nil
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case json.Number:
		return append(b, x...), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case float64:
		return appendFloat(b, x), nil
	case float32:
		return appendFloat(b, float64(x)), nil
	}
	if n, ok := toNumber(v); ok {
		if n.isInt {
			return strconv.AppendInt(b, n.i, 10), nil
		}
		return appendFloat(b, n.f), nil
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return b, fmt.Errorf("cannot write value as json: %w", err)
	}
	return append(b, bytes.TrimRight(out.Bytes(), "\n")...), nil
}

// appendFloat formats like encoding/json: plain decimals, exponents only for
// very large or small magnitudes.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// EvalValue evaluates every string in v that is a template, at any depth of
// maps (map[string]any, map[any]any) and slices ([]any), and returns a new
// value; v is not modified and map keys are not evaluated. Values that bare
// expressions produce are deep-copied, so that later changes to the result
// (payload replacements through [Pointer.Set]) cannot reach the Context.
// Errors name the location, e.g. `at /headers/auth: $inputs.token: no input
// "token"`. EvalValue parses the strings on every call; parse once with
// [ParseTemplate] where a value is evaluated repeatedly.
func EvalValue(v any, c *Context) (any, error) {
	return EvalValueWith(v, c, EvalOptions{})
}

// EvalOptions tune EvalValueWith.
type EvalOptions struct {
	// Lenient parses strings with ParseTemplateLenient, so `Bearer $inputs.token` is evaluated
	// as if braced.
	Lenient bool
	// Unbraced, when set, is called with each string in which Lenient found an expression
	// without braces, so the caller can warn.
	Unbraced func(text string)
	// StepOutput, when set with Lenient, lets `$steps.ID.NAME` stand for
	// `$steps.ID.outputs.NAME` where it reports that step ID declares output NAME (WILD-02);
	// Shorthand, when set, is then called with the string and the shorthands read.
	StepOutput func(step, name string) bool
	Shorthand  func(text string, found []string)
	// Rewrite, when set with Lenient, is applied to each string before it is parsed (the runner
	// uses it to let expressions name ids the grammar cannot spell, WILD-05).
	Rewrite func(text string) string
	// Shared returns the values of bare expressions as the Context holds them instead of
	// copies; the caller must then not modify the result (copy it with CopyValue first).
	// Large inputs passed through to a request body are then not copied.
	Shared bool
}

// EvalValueWith is EvalValue with options.
func EvalValueWith(v any, c *Context, o EvalOptions) (any, error) {
	out, err := evalValue(v, c, &o)
	if err != nil {
		var pe *pathError
		if asPathError(err, &pe) {
			pe.reverse()
		}
		return nil, err
	}
	return out, nil
}

func evalValue(v any, c *Context, o *EvalOptions) (any, error) {
	switch x := v.(type) {
	case string:
		parse := ParseTemplate
		src := x
		if o.Lenient {
			parse = ParseTemplateLenient
			if o.Rewrite != nil {
				src = o.Rewrite(src)
			}
			if o.StepOutput != nil {
				if exp, found := ExpandStepsShorthand(src, o.StepOutput); found != nil {
					if o.Shorthand != nil {
						o.Shorthand(x, found)
					}
					src = exp
				}
			}
		}
		t, err := parse(src)
		if err != nil {
			return nil, err
		}
		if len(t.unbraced) > 0 && o.Unbraced != nil {
			o.Unbraced(x)
		}
		if t.IsLiteral() {
			return x, nil
		}
		r, err := t.Eval(c)
		if err != nil {
			return nil, err
		}
		if t.bare && !o.Shared {
			r = deepCopy(r)
		}
		return r, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			r, err := evalValue(item, c, o)
			if err != nil {
				return nil, firstError(x, c, o)
			}
			out[k] = r
		}
		return out, nil
	case map[any]any:
		out := make(map[any]any, len(x))
		for k, item := range x {
			r, err := evalValue(item, c, o)
			if err != nil {
				return nil, atPath(err, fmt.Sprint(k))
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			r, err := evalValue(item, c, o)
			if err != nil {
				return nil, atPath(err, strconv.Itoa(i))
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// firstError reports the error of the first member, in key order, that fails to evaluate, so
// that the same document and inputs always give the same message whatever the map's order.
// It runs only once evaluation has failed.
func firstError(m map[string]any, c *Context, o *EvalOptions) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	quiet := *o
	quiet.Unbraced = nil // already reported by the first pass
	for _, k := range keys {
		if _, err := evalValue(m[k], c, &quiet); err != nil {
			return atPath(err, k)
		}
	}
	return nil
}

// CopyValue returns a deep copy of a JSON-shaped value (maps and slices copied, scalars shared).
func CopyValue(v any) any { return deepCopy(v) }

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = deepCopy(item)
		}
		return out
	case map[any]any:
		out := make(map[any]any, len(x))
		for k, item := range x {
			out[k] = deepCopy(item)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = deepCopy(item)
		}
		return out
	}
	return v
}

// pathError locates an EvalValue error. tokens are collected innermost
// first and reversed once at the top.
type pathError struct {
	tokens []string
	err    error
}

func (e *pathError) Error() string {
	return "at " + pointerFromTokens(e.tokens).text + ": " + e.err.Error()
}

func (e *pathError) Unwrap() error { return e.err }

func (e *pathError) reverse() {
	for i, j := 0, len(e.tokens)-1; i < j; i, j = i+1, j-1 {
		e.tokens[i], e.tokens[j] = e.tokens[j], e.tokens[i]
	}
}

func atPath(err error, tok string) error {
	if pe, ok := err.(*pathError); ok {
		pe.tokens = append(pe.tokens, tok)
		return pe
	}
	return &pathError{tokens: []string{tok}, err: err}
}

func asPathError(err error, target **pathError) bool {
	pe, ok := err.(*pathError)
	*target = pe
	return ok
}
