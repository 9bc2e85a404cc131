package mock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// HeaderShape is the request header through which a client asks the mock to shape one answer:
// its value is a Shape in JSON. The mock knows nothing of why; it answers with the status given
// and applies the patches to the body it would have sent. A client that records exchanges should
// leave the header out of what it records.
const HeaderShape = "X-Arazzo-Mock-Shape"

// HeaderWarning is set on a shaped answer that departs from the OpenAPI description (an
// undocumented status, a body off its schema), one header per problem.
const HeaderWarning = "X-Arazzo-Mock-Warning"

// Shape asks for a particular answer.
type Shape struct {
	// Status is the status code to answer with (0: as the Prefer header or the description
	// choose). An undocumented status is answered with the body of the response the mock would
	// otherwise choose, and a warning.
	Status int `json:"status,omitempty"`
	// Body lists changes to the JSON body, applied in order.
	Body []Patch `json:"body,omitempty"`
}

// Patch operations.
const (
	// PatchSet sets the value at Path, creating the objects and arrays on the way.
	PatchSet = "set"
	// PatchPresent makes sure a value exists at Path: when the body lacks it, Value if given,
	// else one generated from the response schema (a string when the schema says nothing).
	PatchPresent = "present"
	// PatchDiffer makes sure the value at Path equals none of Values (strings compared
	// ignoring case): another value of the schema's enum, else the value changed.
	PatchDiffer = "differ"
	// PatchLength makes the array (or string) at Path Value items (characters) long, repeating
	// its first item, or one generated from the schema.
	PatchLength = "length"
)

// Patch is one change to a body: an operation at a JSON Pointer.
type Patch struct {
	Op     string `json:"op"`
	Path   string `json:"path"`
	Value  any    `json:"value,omitempty"`
	Values []any  `json:"values,omitempty"`
}

// parseShape reads the shape header; an unreadable one is a problem for the client.
func parseShape(r *http.Request) (*Shape, *Problem) {
	raw := r.Header.Get(HeaderShape)
	if raw == "" {
		return nil, nil
	}
	var s Shape
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return nil, shapeProblem(fmt.Sprintf("%s is not a JSON shape: %v", HeaderShape, err))
	}
	if s.Status != 0 && (s.Status < 100 || s.Status > 599) {
		return nil, shapeProblem(fmt.Sprintf("%s status %d is not an HTTP status: use 100 to 599", HeaderShape, s.Status))
	}
	for _, p := range s.Body {
		switch p.Op {
		case PatchSet, PatchPresent, PatchDiffer, PatchLength:
		default:
			return nil, shapeProblem(fmt.Sprintf("%s patch op %q: use set, present, differ or length", HeaderShape, p.Op))
		}
		if p.Path != "" && !strings.HasPrefix(p.Path, "/") {
			return nil, shapeProblem(fmt.Sprintf("%s patch path %q is not a JSON Pointer: start it with /", HeaderShape, p.Path))
		}
	}
	return &s, nil
}

func shapeProblem(msg string) *Problem {
	p := &Problem{Status: http.StatusBadRequest, Title: titles[http.StatusBadRequest],
		Errors: []Violation{{Field: "header." + HeaderShape, Rule: RulePrefer, Message: msg}}}
	p.summarise()
	return p
}

// shaped returns a copy of a with the shape applied, and the ways it departs from the
// description. schema is the response's schema for a's media type (nil when none).
func shaped(a *answer, s *Shape, documented bool, schema *openapi3.SchemaRef) (*answer, []string) {
	out := *a
	out.headers = make(map[string]string, len(a.headers))
	for k, v := range a.headers {
		out.headers[k] = v
	}
	var warnings []string
	if s.Status != 0 {
		out.status = s.Status
		if !documented {
			warnings = append(warnings, fmt.Sprintf("status %d is not documented for this operation", s.Status))
		}
	}
	if len(s.Body) == 0 {
		return &out, warnings
	}
	var body any
	if len(a.body) > 0 {
		if !isJSON(a.contentType) || json.Unmarshal(a.body, &body) != nil {
			warnings = append(warnings, fmt.Sprintf("the body is %s, not JSON: replaced by a JSON body", a.contentType))
			body = nil
		}
	}
	g := &generator{}
	for _, p := range s.Body {
		body = applyPatch(body, p, schema, g)
	}
	data, err := json.Marshal(body)
	if err != nil {
		warnings = append(warnings, fmt.Sprintf("the shaped body cannot be encoded: %v", err))
		return &out, warnings
	}
	out.body = data
	if out.contentType == "" || !isJSON(out.contentType) {
		out.contentType = "application/json"
	}
	if schema != nil && schema.Value != nil {
		if err := schema.Value.VisitJSON(jsonTree(body), openapi3.MultiErrors()); err != nil {
			msg, _, _ := strings.Cut(err.Error(), "\n")
			warnings = append(warnings, "the shaped body breaks the response schema: "+msg)
		}
	}
	return &out, warnings
}

