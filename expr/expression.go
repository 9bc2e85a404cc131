package expr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/textproto"
	"strings"
)

type kind uint8

const (
	kindInvalid kind = iota
	kindURL
	kindMethod
	kindStatusCode
	kindRequest
	kindResponse
	kindMessage
	kindInputs
	kindOutputs
	kindSteps
	kindWorkflows
	kindSourceDescriptions
	kindComponents
	kindSelf
)

var kindNames = [...]string{
	kindInvalid:            "",
	kindURL:                "url",
	kindMethod:             "method",
	kindStatusCode:         "statusCode",
	kindRequest:            "request",
	kindResponse:           "response",
	kindMessage:            "message",
	kindInputs:             "inputs",
	kindOutputs:            "outputs",
	kindSteps:              "steps",
	kindWorkflows:          "workflows",
	kindSourceDescriptions: "sourceDescriptions",
	kindComponents:         "components",
	kindSelf:               "self",
}

var rootKinds = map[string]kind{
	"url":                kindURL,
	"method":             kindMethod,
	"statusCode":         kindStatusCode,
	"request":            kindRequest,
	"response":           kindResponse,
	"message":            kindMessage,
	"inputs":             kindInputs,
	"outputs":            kindOutputs,
	"steps":              kindSteps,
	"workflows":          kindWorkflows,
	"sourceDescriptions": kindSourceDescriptions,
	"components":         kindComponents,
	"self":               kindSelf,
}

const knownPrefixes = "$url, $method, $statusCode, $request., $response., $message., $inputs., $outputs., " +
	"$steps., $workflows., $sourceDescriptions., $components. or $self"

// Expression is one parsed runtime expression such as
// $steps.a.outputs.b#/x/0 (Arazzo §"Runtime Expressions"). It keeps its
// source text and its offset in the text it was parsed from. The zero value
// is invalid. An Expression is immutable and safe for concurrent use.
type Expression struct {
	src    string
	offset int
	kind   kind
	part   string // see Part
	id     string // step, workflow or source description id
	name   string // see Name
	canon  string // canonical header name
	ptr    Pointer
	hasPtr bool
}

// String returns the source text of the expression.
func (e Expression) String() string { return e.src }

// Offset returns the byte offset of the expression in the text it was parsed
// from: 0 for [Parse], the position of "$" inside a template or condition.
func (e Expression) Offset() int { return e.offset }

// Kind returns the expression's root without "$": "url", "method",
// "statusCode", "request", "response", "message", "inputs", "outputs",
// "steps", "workflows", "sourceDescriptions", "components" or "self".
func (e Expression) Kind() string { return kindNames[e.kind] }

// Part returns the second-level selector: "header", "query", "path", "body"
// or "payload" for $request, $response and $message; "inputs", "outputs" or
// "steps" for $workflows; the component type ("parameters",
// "successActions", "failureActions", "inputs") for $components; "" otherwise.
func (e Expression) Part() string { return e.part }

// StepID returns the step id of $steps.<id>.outputs.* and of the dependsOn
// form $workflows.<wf>.steps.<id>; "" otherwise.
func (e Expression) StepID() string {
	switch {
	case e.kind == kindSteps:
		return e.id
	case e.kind == kindWorkflows && e.part == "steps":
		return e.name
	}
	return ""
}

// WorkflowID returns the workflow id of $workflows.<id>.*; "" otherwise.
func (e Expression) WorkflowID() string {
	if e.kind == kindWorkflows {
		return e.id
	}
	return ""
}

// SourceName returns the source description name of
// $sourceDescriptions.<name>.<ref>; "" otherwise.
func (e Expression) SourceName() string {
	if e.kind == kindSourceDescriptions {
		return e.id
	}
	return ""
}

// Name returns the input or output name ($inputs, $outputs, $steps,
// $workflows), the header, query or path parameter name ($request,
// $response, $message), the component key ($components) or the reference
// after the source name ($sourceDescriptions); "" otherwise. Input and output
// names may hold dots; see [Expression.Eval] for how they resolve.
func (e Expression) Name() string {
	if e.kind == kindWorkflows && e.part == "steps" {
		return ""
	}
	return e.name
}

