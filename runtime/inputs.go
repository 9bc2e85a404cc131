package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/arazzo-runner/arazzo/arazzo"
)

// bindInputs gives each top-level workflow its inputs and checks them against the workflow's
// inputs JSON Schema before any request is sent (AMB-14: validated, defaults not applied).
// Every problem of every workflow is reported at once.
func (p *plan) bindInputs() error {
	if p.opts.GenerateInputs && !p.opts.Mock {
		return setupErrorf("generated inputs are only for mock runs: pass --mock, or give every input")
	}
	perWorkflow := p.inputsAreKeyedByWorkflow()
	var errs []error
	for _, wf := range p.order {
		if p.owner(wf) != p {
			continue // a workflow of an Arazzo source that a workflow dependsOn runs without inputs
		}
		in := p.opts.Inputs
		if perWorkflow {
			m, _ := p.opts.Inputs[wf.WorkflowID].(map[string]any)
			in = m
		}
		if in == nil {
			in = map[string]any{}
		}
		if p.opts.GenerateInputs {
			var names []string
			in, names = generateInputs(p.doc, wf, in, p.usageSchemas)
			if len(names) > 0 {
				gen := make(map[string]any, len(names))
				for _, n := range names {
					gen[n] = in[n]
				}
				if p.generated == nil {
					p.generated = map[string]map[string]any{}
				}
				p.generated[wf.WorkflowID] = gen
				p.warnings = append(p.warnings, generatedNote(wf.WorkflowID, names, in))
			}
		}
		p.inputs[wf.WorkflowID] = in
		if problems := checkInputs(p.doc, wf, in); len(problems) > 0 {
			errs = append(errs, &InputError{WorkflowID: wf.WorkflowID, Problems: problems})
		}
	}
	if len(errs) > 0 {
		return &SetupError{Err: errors.Join(errs...)}
	}
	return nil
}

// inputsAreKeyedByWorkflow reports whether the inputs are an object keyed by workflowId: with
// several workflows to run, every key names one of them and every value is an object.
func (p *plan) inputsAreKeyedByWorkflow() bool {
	if len(p.opts.Inputs) == 0 {
		return false
	}
	for k, v := range p.opts.Inputs {
		if p.doc.Workflow(k) == nil {
			return false
		}
		if _, ok := v.(map[string]any); !ok {
			return false
		}
	}
	// A workflow with an input named like a workflow would be read wrongly; require that no
	// key is also a declared input of a workflow to run.
	for _, wf := range p.order {
		for k := range p.opts.Inputs {
			if _, ok := inputProperty(p.doc, wf, k); ok {
				return false
			}
		}
	}
	return true
}

// checkInputs validates inputs against the workflow's schema and lists each problem in a
// sentence that names the input.
func checkInputs(doc *arazzo.Document, wf *arazzo.Workflow, in map[string]any) []string {
	schema := resolvedInputsSchema(doc, wf)
	if schema == nil {
		return nil
	}
	var problems []string
	if req, ok := schema["required"].([]any); ok {
		for _, r := range req {
			name, _ := r.(string)
			if _, ok := in[name]; !ok && name != "" {
				problems = append(problems, fmt.Sprintf("missing required input %q: pass -i %s=VALUE or put it in --inputs", name, name))
			}
		}
	}
	sch, err := compileSchema(doc, schema, false)
	if err != nil {
		return append(problems, fmt.Sprintf("the inputs schema cannot be compiled: %v", err))
	}
	v, err := inputsValue(in)
	if err != nil {
		return append(problems, err.Error())
	}
	if err := sch.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			for _, leaf := range leaves(ve) {
				if strings.Contains(leaf, "missing property") {
					continue // reported above, with a hint
				}
				problems = append(problems, leaf)
			}
		} else {
			problems = append(problems, err.Error())
		}
	}
	return problems
}

var english = message.NewPrinter(language.English)

// leaves flattens a validation error tree into one line per failing location.
func leaves(ve *jsonschema.ValidationError) []string {
	if len(ve.Causes) == 0 {
		loc := "/" + strings.Join(ve.InstanceLocation, "/")
		msg := ve.ErrorKind.LocalizedString(english)
		if loc == "/" {
			return []string{msg}
		}
		return []string{fmt.Sprintf("input %s: %s", strings.TrimPrefix(loc, "/"), msg)}
	}
	var out []string
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	sort.Strings(out)
	return out
}

