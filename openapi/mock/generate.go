package mock

import (
	"math"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

const (
	// maxDepth bounds nesting: deeper objects and arrays are generated empty,
	// which also ends recursive schemas.
	maxDepth = 5
	// maxNodes bounds the values generated for one body, so that wide real
	// schemas (hundreds of optional properties at every level) stay small;
	// past it, objects and arrays are generated empty.
	maxNodes = 2000
)

// generator builds a value from a schema, deterministically: properties are
// visited in sorted order and every choice takes the first option.
type generator struct {
	nodes int
}

func (g *generator) value(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil {
		return nil
	}
	s := ref.Value
	g.nodes++

	// A schema's own example or default is used only when the schema accepts it: descriptions
	// often hold examples that break their own format or pattern.
	switch {
	case s.Const != nil:
		return s.Const
	case s.Example != nil && fits(s, s.Example):
		return s.Example
	case len(s.Examples) > 0 && fits(s, s.Examples[0]):
		return s.Examples[0]
	case s.Default != nil && fits(s, s.Default):
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	}

	if len(s.AllOf) > 0 {
		return g.allOf(s, depth)
	}
	if len(s.OneOf) > 0 && !hasOwnShape(s) {
		return g.value(s.OneOf[0], depth)
	}
	if len(s.AnyOf) > 0 && !hasOwnShape(s) {
		return g.value(s.AnyOf[0], depth)
	}

	switch schemaType(s) {
	case openapi3.TypeObject:
		return g.object(s, depth)
	case openapi3.TypeArray:
		return g.array(s, depth)
	case openapi3.TypeString:
		return stringValue(s)
	case openapi3.TypeInteger:
		return int64(number(s, true))
	case openapi3.TypeNumber:
		return number(s, false)
	case openapi3.TypeBoolean:
		return true
	case openapi3.TypeNull:
		return nil
	}
	return nil
}

// hasOwnShape reports whether a schema with oneOf/anyOf also describes an
// object itself, in which case its own properties are generated.
func hasOwnShape(s *openapi3.Schema) bool {
	return len(s.Properties) > 0
}

// schemaType returns the first non-null type, or one inferred from the
// keywords present.
func schemaType(s *openapi3.Schema) string {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != openapi3.TypeNull {
				return t
			}
		}
		if s.Type.Includes(openapi3.TypeNull) {
			return openapi3.TypeNull
		}
	}
	switch {
	case len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil:
		return openapi3.TypeObject
	case s.Items != nil:
		return openapi3.TypeArray
	case s.Format != "" || s.Pattern != "" || s.MaxLength != nil || s.MinLength > 0:
		return openapi3.TypeString
	case s.Min != nil || s.Max != nil:
		return openapi3.TypeNumber
	}
	return ""
}

// allOf merges the objects generated for each branch (and for the schema's
// own properties); a branch that is not an object wins only when no branch
// is.
func (g *generator) allOf(s *openapi3.Schema, depth int) any {
	merged := map[string]any{}
	var other any
	isObject := false
	for _, branch := range s.AllOf {
		switch v := g.value(branch, depth).(type) {
		case map[string]any:
			isObject = true
			for k, val := range v {
				merged[k] = val
			}
		case nil:
		default:
			if other == nil {
				other = v
			}
		}
	}
	if len(s.Properties) > 0 || schemaType(s) == openapi3.TypeObject {
		if own, ok := g.object(s, depth).(map[string]any); ok {
			isObject = true
			for k, val := range own {
				merged[k] = val
			}
		}
	}
	if isObject {
		return merged
	}
	return other
}

func (g *generator) object(s *openapi3.Schema, depth int) any {
	out := map[string]any{}
	if depth >= maxDepth || g.nodes > maxNodes {
		return out
	}
	for _, name := range sortedKeys(s.Properties) {
		prop := s.Properties[name]
		if prop != nil && prop.Value != nil && prop.Value.WriteOnly {
			continue
		}
		out[name] = g.value(prop, depth+1)
	}
	if len(s.Properties) == 0 && s.AdditionalProperties.Schema != nil {
		out["key"] = g.value(s.AdditionalProperties.Schema, depth+1)
	}
	return out
}

func (g *generator) array(s *openapi3.Schema, depth int) any {
	out := []any{}
	if depth >= maxDepth || g.nodes > maxNodes || s.Items == nil {
		return out
	}
	n := 1
	if s.MinItems > 1 {
		n = int(min(s.MinItems, 10))
	}
	if s.MaxItems != nil && uint64(n) > *s.MaxItems {
		n = int(*s.MaxItems)
	}
	item := g.value(s.Items, depth+1)
	for range n {
		out = append(out, item)
	}
	return out
}

func stringValue(s *openapi3.Schema) string {
	var v string
	switch s.Format {
	case "date-time":
		v = "2024-01-01T00:00:00Z"
	case "date":
		v = "2024-01-01"
	case "time":
		v = "00:00:00Z"
	case "uuid":
		v = "00000000-0000-4000-8000-000000000000"
	case "email":
		v = "user@example.com"
	case "uri", "url", "iri":
		v = "https://example.com"
	case "uri-reference", "iri-reference":
		v = "/example"
	case "hostname":
		v = "example.com"
	case "ipv4":
		v = "192.0.2.1"
	case "ipv6":
		v = "2001:db8::1"
	case "byte":
		v = "c3RyaW5n"
	case "binary":
		v = ""
	case "password":
		v = "password"
	default:
		v = "string"
	}
	if s.MinLength > uint64(len(v)) {
		v += strings.Repeat("x", int(min(s.MinLength, 1<<16))-len(v))
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

// number returns 0, or the value closest to it that the bounds allow.
func number(s *openapi3.Schema, integer bool) float64 {
	step := 0.5
	if integer {
		step = 1
	}
	lo, hi := math.Inf(-1), math.Inf(1)
	loEx, hiEx := false, false
	if s.Min != nil {
		lo, loEx = *s.Min, s.ExclusiveMin.IsTrue()
	}
	if b := s.ExclusiveMin.Value; b != nil && *b >= lo {
		lo, loEx = *b, true
	}
	if s.Max != nil {
		hi, hiEx = *s.Max, s.ExclusiveMax.IsTrue()
	}
	if b := s.ExclusiveMax.Value; b != nil && *b <= hi {
		hi, hiEx = *b, true
	}
	v := 0.0
	if v < lo || (v == lo && loEx) {
		v = lo
		if loEx {
			v += step
		}
		if integer {
			v = math.Ceil(v)
		}
	}
	if v > hi || (v == hi && hiEx) {
		v = hi
		if hiEx {
			v -= step
		}
		if integer {
			v = math.Floor(v)
		}
	}
	return v
}
