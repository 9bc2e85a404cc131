package openapi

import (
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ValueSchema returns, as a plain JSON Schema map, the schema of a value the operation takes:
// the parameter called name in the location in (path, query, header or cookie), or, for in
// "body", the part of the request body's schema (its first JSON or form media type) that the
// JSON Pointer name reaches ("" is the whole body). It returns nil when there is no such value
// or it has no schema. The map keeps what is needed to generate a conforming value (type,
// format, enum, const, default, example, bounds, pattern, items, properties, required) with
// $refs resolved: every property to a depth of four levels, then only required properties (what
// a value must have to be accepted) to a depth of ten; it is a copy the caller may keep.
func (o *Operation) ValueSchema(in, name string) map[string]any {
	var ref *openapi3.SchemaRef
	if in == "body" {
		if o.op == nil || o.op.RequestBody == nil || o.op.RequestBody.Value == nil {
			return nil
		}
		content := o.op.RequestBody.Value.Content
		for _, ct := range contentTypes(content) {
			if mt := content[ct]; mt != nil && mt.Schema != nil {
				ref = mt.Schema
				break
			}
		}
		toks, _ := pointerTokens("#" + name)
		for _, tok := range toks {
			if ref == nil || ref.Value == nil {
				return nil
			}
			s := ref.Value
			switch {
			case s.Properties[tok] != nil:
				ref = s.Properties[tok]
			case s.Items != nil && isIndex(tok):
				ref = s.Items
			default:
				ref = firstAlternative(s, tok)
			}
		}
	} else {
		ref = o.parameterSchema(in, name)
	}
	if ref == nil || ref.Value == nil {
		return nil
	}
	return schemaMap(ref.Value, 0)
}

func (o *Operation) parameterSchema(in, name string) *openapi3.SchemaRef {
	var params openapi3.Parameters
	if o.op != nil {
		params = append(params, o.op.Parameters...)
	}
	if o.item != nil {
		params = append(params, o.item.Parameters...)
	}
	for _, p := range params {
		if p == nil || p.Value == nil || p.Value.In != in || !strings.EqualFold(p.Value.Name, name) {
			continue
		}
		if p.Value.Schema != nil {
			return p.Value.Schema
		}
		for _, ct := range contentTypes(p.Value.Content) {
			if mt := p.Value.Content[ct]; mt != nil && mt.Schema != nil {
				return mt.Schema
			}
		}
	}
	return nil
}

// firstAlternative looks for the property tok in the allOf, oneOf and anyOf members of s, and in
// theirs: descriptions nest allOf (a request schema extending a base that extends another).
func firstAlternative(s *openapi3.Schema, tok string) *openapi3.SchemaRef {
	return memberProperty(s, tok, 0)
}

func memberProperty(s *openapi3.Schema, tok string, depth int) *openapi3.SchemaRef {
	if depth > 8 {
		return nil
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, m := range list {
			if m == nil || m.Value == nil {
				continue
			}
			if p := m.Value.Properties[tok]; p != nil {
				return p
			}
			if p := memberProperty(m.Value, tok, depth+1); p != nil {
				return p
			}
		}
	}
	return nil
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Depths of schemaMap: wide descriptions stay small when only required properties are followed
// past fullMapDepth, and recursive ones end at maxMapDepth.
const (
	fullMapDepth = 4
	maxMapDepth  = 10
)

// schemaMap copies the generation-relevant keywords of s into a JSON Schema map.
func schemaMap(s *openapi3.Schema, depth int) map[string]any {
	m := map[string]any{}
	if s.Type != nil && len(*s.Type) > 0 {
		types := make([]any, 0, len(*s.Type))
		for _, t := range *s.Type {
			types = append(types, t)
		}
		if len(types) == 1 {
			m["type"] = types[0]
		} else {
			m["type"] = types
		}
	}
	if s.Format != "" {
		m["format"] = s.Format
	}
	if len(s.Enum) > 0 {
		m["enum"] = append([]any(nil), s.Enum...)
	}
	if s.Default != nil {
		m["default"] = s.Default
	}
	if s.Example != nil {
		m["example"] = s.Example
	}
	if s.Pattern != "" {
		m["pattern"] = s.Pattern
	}
	if s.Min != nil {
		m["minimum"] = *s.Min
		if s.ExclusiveMin.IsTrue() {
			m["exclusiveMinimum"] = *s.Min
			delete(m, "minimum")
		}
	}
	if s.ExclusiveMin.Value != nil {
		m["exclusiveMinimum"] = *s.ExclusiveMin.Value
	}
	if s.Max != nil {
		m["maximum"] = *s.Max
		if s.ExclusiveMax.IsTrue() {
			m["exclusiveMaximum"] = *s.Max
			delete(m, "maximum")
		}
	}
	if s.ExclusiveMax.Value != nil {
		m["exclusiveMaximum"] = *s.ExclusiveMax.Value
	}
	if s.MultipleOf != nil {
		m["multipleOf"] = *s.MultipleOf
	}
	if s.MinLength > 0 {
		m["minLength"] = s.MinLength
	}
	if s.MaxLength != nil {
		m["maxLength"] = *s.MaxLength
	}
	if s.MinItems > 0 {
		m["minItems"] = s.MinItems
	}
	if s.MaxItems != nil {
		m["maxItems"] = *s.MaxItems
	}
	if depth >= maxMapDepth {
		return m
	}
	if s.Items != nil && s.Items.Value != nil {
		m["items"] = schemaMap(s.Items.Value, depth+1)
	}
	if len(s.Properties) > 0 {
		props := map[string]any{}
		for k, p := range s.Properties {
			if p != nil && p.Value != nil && (depth < fullMapDepth || slices.Contains(s.Required, k)) {
				props[k] = schemaMap(p.Value, depth+1)
			}
		}
		if len(props) > 0 {
			m["properties"] = props
		}
	}
	if len(s.Required) > 0 {
		req := make([]any, len(s.Required))
		for i, r := range s.Required {
			req[i] = r
		}
		m["required"] = req
	}
	for key, list := range map[string]openapi3.SchemaRefs{"oneOf": s.OneOf, "anyOf": s.AnyOf, "allOf": s.AllOf} {
		var out []any
		for _, r := range list {
			if r != nil && r.Value != nil {
				out = append(out, schemaMap(r.Value, depth+1))
			}
		}
		if len(out) > 0 {
			m[key] = out
		}
	}
	return m
}
