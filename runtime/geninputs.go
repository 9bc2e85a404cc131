package runtime

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"sort"
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
// usage, when not nil, returns the schema of the operation parameter or body field an input
// feeds directly (a value that is exactly `$inputs.NAME`); an input whose own schema says no
// more than its type is generated from that schema instead, when the types agree, so that, say,
// an enum of the API is honoured.
func generateInputs(doc *arazzo.Document, wf *arazzo.Workflow, in map[string]any, usage func(*arazzo.Workflow, string) map[string]any) (map[string]any, []string) {
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
		if usage != nil && !fixed(ps) {
			if us := usage(wf, name); us != nil {
				uv := g.value(name, us, 0)
				if !conforms(doc, us, uv) { // an API's example can break its own schema
					uv = (&inputGen{doc: doc, noExamples: true}).value(name, us, 0)
				}
				if conforms(doc, ps, uv) {
					v = uv
				}
			}
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

// fixed reports whether a schema names the value to use (default, const, enum, example).
func fixed(s map[string]any) bool {
	for _, k := range []string{"enum", "const", "default", "example", "examples"} {
		if _, ok := s[k]; ok {
			return true
		}
	}
	return false
}

// conforms reports whether v satisfies the input's own schema s.
func conforms(doc *arazzo.Document, s map[string]any, v any) bool {
	if s == nil {
		return true
	}
	sch, err := compileSchema(doc, s)
	if err != nil {
		return false
	}
	jv, err := jsonValue(v)
	if err != nil {
		return false
	}
	return sch.Validate(jv) == nil
}

// usageSchema returns the schema of the first parameter or request body field of wf's steps
// whose value is exactly the input name (`$inputs.NAME` or `{$inputs.NAME}`), or nil.
func (p *plan) usageSchema(wf *arazzo.Workflow, name string) map[string]any {
	return p.usageSchemaOf(wf, "$inputs."+name)
}

// usageSchemaOf returns the schema of the first parameter or request body field of wf's steps
// whose value is exactly the expression ref (bare or braced), or nil.
func (p *plan) usageSchemaOf(wf *arazzo.Workflow, ref string) map[string]any {
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
				return map[string]any{"type": "string", "enum": enum}
			}
			if s := b.op.ValueSchema(prm.In, prm.Name); s != nil {
				return s
			}
		}
		if step.RequestBody == nil {
			continue
		}
		if ptr, ok := findLeaf(step.RequestBody.Payload, "", is); ok {
			if s := b.op.ValueSchema("body", ptr); s != nil {
				return s
			}
		}
	}
	return nil
}

// findLeaf returns the JSON Pointer of the first value of v (in key order) that match accepts.
func findLeaf(v any, ptr string, match func(any) bool) (string, bool) {
	if match(v) {
		return ptr, true
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
			if p, ok := findLeaf(t[k], ptr+"/"+esc, match); ok {
				return p, true
			}
		}
	case []any:
		for i, e := range t {
			if p, ok := findLeaf(e, fmt.Sprintf("%s/%d", ptr, i), match); ok {
				return p, true
			}
		}
	}
	return "", false
}

// jsonType names the JSON Schema type of a generated value.
func jsonType(v any) string {
	switch t := v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64, int:
		return "integer"
	case float64:
		if t == math.Trunc(t) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
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
