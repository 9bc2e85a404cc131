package runtime

import (
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/arazzo-runner/arazzo/arazzo"
)

// RuleGeneratedInput is the id of the warning that names an input a mock run generated from the
// workflow's inputs schema because none was given.
const RuleGeneratedInput = "generated-input"

// generateInputs fills the inputs of wf that in lacks with values made from the workflow's
// inputs schema, for offline runs (RunOptions.GenerateInputs). Every declared property that is
// missing gets its `default`, else its `const`, first `enum` value or example, else a value
// generated to satisfy its type, format, bounds and (simple) pattern. Names that look like
// credentials (token, apiKey, password, …) get a placeholder such as "mock-token". Generation is
// deterministic: the same schema gives the same values. It returns a new map and the names it
// filled, sorted; in is not modified.
//
// usage, when not nil, returns the schemas of the operation parameters and body fields an input
// feeds directly (a value that is exactly `$inputs.NAME`); the value is then fitted to them (see
// inputGen.fit).
func generateInputs(doc *arazzo.Document, wf *arazzo.Workflow, in map[string]any, usage func(*arazzo.Workflow, string) []valueUse) (map[string]any, []string) {
	schema := resolvedInputsSchema(doc, wf)
	if schema == nil {
		return in, nil
	}
	g := &inputGen{doc: doc}
	schema = g.resolve(schema)
	props, _ := schema["properties"].(map[string]any)
	out := make(map[string]any, len(in)+len(props))
	for k, v := range in {
		out[k] = v
	}
	var names []string
	for name := range props {
		if _, ok := in[name]; ok {
			continue
		}
		ps, _ := props[name].(map[string]any)
		v := g.value(name, ps, 0)
		if usage != nil {
			v = g.fit(name, ps, v, usage(wf, name))
		}
		out[name] = v
		names = append(names, name)
	}
	if req, ok := schema["required"].([]any); ok {
		for _, r := range req {
			name, _ := r.(string)
			if _, ok := out[name]; ok || name == "" {
				continue
			}
			out[name] = g.value(name, nil, 0) // required but not declared: a placeholder string
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return out, names
}

// valueUse is the schema of an operation parameter or body field a value feeds; text marks a
// parameter (path, query, header, cookie), whose value travels as text, so that the string "1"
// is a fine value for an integer parameter.
type valueUse struct {
	schema map[string]any
	text   bool
}

// accepts reports whether the use takes c.
func (u valueUse) accepts(doc *arazzo.Document, c any) bool {
	if conforms(doc, u.schema, c) {
		return true
	}
	str, ok := c.(string)
	if !u.text || !ok {
		return false
	}
	parsed, ok := scalarOf(str)
	return ok && conforms(doc, u.schema, parsed)
}

// scalarOf reads a parameter's text as the number or boolean it spells.
func scalarOf(s string) (any, bool) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	}
	if b, err := strconv.ParseBool(s); err == nil {
		return b, true
	}
	return nil, false
}