// Pointer returns the JSON Pointer (RFC 6901 form, without "#") applied after
// the name or body, or "" when there is none. A dot path after body or
// payload ($response.body.data.id) is returned as the equivalent pointer
// ("/data/id").
func (e Expression) Pointer() string { return e.ptr.text }

// HasPointer reports whether the expression carries a JSON Pointer or a dot
// path after the body, even an empty one ("$response.body#").
func (e Expression) HasPointer() bool { return e.hasPtr }

// Parse parses s, which must be exactly one runtime expression, following
// the Arazzo 1.1 ABNF with the tolerances of §17.4 of the spec checklist:
// dot paths (and [n] indexes) after body and payload become JSON Pointers,
// $message accepts body as well as payload, $components accepts the 1.0
// "inputs" type, and the dependsOn form $workflows.<wf>.steps.<step> is
// accepted (it names a step and has no value). Errors are *SyntaxError.
func Parse(s string) (Expression, error) {
	e, err := parseExpression(s, s, 0)
	if err != nil {
		return Expression{}, err
	}
	return e, nil
}

// exprParser parses one expression text located at off inside src.
type exprParser struct {
	src  string
	text string
	off  int
}

func (p *exprParser) fail(at int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Source: p.src, Offset: p.off + at, Msg: fmt.Sprintf(format, args...)}
}

func parseExpression(src, text string, off int) (Expression, *SyntaxError) {
	p := &exprParser{src: src, text: text, off: off}
	e := Expression{src: text, offset: off}
	if text == "" {
		return e, p.fail(0, "empty runtime expression")
	}
	if len(text) > MaxExpressionBytes {
		return e, p.fail(MaxExpressionBytes, "runtime expression is %d bytes long, more than the limit of %d: shorten it", len(text), MaxExpressionBytes)
	}
	if text[0] != '$' {
		return e, p.fail(0, "runtime expression %q must start with \"$\"", text)
	}
	end := 1
	for end < len(text) && isAlpha(text[end]) {
		end++
	}
	root := text[1:end]
	k, ok := rootKinds[root]
	if !ok {
		for name := range rootKinds {
			if root != "" && strings.EqualFold(name, root) {
				return e, p.fail(0, "unknown runtime expression \"$%s\" (did you mean \"$%s\"?); want %s", root, name, knownPrefixes)
			}
		}
		return e, p.fail(0, "unknown runtime expression %q; want %s", prefixOf(text), knownPrefixes)
	}
	e.kind = k
	rest := text[end:]
	switch k {
	case kindURL, kindMethod, kindStatusCode, kindSelf:
		if rest != "" {
			return e, p.fail(end, "unexpected %q after $%s", rest, root)
		}
		return e, nil
	}
	if rest == "" || rest[0] != '.' {
		return e, p.fail(end, "expected \".\" after $%s", root)
	}
	pos := end + 1
	var err *SyntaxError
	switch k {
	case kindRequest, kindResponse, kindMessage:
		err = p.source(&e, pos)
	case kindInputs, kindOutputs:
		err = p.nameAndPointer(&e, pos, root[:len(root)-1]+" name")
	case kindSteps:
		err = p.steps(&e, pos)
	case kindWorkflows:
		err = p.workflows(&e, pos)
	case kindSourceDescriptions:
		e.id, pos, err = p.strictID(pos, "source description name", true)
		if err == nil {
			if text[pos+1:] == "" {
				return e, p.fail(len(text), "missing reference after %s; want $sourceDescriptions.<name>.<ref>", text)
			}
			e.name = text[pos+1:]
			if i := strings.IndexAny(e.name, "{}"); i >= 0 {
				return e, p.fail(pos+1+i, "unexpected %q in source description reference", e.name[i])
			}
		}
	case kindComponents:
		err = p.components(&e, pos)
	}
	return e, err
}

func prefixOf(text string) string {
	if i := strings.IndexAny(text, ".#"); i > 0 {
		return text[:i]
	}
	return text
}