// jsonTree turns numbers into float64, as VisitJSON expects.
func jsonTree(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(data, &out) != nil {
		return v
	}
	return out
}

// applyPatch applies one patch to root and returns the new root.
func applyPatch(root any, p Patch, schema *openapi3.SchemaRef, g *generator) any {
	toks := splitPointer(p.Path)
	return patchAt(root, toks, p, schema, g)
}

func splitPointer(ptr string) []string {
	if ptr == "" {
		return nil
	}
	parts := strings.Split(ptr[1:], "/")
	for i, t := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return parts
}

// child returns the schema of a member or item of s.
func child(s *openapi3.SchemaRef, tok string) *openapi3.SchemaRef {
	if s == nil || s.Value == nil {
		return nil
	}
	v := s.Value
	if _, err := strconv.Atoi(tok); err == nil && v.Items != nil {
		return v.Items
	}
	if c := v.Properties[tok]; c != nil {
		return c
	}
	for _, list := range []openapi3.SchemaRefs{v.AllOf, v.OneOf, v.AnyOf} {
		for _, m := range list {
			if c := child(m, tok); c != nil {
				return c
			}
		}
	}
	if v.AdditionalProperties.Schema != nil {
		return v.AdditionalProperties.Schema
	}
	return nil
}

func patchAt(cur any, toks []string, p Patch, schema *openapi3.SchemaRef, g *generator) any {
	if len(toks) == 0 {
		return patchLeaf(cur, p, schema, g)
	}
	tok, rest := toks[0], toks[1:]
	sub := child(schema, tok)
	if idx, err := strconv.Atoi(tok); err == nil && idx >= 0 && idx < 1000 {
		arr, ok := cur.([]any)
		if !ok {
			if m, isMap := cur.(map[string]any); isMap {
				m[tok] = patchAt(m[tok], rest, p, sub, g)
				return m
			}
			arr = nil
		}
		for len(arr) <= idx {
			arr = append(arr, newItem(arr, sub, g))
		}
		arr[idx] = patchAt(arr[idx], rest, p, sub, g)
		return arr
	}
	m, ok := cur.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	m[tok] = patchAt(m[tok], rest, p, sub, g)
	return m
}

// newItem is the item added to grow an array: a copy of its first item, else one generated
// from the item schema, else an empty object.
func newItem(arr []any, items *openapi3.SchemaRef, g *generator) any {
	if len(arr) > 0 {
		return jsonTree(arr[0])
	}
	if v := g.value(items, 1); v != nil {
		return v
	}
	return map[string]any{}
}

func patchLeaf(cur any, p Patch, schema *openapi3.SchemaRef, g *generator) any {
	switch p.Op {
	case PatchSet:
		return p.Value
	case PatchPresent:
		if cur != nil {
			return cur
		}
		if p.Value != nil {
			return p.Value
		}
		if v := g.value(schema, 1); v != nil {
			return v
		}
		return "mock"
	case PatchDiffer:
		if !equalsAny(cur, p.Values) && cur != nil {
			return cur
		}
		if schema != nil && schema.Value != nil {
			for _, e := range schema.Value.Enum {
				if !equalsAny(e, p.Values) {
					return e
				}
			}
		}
		for _, cand := range []any{"mock-other", "mock-other-2", "mock-other-3"} {
			if !equalsAny(cand, p.Values) {
				return cand
			}
		}
		return "mock-other-4"
	case PatchLength:
		n, _ := toInt(p.Value)
		if s, ok := cur.(string); ok {
			r := []rune(s)
			for len(r) < n {
				r = append(r, 'x')
			}
			return string(r[:n])
		}
		arr, _ := cur.([]any)
		var items *openapi3.SchemaRef
		if schema != nil && schema.Value != nil {
			items = schema.Value.Items
		}
		for len(arr) < n {
			arr = append(arr, newItem(arr, items, g))
		}
		if arr == nil {
			arr = []any{}
		}
		return arr[:n]
	}
	return cur
}

func toInt(v any) (int, bool) {
	switch t := v.(type) {
	case float64:
		return int(t), true
	case int:
		return t, true
	case int64:
		return int(t), true
	case json.Number:
		n, err := t.Int64()
		return int(n), err == nil
	}
	return 0, false
}

func equalsAny(v any, list []any) bool {
	for _, e := range list {
		if looseEqual(v, e) {
			return true
		}
	}
	return false
}

func looseEqual(a, b any) bool {
	if as, ok := a.(string); ok {
		if bs, ok := b.(string); ok {
			return strings.EqualFold(as, bs)
		}
	}
	ab, err1 := json.Marshal(a)
	bb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}