// textOf spells a number or boolean as a parameter's text.
func textOf(v any) (string, bool) {
	switch t := v.(type) {
	case int64:
		return strconv.FormatInt(t, 10), true
	case int:
		return strconv.Itoa(t), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

// fit returns the value to send for name, whose own schema is own and whose generated value is
// v, given the operation parameters and body fields it feeds (uses). An input whose own schema
// says no more than its type takes a value generated from the API's schema, so that, say, an
// enum of the API is honoured. A value the input's schema names (a default or an example) is
// kept unless the API refuses it: a placeholder such as "ADXXXX…" for an id of pattern
// ^AD[0-9a-f]{32}$ would fail the mock run for no fault of the workflow. The value chosen
// satisfies the input's schema and, when one can be found, every use.
func (g *inputGen) fit(name string, own map[string]any, v any, uses []valueUse) any {
	if len(uses) == 0 {
		return v
	}
	fitsAll := func(c any) bool {
		for _, u := range uses {
			if !u.accepts(g.doc, c) {
				return false
			}
		}
		return true
	}
	if fixed(own) && fitsAll(v) {
		return v
	}
	plain := &inputGen{doc: g.doc, noExamples: true} // an API's example can break its own schema
	var fallback any
	for i, u := range uses {
		cands := []any{g.value(name, u.schema, 0), plain.value(name, u.schema, 0)}
		if u.text {
			for _, c := range cands[:2] {
				if t, ok := textOf(c); ok {
					cands = append(cands, t)
				}
			}
		}
		for _, c := range cands {
			if !conforms(g.doc, own, c) {
				continue
			}
			if fitsAll(c) {
				return c
			}
			if i == 0 && fallback == nil && u.accepts(g.doc, c) {
				fallback = c
			}
		}
	}
	if fallback != nil && !fixed(own) {
		return fallback
	}
	return v
}

// fixed reports whether a schema names the value to use (default, const, enum, example).
func fixed(s map[string]any) bool {
	for _, k := range []string{"enum", "const", "default", "example", "examples"} {
		if _, ok := s[k]; ok {
			return true
		}
	}
	return false
}

// conforms reports whether v satisfies the schema s (an input's own, or an API's as a value
// schema). Formats are asserted: the mock and real APIs refuse a date-time without its offset,
// so a generated value must not carry one.
func conforms(doc *arazzo.Document, s map[string]any, v any) bool {
	if s == nil {
		return true
	}
	sch, err := compileSchema(doc, s, true)
	if err != nil {
		return false
	}
	jv, err := jsonValue(v)
	if err != nil {
		return false
	}
	return sch.Validate(jv) == nil
}

// usageSchemas returns the schemas of the parameters and request body fields of wf's steps
// whose value is exactly the input name (`$inputs.NAME` or `{$inputs.NAME}`), in step order.
func (p *plan) usageSchemas(wf *arazzo.Workflow, name string) []valueUse {
	return p.usageSchemasOf(wf, "$inputs."+name)
}

// usageSchemasOf returns the schemas of the parameters and request body fields of wf's steps
// whose value is exactly the expression ref (bare or braced), in step order.
func (p *plan) usageSchemasOf(wf *arazzo.Workflow, ref string) []valueUse {
	is := func(v any) bool {
		s, ok := v.(string)
		if !ok {
			return false
		}
		s = strings.TrimSpace(s)
		if inner, ok := strings.CutPrefix(s, "{"); ok {
			s = strings.TrimSpace(strings.TrimSuffix(inner, "}"))
		}
		return s == ref
	}
	var out []valueUse
	for _, step := range wf.Steps {
		b := p.bound[step]
		if b == nil {
			continue
		}
		for _, prm := range step.Parameters {
			if prm.Ref != nil || !is(prm.Value) {
				continue
			}
			if prm.In == "header" && strings.EqualFold(prm.Name, "Content-Type") && b.op.RequestBody != nil && len(b.op.RequestBody.ContentTypes) > 0 {
				enum := make([]any, len(b.op.RequestBody.ContentTypes))
				for i, ct := range b.op.RequestBody.ContentTypes {
					enum[i] = ct
				}
				out = append(out, valueUse{schema: map[string]any{"type": "string", "enum": enum}, text: true})
				continue
			}
			if s := b.op.ValueSchema(prm.In, prm.Name); s != nil {
				out = append(out, valueUse{schema: s, text: true})
			}
		}
		if step.RequestBody == nil {
			continue
		}
		for _, ptr := range findLeaves(step.RequestBody.Payload, "", is, nil) {
			if s := b.op.ValueSchema("body", ptr); s != nil {
				out = append(out, valueUse{schema: s, text: formBody(step, b)})
			}
		}
	}
	return out
}

// formBody reports whether step sends its body as a form, whose fields travel as text.
func formBody(step *arazzo.Step, b *boundStep) bool {
	ct := step.RequestBody.ContentType
	if ct == "" {
		ct = chooseContentType(b.op, step.RequestBody.Payload)
	}
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
}

// findLeaves appends to out the JSON Pointers of the values of v (in key order) that match
// accepts.
func findLeaves(v any, ptr string, match func(any) bool, out []string) []string {
	if match(v) {
		return append(out, ptr)
	}
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			esc := strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			out = findLeaves(t[k], ptr+"/"+esc, match, out)
		}
	case []any:
		for i, e := range t {
			out = findLeaves(e, fmt.Sprintf("%s/%d", ptr, i), match, out)
		}
	}
	return out
}

// inputGen generates schema-conforming values; doc resolves `#/components/inputs/…` refs.
type inputGen struct {
	doc *arazzo.Document
	// noExamples ignores example and examples, for schemas whose examples break them.
	noExamples bool
}

// secretWords are the name fragments that mark an input as a credential, for which a
// placeholder is generated rather than a plausible-looking value.
var secretWords = []string{"token", "apikey", "api_key", "secret", "password", "passwd", "credential", "authorization", "bearer", "privatekey", "private_key"}