// strictID reads identifier-strict ([A-Za-z0-9_-]+) at pos, which must be
// followed by "." when needDot is set or by the end otherwise. It returns the
// position of the following "." (or the end).
func (p *exprParser) strictID(pos int, what string, needDot bool) (string, int, *SyntaxError) {
	i := pos
	for i < len(p.text) && isStrict(p.text[i]) {
		i++
	}
	if i == pos {
		if i < len(p.text) && p.text[i] != '.' {
			return "", i, p.fail(i, "invalid character %q in %s; want [A-Za-z0-9_-]", p.text[i], what)
		}
		return "", i, p.fail(i, "missing %s", what)
	}
	if i < len(p.text) && p.text[i] != '.' {
		return "", i, p.fail(i, "invalid character %q in %s; want [A-Za-z0-9_-]", p.text[i], what)
	}
	if needDot && i == len(p.text) {
		return "", i, p.fail(i, "unexpected end of %q after %s", p.text, what)
	}
	if !needDot && i < len(p.text) {
		return "", i, p.fail(i, "unexpected %q after %s", p.text[i:], what)
	}
	return p.text[pos:i], i, nil
}

// word reads letters at pos.
func (p *exprParser) word(pos int) (string, int) {
	i := pos
	for i < len(p.text) && isAlpha(p.text[i]) {
		i++
	}
	return p.text[pos:i], i
}

// nameAndPointer reads identifier [ "#" json-pointer ] up to the end.
func (p *exprParser) nameAndPointer(e *Expression, pos int, what string) *SyntaxError {
	i := pos
	for i < len(p.text) && p.text[i] != '#' {
		if !isIdent(p.text[i]) {
			return p.fail(i, "invalid character %q in %s; want [A-Za-z0-9._-]", p.text[i], what)
		}
		i++
	}
	if i == pos {
		return p.fail(i, "missing %s", what)
	}
	e.name = p.text[pos:i]
	if i < len(p.text) {
		return p.pointer(e, i+1)
	}
	return nil
}

func (p *exprParser) pointer(e *Expression, pos int) *SyntaxError {
	ptr, err := parsePointer(p.text[pos:])
	if err != nil {
		err.Source = p.src
		err.Offset += p.off + pos
		return err
	}
	e.ptr, e.hasPtr = ptr, true
	return nil
}

func (p *exprParser) source(e *Expression, pos int) *SyntaxError {
	part, i := p.word(pos)
	e.part = part
	switch part {
	case "header", "query", "path":
		if i >= len(p.text) || p.text[i] != '.' || i+1 == len(p.text) {
			return p.fail(i, "missing name after %s", p.text[:i])
		}
		e.name = p.text[i+1:]
		for j := i + 1; j < len(p.text); j++ {
			c := p.text[j]
			if part == "header" && !isTchar(c) {
				return p.fail(j, "invalid character %q in header name", c)
			}
			if c == '{' || c == '}' {
				return p.fail(j, "invalid character %q in %s name", c, part)
			}
		}
		if part == "header" {
			e.canon = textproto.CanonicalMIMEHeaderKey(e.name)
		}
		return nil
	case "body", "payload":
		if i == len(p.text) {
			return nil
		}
		switch p.text[i] {
		case '#':
			return p.pointer(e, i+1)
		case '.', '[':
			return p.dotPath(e, i)
		}
		return p.fail(i, "unexpected %q after %s; want \"#\" and a json pointer", p.text[i:], p.text[:i])
	}
	return p.fail(pos, "unknown source %q in %s; want header, query, path, body or payload", part, p.text[:pos-1])
}