// resolvedInputsSchema returns the workflow's inputs schema with a top-level
// `$ref: '#/components/inputs/x'` followed.
func resolvedInputsSchema(doc *arazzo.Document, wf *arazzo.Workflow) map[string]any {
	m, _ := wf.Inputs.(map[string]any)
	for depth := 0; m != nil && depth < 8; depth++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			break
		}
		name, ok := strings.CutPrefix(ref, "#/components/inputs/")
		if !ok || doc.Components == nil {
			break
		}
		next, _ := doc.Components.Inputs[name].(map[string]any)
		if next == nil {
			break
		}
		m = next
	}
	return m
}

// compileSchema compiles an inputs schema. The components' inputs are placed beside it under
// `components`, so `#/components/inputs/x` references anywhere inside it resolve. assertFormats
// makes `format` an assertion (JSON Schema 2020-12 reads it as an annotation by default).
func compileSchema(doc *arazzo.Document, schema map[string]any, assertFormats bool) (*jsonschema.Schema, error) {
	root := make(map[string]any, len(schema)+1)
	for k, v := range schema {
		root[k] = rewriteInputRefs(v)
	}
	if doc.Components != nil && doc.Components.Inputs != nil {
		// The components go under $defs, where the validator looks for subschemas and so for
		// plain-name fragments ($anchor) too (GEN-13); `#/components/inputs/x` references
		// are rewritten to point there.
		defs, _ := root["$defs"].(map[string]any)
		merged := make(map[string]any, len(defs)+len(doc.Components.Inputs))
		for k, v := range defs {
			merged[k] = v
		}
		for k, v := range doc.Components.Inputs {
			merged[inputDefPrefix+k] = rewriteInputRefs(v)
		}
		root["$defs"] = merged
	}
	if _, ok := root["$schema"]; !ok {
		root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	}
	v, err := jsonValue(root)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if assertFormats {
		c.AssertFormat()
	}
	const loc = "arazzo:inputs.json"
	if err := c.AddResource(loc, v); err != nil {
		return nil, err
	}
	return c.Compile(loc)
}

const inputDefPrefix = "arazzo-components-inputs-"

// rewriteInputRefs returns a copy of a schema whose `$ref: "#/components/inputs/x…"` values
// point at the $defs entry compileSchema makes for component x.
func rewriteInputRefs(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if ref, ok := e.(string); ok && k == "$ref" {
				if rest, found := strings.CutPrefix(ref, "#/components/inputs/"); found {
					e = "#/$defs/" + inputDefPrefix + rest
				}
			}
			out[k] = rewriteInputRefs(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = rewriteInputRefs(e)
		}
		return out
	}
	return v
}

// jsonValue round-trips a value through JSON so that numbers and maps have the shapes the
// schema validator expects.
func jsonValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("inputs are not JSON values: %w", err)
	}
	return jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
}

// inputsValue gives the validator the inputs themselves when they already have JSON shapes (as
// decoded from --inputs or -i), instead of a JSON round trip of them all, which took 0.8 s for
// 10,000 records (issue 8). Anything else still goes through jsonValue.
func inputsValue(in map[string]any) (any, error) {
	if jsonShaped(in, 0) {
		return in, nil
	}
	return jsonValue(in)
}

// jsonShaped reports whether v is made only of values the validator reads exactly as it reads
// their JSON round trip: nil, bools, valid UTF-8 strings, integers, finite floats, and
// map[string]any and []any of them, nested at most 1,000 deep.
func jsonShaped(v any, depth int) bool {
	if depth > 1000 {
		return false
	}
	switch t := v.(type) {
	case nil, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	case float64:
		return !math.IsNaN(t) && !math.IsInf(t, 0)
	case string:
		return utf8.ValidString(t)
	case map[string]any:
		for k, e := range t {
			if !utf8.ValidString(k) || !jsonShaped(e, depth+1) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range t {
			if !jsonShaped(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

func inputProperty(doc *arazzo.Document, wf *arazzo.Workflow, name string) (map[string]any, bool) {
	schema := resolvedInputsSchema(doc, wf)
	props, _ := schema["properties"].(map[string]any)
	p, ok := props[name].(map[string]any)
	return p, ok
}

// CoerceInput reads a command-line input value by the workflow's input schema: where the schema
// says string the text stays a string; otherwise it is read as JSON when it parses as JSON, and
// kept as text when it does not.
func CoerceInput(doc *arazzo.Document, workflowID, name, raw string) any {
	var schemas []map[string]any
	for _, wf := range doc.Workflows {
		if workflowID != "" && wf.WorkflowID != workflowID {
			continue
		}
		if p, ok := inputProperty(doc, wf, name); ok {
			schemas = append(schemas, p)
		}
	}
	for _, s := range schemas {
		if isStringSchema(s) {
			return raw
		}
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err == nil {
		return v
	}
	return raw
}

func isStringSchema(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		return t == "string"
	case []any:
		for _, e := range t {
			if e == "string" {
				return true
			}
		}
	}
	return false
}
