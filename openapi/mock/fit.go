package mock

import (
	"errors"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxFitPasses bounds the rounds of fitting an example to its schema; each round mends every
// value the schema refused in the previous one.
const maxFitPasses = 4

// fits reports whether v (a JSON tree) is valid against s, as a response.
func fits(s *openapi3.Schema, v any) bool {
	return s.VisitJSON(jsonTree(v), openapi3.VisitAsResponse()) == nil
}

// fitted returns a copy of the example value that the response schema accepts: each value the
// schema refuses is replaced by one generated from the refusing part of the schema, and each
// missing required property is added. Descriptions often hold examples that break their own
// schemas (a date-time without its offset, a number sent as text); the mock validates requests
// strictly, so an answer off the schema would be refused when the client sends it back. Values
// the schema accepts are kept as they are. When the example cannot be mended in a few rounds,
// the best attempt is returned.
func fitted(schema *openapi3.SchemaRef, example any) any {
	if schema == nil || schema.Value == nil {
		return example
	}
	v := jsonTree(example) // a copy: the description's example is shared
	g := &generator{}
	for pass := range maxFitPasses {
		err := schema.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse())
		if err == nil && pass == 0 {
			return example // as written: the copy's numbers are float64, which rounds big integers
		}
		if err == nil {
			return v
		}
		var leaves []schemaFault
		collectFaults(err, nil, &leaves)
		if len(leaves) == 0 {
			return v
		}
		for _, f := range leaves {
			v = mend(v, f, g)
		}
	}
	return v
}

// schemaFault is one value a schema refused: where it is and the schema that refused it.
type schemaFault struct {
	path   []string
	schema *openapi3.Schema
	field  string
}

// collectFaults flattens kin-openapi's validation error into the innermost faults. An allOf
// failure is read through (each member must hold); a oneOf/anyOf/not failure is a fault of the
// whole value, mended from the combined schema.
func collectFaults(err error, prefix []string, out *[]schemaFault) {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			collectFaults(e, prefix, out)
		}
		return
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return
	}
	path := append(append([]string(nil), prefix...), se.JSONPointer()...)
	switch se.SchemaField {
	case "oneOf", "anyOf", "not":
	default:
		if se.Origin != nil {
			before := len(*out)
			collectFaults(se.Origin, path, out)
			if len(*out) > before {
				return
			}
		}
	}
	if se.Schema != nil {
		*out = append(*out, schemaFault{path: path, schema: se.Schema, field: se.SchemaField})
	}
}

// mend replaces the value at the fault's path (or adds the missing required properties there)
// and returns the new root.
func mend(root any, f schemaFault, g *generator) any {
	if len(f.path) == 0 {
		return replaceFault(root, f, g)
	}
	switch c := root.(type) {
	case map[string]any:
		child, ok := c[f.path[0]]
		switch {
		case ok:
			c[f.path[0]] = mend(child, schemaFault{path: f.path[1:], schema: f.schema, field: f.field}, g)
		case len(f.path) == 1 && f.field == "required":
			// kin-openapi points a missing required property at the property itself, with the
			// object's schema.
			c[f.path[0]] = jsonTree(g.value(f.schema.Properties[f.path[0]], 0))
		}
	case []any:
		if i, err := strconv.Atoi(f.path[0]); err == nil && i >= 0 && i < len(c) {
			c[i] = mend(c[i], schemaFault{path: f.path[1:], schema: f.schema, field: f.field}, g)
		}
	}
	return root
}

func replaceFault(v any, f schemaFault, g *generator) any {
	if obj, ok := v.(map[string]any); ok && f.field == "required" {
		for _, name := range f.schema.Required {
			if _, has := obj[name]; !has {
				obj[name] = jsonTree(g.value(f.schema.Properties[name], 0))
			}
		}
		return obj
	}
	return jsonTree(g.value(openapi3.NewSchemaRef("", f.schema), 0))
}