// dotPath reads .name and [n] selectors after body or payload, which the
// spec's examples use although the grammar does not (AMB-17).
func (p *exprParser) dotPath(e *Expression, pos int) *SyntaxError {
	var tokens []string
	i := pos
	for i < len(p.text) {
		switch p.text[i] {
		case '.':
			j := i + 1
			for j < len(p.text) && !strings.ContainsRune(".[]#{}", rune(p.text[j])) {
				j++
			}
			if j == i+1 {
				return p.fail(j, "empty property name in %q", p.text)
			}
			tokens = append(tokens, p.text[i+1:j])
			i = j
		case '[':
			j := strings.IndexByte(p.text[i:], ']')
			if j < 0 {
				return p.fail(i, "missing \"]\" in %q", p.text)
			}
			tok := p.text[i+1 : i+j]
			if len(tok) >= 2 && (tok[0] == '\'' || tok[0] == '"') && tok[len(tok)-1] == tok[0] {
				tok = tok[1 : len(tok)-1]
			} else if _, ok := parseIndex(tok); !ok {
				return p.fail(i+1, "invalid index %q in %q", tok, p.text)
			}
			tokens = append(tokens, tok)
			i += j + 1
		default:
			return p.fail(i, "unexpected %q in %q", p.text[i], p.text)
		}
	}
	e.ptr, e.hasPtr = pointerFromTokens(tokens), true
	return nil
}

func (p *exprParser) steps(e *Expression, pos int) *SyntaxError {
	id, i, err := p.strictID(pos, "step id", true)
	if err != nil {
		return err
	}
	e.id = id
	field, j := p.word(i + 1)
	if field != "outputs" || j >= len(p.text) || p.text[j] != '.' {
		return p.fail(i+1, "expected \"outputs.<name>\" after $steps.%s.", id)
	}
	e.part = "outputs"
	return p.nameAndPointer(e, j+1, "output name")
}

func (p *exprParser) workflows(e *Expression, pos int) *SyntaxError {
	id, i, err := p.strictID(pos, "workflow id", true)
	if err != nil {
		return err
	}
	e.id = id
	field, j := p.word(i + 1)
	switch field {
	case "inputs", "outputs":
		if j >= len(p.text) || p.text[j] != '.' {
			return p.fail(j, "expected \".<name>\" after $workflows.%s.%s", id, field)
		}
		e.part = field
		return p.nameAndPointer(e, j+1, field[:len(field)-1]+" name")
	case "steps":
		if j >= len(p.text) || p.text[j] != '.' {
			return p.fail(j, "expected \".<stepId>\" after $workflows.%s.steps", id)
		}
		e.part = field
		step, _, err := p.strictID(j+1, "step id", false)
		if err != nil {
			return err
		}
		e.name = step
		return nil
	}
	return p.fail(i+1, "expected \"inputs\", \"outputs\" or \"steps\" after $workflows.%s.", id)
}

var componentTypes = map[string]bool{"parameters": true, "successActions": true, "failureActions": true, "inputs": true}