func looksSecret(name string) bool {
	n := strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return n == "key" || strings.HasSuffix(n, "_key") || strings.HasSuffix(name, "Key")
}

// resolve follows `$ref`s to component inputs and merges `allOf` members into one schema.
func (g *inputGen) resolve(s map[string]any) map[string]any {
	for depth := 0; s != nil && depth < 8; depth++ {
		ref, ok := s["$ref"].(string)
		if !ok {
			break
		}
		name, ok := strings.CutPrefix(ref, "#/components/inputs/")
		if !ok || g.doc.Components == nil {
			return map[string]any{}
		}
		next, _ := g.doc.Components.Inputs[name].(map[string]any)
		s = next
	}
	all, ok := s["allOf"].([]any)
	if !ok {
		return s
	}
	merged := map[string]any{}
	for k, v := range s {
		if k != "allOf" {
			merged[k] = v
		}
	}
	props := map[string]any{}
	if p, ok := merged["properties"].(map[string]any); ok {
		for k, v := range p {
			props[k] = v
		}
	}
	var req []any
	if r, ok := merged["required"].([]any); ok {
		req = append(req, r...)
	}
	for _, m := range all {
		ms, _ := m.(map[string]any)
		ms = g.resolve(ms)
		for k, v := range ms {
			switch k {
			case "properties":
				if p, ok := v.(map[string]any); ok {
					for pk, pv := range p {
						props[pk] = pv
					}
				}
			case "required":
				if r, ok := v.([]any); ok {
					req = append(req, r...)
				}
			default:
				if _, exists := merged[k]; !exists {
					merged[k] = v
				}
			}
		}
	}
	if len(props) > 0 {
		merged["properties"] = props
	}
	if len(req) > 0 {
		merged["required"] = req
	}
	return merged
}

// value generates a value for the input called name with schema s (nil: any string).
func (g *inputGen) value(name string, s map[string]any, depth int) any {
	s = g.resolve(s)
	if s == nil {
		s = map[string]any{}
	}
	for _, k := range []string{"default", "const"} {
		if v, ok := s[k]; ok {
			return v
		}
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	if v, ok := s["example"]; ok && v != nil && !g.noExamples {
		return v
	}
	if e, ok := s["examples"].([]any); ok && len(e) > 0 && !g.noExamples {
		return e[0]
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts, ok := s[k].([]any); ok && len(alts) > 0 {
			first, _ := alts[0].(map[string]any)
			return g.value(name, first, depth+1)
		}
	}
	switch schemaType(s) {
	case "integer":
		return int64(g.number(s, true))
	case "number":
		return g.number(s, false)
	case "boolean":
		return true
	case "array":
		items, _ := s["items"].(map[string]any)
		n := 1
		if m, ok := num(s["minItems"]); ok && int(m) > n {
			n = int(m)
		}
		if m, ok := num(s["maxItems"]); ok && int(m) < n {
			n = int(m)
		}
		out := make([]any, 0, n)
		for i := 0; i < n && depth < 6; i++ {
			out = append(out, g.value(name, items, depth+1))
		}
		return out
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if depth >= 6 {
				break
			}
			ps, _ := props[k].(map[string]any)
			out[k] = g.value(k, ps, depth+1)
		}
		return out
	case "null":
		return nil
	}
	return g.str(name, s)
}

// schemaType returns the schema's type, the first non-null one of a list, or a type implied by
// its keywords ("string" when nothing says otherwise).
func schemaType(s map[string]any) string {
	switch t := s["type"].(type) {
	case string:
		return t
	case []any:
		for _, e := range t {
			if str, ok := e.(string); ok && str != "null" {
				return str
			}
		}
	}
	switch {
	case s["properties"] != nil:
		return "object"
	case s["items"] != nil:
		return "array"
	case s["minimum"] != nil || s["maximum"] != nil:
		return "number"
	}
	return "string"
}

func num(v any) (float64, bool) {
	switch t := v.(type) {
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	case uint64:
		return float64(t), true
	case float64:
		return t, true
	}
	return 0, false
}

// number picks the smallest value the bounds allow, 1 when unbounded, honouring multipleOf.
func (g *inputGen) number(s map[string]any, integer bool) float64 {
	lo, hasLo := num(s["minimum"])
	if x, ok := num(s["exclusiveMinimum"]); ok {
		lo, hasLo = x+1, true
		if !integer {
			lo = x + 0.5
		}
	}
	hi, hasHi := num(s["maximum"])
	if x, ok := num(s["exclusiveMaximum"]); ok {
		hi, hasHi = x-1, true
		if !integer {
			hi = x - 0.5
		}
	}
	v := 1.0
	switch {
	case hasLo && v < lo:
		v = lo
	case hasHi && v > hi:
		v = hi
	}
	if m, ok := num(s["multipleOf"]); ok && m > 0 {
		v = math.Ceil(v/m) * m
		if hasHi && v > hi {
			v = math.Floor(hi/m) * m
		}
	}
	if integer {
		v = math.Ceil(v)
	}
	return v
}

// formatValues are the generated strings of common formats.
var formatValues = map[string]string{
	"date-time":     "2024-01-01T00:00:00Z",
	"date":          "2024-01-01",
	"time":          "00:00:00Z",
	"email":         "user@example.com",
	"idn-email":     "user@example.com",
	"uri":           "https://example.com/",
	"url":           "https://example.com/",
	"iri":           "https://example.com/",
	"uri-reference": "https://example.com/",
	"hostname":      "example.com",
	"idn-hostname":  "example.com",
	"ipv4":          "192.0.2.1",
	"ipv6":          "2001:db8::1",
	"uuid":          "00000000-0000-4000-8000-000000000000",
	"duration":      "PT1M",
	"byte":          "bW9jaw==",
	"binary":        "mock",
	"json-pointer":  "/mock",
	"regex":         "mock",
}

// str generates a string: the format's sample, a placeholder for credentials, a string built
// from a simple pattern, else "mock-<name>"; then fitted to minLength and maxLength.
func (g *inputGen) str(name string, s map[string]any) string {
	format, _ := s["format"].(string)
	_, hasPattern := s["pattern"]
	var v string
	if looksSecret(name) && !hasPattern {
		v = "mock-" + name
	} else if f, ok := formatValues[format]; ok {
		v = f
	} else if p, ok := s["pattern"].(string); ok {
		if gen, ok := fromPattern(p); ok {
			return gen
		}
	}
	if v == "" {
		v = "mock-" + name
		if name == "" {
			v = "mock"
		}
	}
	if m, ok := num(s["minLength"]); ok {
		for utf8.RuneCountInString(v) < int(m) {
			v += "x"
		}
	}
	if m, ok := num(s["maxLength"]); ok && utf8.RuneCountInString(v) > int(m) {
		v = string([]rune(v)[:int(m)])
	}
	return v
}

// fromPattern builds a short string matching an (RE2-compatible) pattern, and checks it.
func fromPattern(p string) (string, bool) {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if !writeMatch(&b, re.Simplify(), 0) {
		return "", false
	}
	ok, err := regexp.MatchString(p, b.String())
	if err != nil || !ok {
		return "", false
	}
	return b.String(), true
}

// writeMatch writes a string matching re: the first alternative, the minimum repetitions (at
// least one for +), the first character of a class.
func writeMatch(b *strings.Builder, re *syntax.Regexp, depth int) bool {
	if depth > 50 || b.Len() > 256 {
		return false
	}
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
		return true
	case syntax.OpCharClass:
		if len(re.Rune) < 2 {
			return false
		}
		r := re.Rune[0]
		// Prefer a letter or digit of the class when it has one, for readable values.
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			for _, want := range []rune{'a', 'A', '0'} {
				if lo <= want && want <= hi {
					b.WriteRune(want)
					return true
				}
			}
		}
		b.WriteRune(r)
		return true
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('x')
		return true
	case syntax.OpCapture:
		return writeMatch(b, re.Sub[0], depth+1)
	case syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpPlus:
		return writeMatch(b, re.Sub[0], depth+1)
	case syntax.OpRepeat:
		for i := 0; i < re.Min; i++ {
			if !writeMatch(b, re.Sub[0], depth+1) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !writeMatch(b, sub, depth+1) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		return writeMatch(b, re.Sub[0], depth+1)
	}
	return false
}

// generatedNote is the warning that lists the inputs a mock run generated.
func generatedNote(workflowID string, names []string, in map[string]any) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s=%s", n, shortJSON(in[n]))
	}
	return fmt.Sprintf("workflow %q: generated inputs for the mock run: %s: pass -i NAME=VALUE to choose them [%s]",
		workflowID, strings.Join(parts, ", "), RuleGeneratedInput)
}

// shortJSON renders a value as compact JSON, cut to 60 bytes.
func shortJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