func (p *exprParser) components(e *Expression, pos int) *SyntaxError {
	typ, i := p.word(pos)
	if !componentTypes[typ] {
		return p.fail(pos, "unknown component type %q; want parameters, successActions, failureActions or inputs", typ)
	}
	if i >= len(p.text) || p.text[i] != '.' {
		return p.fail(i, "expected \".<name>\" after $components.%s", typ)
	}
	e.part = typ
	return p.nameAndPointer(e, i+1, "component name")
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isStrict(c byte) bool { return isAlpha(c) || isDigit(c) || c == '_' || c == '-' }

func isIdent(c byte) bool { return isStrict(c) || c == '.' }

func isTchar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// Eval returns the value the expression refers to in c, keeping its type
// (RTE-15): $statusCode is an int, a body member is whatever the decoded
// body holds. A nil c is an empty Context.
//
// Input, output and component names may contain dots: $inputs.a.b is the
// input named "a.b" when there is one, and otherwise member "b" of input "a"
// (the longest existing prefix wins). A multi-valued header yields its first
// value. A missing value is a *NotFoundError wrapping [ErrNotFound], e.g.
// `$steps.a.outputs.b: step "a" has no output "b"`.
func (e Expression) Eval(c *Context) (any, error) {
	v, m := e.resolve(c)
	if m != "" {
		return nil, &NotFoundError{Expression: e.src, What: m}
	}
	return v, nil
}

var emptyContext Context

// resolve returns the value, or a description of what is missing. The
// description is built only on failure, and the success path does not
// allocate beyond what the value itself needs.
func (e *Expression) resolve(c *Context) (any, string) {
	if c == nil {
		c = &emptyContext
	}
	switch e.kind {
	case kindURL:
		if c.URL == "" {
			return nil, "no request URL"
		}
		return c.URL, ""
	case kindMethod:
		if c.Method == "" {
			return nil, "no HTTP method"
		}
		return c.Method, ""
	case kindStatusCode:
		if c.StatusCode == 0 {
			return nil, "no response yet"
		}
		return c.StatusCode, ""
	case kindSelf:
		if c.Self == "" {
			return nil, "the document has no $self"
		}
		return c.Self, ""
	case kindRequest:
		return e.message(c.Request, "request")
	case kindResponse:
		return e.message(c.Response, "response")
	case kindMessage:
		return e.message(c.Message, "message")
	case kindInputs:
		return e.named(c.Inputs, "no input %[1]q")
	case kindOutputs:
		return e.named(c.Outputs, "no output %[1]q")
	case kindSteps:
		outs, ok := c.Steps[e.id]
		if !ok {
			return nil, fmt.Sprintf("step %q has no outputs", e.id)
		}
		return e.named(outs, "step %[2]q has no output %[1]q")
	case kindWorkflows:
		if e.part == "steps" {
			return nil, fmt.Sprintf("names step %q of workflow %q and has no value", e.name, e.id)
		}
		wf, ok := c.Workflows[e.id]
		if !ok {
			return nil, fmt.Sprintf("workflow %q has no values", e.id)
		}
		if e.part == "inputs" {
			return e.named(wf.Inputs, "workflow %[2]q has no input %[1]q")
		}
		return e.named(wf.Outputs, "workflow %[2]q has no output %[1]q")
	case kindSourceDescriptions:
		sd, ok := c.SourceDescriptions[e.id]
		if !ok {
			return nil, fmt.Sprintf("no source description %q", e.id)
		}
		return e.named(sd, "source description %[2]q has no %[1]q")
	case kindComponents:
		return e.named(c.Components[e.part], "no %[3]s component %[1]q")
	}
	return nil, "invalid expression"
}

// named looks e.name up in m. missing is a format for the failure, which
// may use %[1]q (the name), %[2]q (the id) and %[3]s (the part); it is
// formatted only on failure.
func (e *Expression) named(m map[string]any, missing string) (any, string) {
	v, ok := lookupName(m, e.name)
	if !ok {
		return nil, fmt.Sprintf(missing, e.name, e.id, e.part)
	}
	return e.applyPointer(v)
}

func (e *Expression) applyPointer(v any) (any, string) {
	if !e.hasPtr || len(e.ptr.tokens) == 0 {
		return v, ""
	}
	switch raw := v.(type) {
	case string:
		v = decodeJSON([]byte(raw), v)
	case []byte:
		v = decodeJSON(raw, v)
	}
	r, ok := e.ptr.Get(v)
	if !ok {
		return nil, fmt.Sprintf("no value at %s", e.ptr.text)
	}
	return r, ""
}

// decodeJSON parses text as JSON, or returns fallback when it is not JSON.
func decodeJSON(text []byte, fallback any) any {
	d := json.NewDecoder(bytes.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return fallback
	}
	return v
}

func (e *Expression) message(m *Message, what string) (any, string) {
	if m == nil {
		return nil, "no " + what
	}
	switch e.part {
	case "header":
		if v, ok := m.header(e.name, e.canon); ok {
			return v, ""
		}
		return nil, fmt.Sprintf("%s has no header %q", what, e.name)
	case "query":
		if v, ok := m.Query[e.name]; ok {
			return v, ""
		}
		return nil, fmt.Sprintf("%s has no query parameter %q", what, e.name)
	case "path":
		if v, ok := m.Path[e.name]; ok {
			return v, ""
		}
		return nil, fmt.Sprintf("%s has no path parameter %q", what, e.name)
	}
	if m.Body == nil {
		return nil, what + " has no body"
	}
	return e.applyPointer(m.Body)
}
