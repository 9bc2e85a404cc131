package arazzo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxDocumentBytes is the largest document Parse accepts.
const MaxDocumentBytes = 16 << 20

// ErrNotArazzo is wrapped by the error Parse returns when the root has no `arazzo` field.
var ErrNotArazzo = errors.New("not an arazzo document")

// ParseFile reads and parses the document at path. See Parse.
func ParseFile(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse decodes an Arazzo document from YAML or JSON. file names the document in positions.
//
// On failure the error is a Diagnostics holding every structural error found (syntax, wrong
// types, missing required fields). Findings that do not stop a run (unknown fields, reserved
// extension prefixes) are returned in Document.Warnings. Parse checks structure only; reference
// and expression checks are Validate's. A document larger than MaxDocumentBytes, nesting deeper
// than MaxNestingDepth or whose aliases expand beyond MaxAliasNodes is refused before it is
// walked (rules document-too-large and document-too-complex).
func Parse(file string, data []byte) (*Document, error) {
	if len(data) > MaxDocumentBytes {
		return nil, Diagnostics{{File: file, Line: 1, Col: 1, Severity: SeverityError, Rule: RuleDocumentTooLarge,
			Message: fmt.Sprintf("document is %d bytes, more than the %d allowed", len(data), MaxDocumentBytes)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Diagnostics{syntaxDiagnostic(file, err)}
	}
	if d := checkLimits(file, &root); d != nil {
		return nil, Diagnostics{*d}
	}
	p := &parser{file: file}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, Diagnostics{p.diag(&root, SeverityError, RuleNotAnObject, "document is empty: expected a mapping with an `arazzo` field")}
	}
	doc := p.document(root.Content[0])
	if errs := p.diags.Errors(); len(errs) > 0 {
		return nil, errs
	}
	doc.Warnings = p.diags.Warnings()
	doc.node = root.Content[0]
	return doc, nil
}

var topLevelArazzoKey = regexp.MustCompile(`(?m)^(?:\{\s*)?["']?arazzo["']?\s*:`)

var yamlLineRe = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

func syntaxDiagnostic(file string, err error) Diagnostic {
	d := Diagnostic{File: file, Line: 1, Col: 1, Severity: SeverityError, Rule: RuleYAMLSyntax, Err: err}
	msg := err.Error()
	if te := (*yaml.TypeError)(nil); errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimSpace(strings.SplitN(msg, "\n", 2)[0])
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			d.Line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	d.Message = "invalid YAML/JSON: " + msg
	return d
}

type parser struct {
	file  string
	diags Diagnostics
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (p *parser) diag(n *yaml.Node, sev Severity, rule, msg string) Diagnostic {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, n.Column
	}
	return Diagnostic{File: p.file, Line: line, Col: col, Severity: sev, Rule: rule, Message: msg}
}

func (p *parser) errorf(n *yaml.Node, rule, format string, args ...any) {
	p.diags = append(p.diags, p.diag(n, SeverityError, rule, fmt.Sprintf(format, args...)))
}

func (p *parser) warnf(n *yaml.Node, rule, format string, args ...any) {
	p.diags = append(p.diags, p.diag(n, SeverityWarning, rule, fmt.Sprintf(format, args...)))
}

// deref follows YAML aliases.
func deref(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && depth < 64; depth++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "a scalar (" + strings.TrimPrefix(n.Tag, "!!") + ")"
	}
	return "an unexpected node"
}

// fields walks a mapping node, calling the handler for each known key, keeping `x-` keys as
// extensions, and warning on unknown keys. It reports required keys that are missing.
func (p *parser) fields(n *yaml.Node, what string, ext *Extensions, handlers map[string]func(*yaml.Node), required ...string) bool {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, RuleInvalidType, "%s must be an object, found %s", what, kindName(n))
		return false
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		key := k.Value
		if seen[key] {
			p.errorf(k, RuleDuplicateKey, "%s has field %q twice: keep one", what, key)
			continue
		}
		seen[key] = true
		if h, ok := handlers[key]; ok {
			h(v)
			continue
		}
		if strings.HasPrefix(key, "x-") {
			if ext != nil {
				if *ext == nil {
					*ext = Extensions{}
				}
				(*ext)[key] = p.any(v)
			}
			continue
		}
		p.warnf(k, RuleUnknownField, "%s has unknown field %q: remove it or prefix it with x- to keep it as an extension", what, key)
	}
	for _, r := range required {
		if !seen[r] {
			p.errorf(n, RuleRequiredField, "%s is missing required field %q", what, r)
		}
	}
	return true
}

func (p *parser) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, RuleInvalidType, "%s must be a string, found %s", what, kindName(n))
		return ""
	}
	return n.Value
}

func (p *parser) strList(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, RuleInvalidType, "%s must be a list of strings, found %s", what, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		out = append(out, p.str(deref(c), what+" entry"))
	}
	return out
}

func (p *parser) list(n *yaml.Node, what string, each func(*yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, RuleInvalidType, "%s must be a list, found %s", what, kindName(n))
		return
	}
	for _, c := range n.Content {
		each(deref(c))
	}
}

func (p *parser) any(n *yaml.Node) any {
	var v any
	if err := n.Decode(&v); err != nil {
		p.errorf(n, RuleInvalidValue, "cannot decode value: %v", err)
		return nil
	}
	return normalize(v)
}

// normalize turns yaml's map[string]interface{} trees into JSON-shaped values and makes
// non-string map keys strings, so values marshal as JSON.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalize(e)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case []any:
		for i, e := range t {
			t[i] = normalize(e)
		}
		return t
	}
	return v
}

func (p *parser) document(n *yaml.Node) *Document {
	n = deref(n)
	d := &Document{File: p.file, Pos: posOf(n)}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, RuleNotAnObject, "document must be an object with an `arazzo` field, found %s", kindName(n))
		return d
	}
	ok := p.fields(n, "document", &d.Extensions, map[string]func(*yaml.Node){
		"arazzo": func(v *yaml.Node) {
			d.Arazzo = p.str(v, "`arazzo`")
			if d.Arazzo != "" && !strings.HasPrefix(d.Arazzo, "1.0.") && !strings.HasPrefix(d.Arazzo, "1.1.") {
				p.errorf(v, RuleUnsupportedVer, "arazzo version %q is not supported: use 1.0.x or 1.1.x", d.Arazzo)
			}
		},
		"$self": func(v *yaml.Node) { d.Self = p.str(v, "`$self`") },
		"info":  func(v *yaml.Node) { d.Info = p.info(v) },
		"sourceDescriptions": func(v *yaml.Node) {
			p.list(v, "`sourceDescriptions`", func(c *yaml.Node) { d.SourceDescriptions = append(d.SourceDescriptions, p.source(c)) })
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				p.errorf(v, RuleRequiredField, "`sourceDescriptions` must have at least one entry")
			}
		},
		"workflows": func(v *yaml.Node) {
			p.list(v, "`workflows`", func(c *yaml.Node) { d.Workflows = append(d.Workflows, p.workflow(c)) })
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				p.errorf(v, RuleRequiredField, "`workflows` must have at least one entry")
			}
		},
		"components": func(v *yaml.Node) { d.Components = p.components(v) },
		"$schema":    func(*yaml.Node) {}, // WILD-01: tolerated here; the validator warns
	}, "arazzo", "info", "sourceDescriptions", "workflows")
	if ok {
		for k := range d.Extensions {
			if strings.HasPrefix(k, "x-oai-") || strings.HasPrefix(k, "x-oas-") || strings.HasPrefix(k, "x-arazzo") {
				p.warnf(n, RuleReservedExtKey, "extension %q uses a prefix reserved by the OpenAPI Initiative: rename it", k)
			}
		}
	}
	return d
}

func (p *parser) info(n *yaml.Node) Info {
	in := Info{Pos: posOf(n)}
	p.fields(n, "info", &in.Extensions, map[string]func(*yaml.Node){
		"title":       func(v *yaml.Node) { in.Title = p.str(v, "info.title") },
		"summary":     func(v *yaml.Node) { in.Summary = p.str(v, "info.summary") },
		"description": func(v *yaml.Node) { in.Description = p.str(v, "info.description") },
		"version":     func(v *yaml.Node) { in.Version = p.str(v, "info.version") },
	}, "title", "version")
	return in
}

func (p *parser) source(n *yaml.Node) *SourceDescription {
	s := &SourceDescription{Pos: posOf(n)}
	p.fields(n, "source description", &s.Extensions, map[string]func(*yaml.Node){
		"name": func(v *yaml.Node) { s.Name = p.str(v, "source description name") },
		"url":  func(v *yaml.Node) { s.URL = p.str(v, "source description url") },
		"type": func(v *yaml.Node) {
			s.Type = p.str(v, "source description type")
			switch s.Type {
			case "openapi", "asyncapi", "arazzo", "":
			default:
				p.errorf(v, RuleInvalidValue, "source description type %q is not one of openapi, asyncapi, arazzo", s.Type)
			}
		},
	}, "name", "url")
	return s
}

func (p *parser) workflow(n *yaml.Node) *Workflow {
	w := &Workflow{Pos: posOf(n)}
	p.fields(n, "workflow", &w.Extensions, map[string]func(*yaml.Node){
		"workflowId":  func(v *yaml.Node) { w.WorkflowID = p.str(v, "workflowId") },
		"summary":     func(v *yaml.Node) { w.Summary = p.str(v, "workflow summary") },
		"description": func(v *yaml.Node) { w.Description = p.str(v, "workflow description") },
		"inputs": func(v *yaml.Node) {
			w.InputsPos = posOf(v)
			if v.Kind != yaml.MappingNode {
				p.errorf(v, RuleInvalidType, "workflow inputs must be a JSON Schema object, found %s", kindName(v))
				return
			}
			w.Inputs = p.any(v)
		},
		"dependsOn": func(v *yaml.Node) { w.DependsOn = p.strList(v, "workflow dependsOn") },
		"steps": func(v *yaml.Node) {
			p.list(v, "`steps`", func(c *yaml.Node) { w.Steps = append(w.Steps, p.step(c)) })
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				p.errorf(v, RuleRequiredField, "`steps` must have at least one entry")
			}
		},
		"successActions": func(v *yaml.Node) {
			p.list(v, "workflow successActions", func(c *yaml.Node) { w.SuccessActions = append(w.SuccessActions, p.successAction(c)) })
		},
		"failureActions": func(v *yaml.Node) {
			p.list(v, "workflow failureActions", func(c *yaml.Node) { w.FailureActions = append(w.FailureActions, p.failureAction(c)) })
		},
		"outputs":    func(v *yaml.Node) { w.Outputs = p.outputs(v, "workflow outputs") },
		"parameters": func(v *yaml.Node) { w.Parameters = p.parameters(v, "workflow parameters") },
	}, "workflowId", "steps")
	return w
}

func (p *parser) step(n *yaml.Node) *Step {
	s := &Step{Pos: posOf(n)}
	p.fields(n, "step", &s.Extensions, map[string]func(*yaml.Node){
		"description":   func(v *yaml.Node) { s.Description = p.str(v, "step description") },
		"stepId":        func(v *yaml.Node) { s.StepID = p.str(v, "stepId") },
		"operationId":   func(v *yaml.Node) { s.OperationID = p.str(v, "operationId") },
		"operationPath": func(v *yaml.Node) { s.OperationPath = p.str(v, "operationPath") },
		"workflowId":    func(v *yaml.Node) { s.WorkflowID = p.str(v, "step workflowId") },
		"channelPath":   func(v *yaml.Node) { s.ChannelPath = p.str(v, "channelPath") },
		"parameters":    func(v *yaml.Node) { s.Parameters = p.parameters(v, "step parameters") },
		"requestBody":   func(v *yaml.Node) { s.RequestBody = p.requestBody(v) },
		"successCriteria": func(v *yaml.Node) {
			p.list(v, "successCriteria", func(c *yaml.Node) { s.SuccessCriteria = append(s.SuccessCriteria, p.criterion(c)) })
		},
		"onSuccess": func(v *yaml.Node) {
			p.list(v, "onSuccess", func(c *yaml.Node) { s.OnSuccess = append(s.OnSuccess, p.successAction(c)) })
		},
		"onFailure": func(v *yaml.Node) {
			p.list(v, "onFailure", func(c *yaml.Node) { s.OnFailure = append(s.OnFailure, p.failureAction(c)) })
		},
		"outputs":       func(v *yaml.Node) { s.Outputs = p.outputs(v, "step outputs") },
		"timeout":       func(v *yaml.Node) { s.Timeout = p.nonNegInt(v, "step timeout") },
		"correlationId": func(v *yaml.Node) { s.CorrelationID = p.str(v, "correlationId") },
		"action": func(v *yaml.Node) {
			s.Action = p.str(v, "step action")
			if s.Action != "send" && s.Action != "receive" {
				p.errorf(v, RuleInvalidValue, "step action %q must be send or receive", s.Action)
			}
		},
		"dependsOn": func(v *yaml.Node) { s.DependsOn = p.strList(v, "step dependsOn") },
	}, "stepId")
	return s
}

func (p *parser) nonNegInt(n *yaml.Node, what string) int {
	var i int
	if n.Kind != yaml.ScalarNode || n.Decode(&i) != nil || i < 0 {
		p.errorf(n, RuleInvalidType, "%s must be a non-negative integer, found %q", what, n.Value)
		return 0
	}
	return i
}

func (p *parser) outputs(n *yaml.Node, what string) []*Output {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, RuleInvalidType, "%s must be an object, found %s", what, kindName(n))
		return nil
	}
	out := make([]*Output, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		o := &Output{Name: k.Value, Pos: posOf(v)}
		o.Value = p.value(v)
		out = append(out, o)
	}
	return out
}

// value decodes a value that may be a 1.1 Selector Object.
func (p *parser) value(n *yaml.Node) any {
	if sel := p.selector(n); sel != nil {
		return sel
	}
	return p.any(n)
}

// selector returns a Selector when n is a mapping with exactly the selector fields.
func (p *parser) selector(n *yaml.Node) *Selector {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys[n.Content[i].Value] = deref(n.Content[i+1])
	}
	ctx, hasCtx := keys["context"]
	sel, hasSel := keys["selector"]
	typ, hasType := keys["type"]
	if !hasCtx || !hasSel || !hasType {
		return nil
	}
	for k := range keys {
		if k != "context" && k != "selector" && k != "type" && !strings.HasPrefix(k, "x-") {
			return nil
		}
	}
	s := &Selector{Pos: posOf(n), Context: p.str(ctx, "selector context"), Selector: p.str(sel, "selector")}
	s.Type, s.Version = p.expressionType(typ, "selector type")
	return s
}

// expressionType reads a `type` that is a string or an Expression Type Object.
func (p *parser) expressionType(n *yaml.Node, what string) (typ, version string) {
	if n.Kind == yaml.MappingNode {
		var ext Extensions
		p.fields(n, what, &ext, map[string]func(*yaml.Node){
			"type":    func(v *yaml.Node) { typ = p.str(v, what+" type") },
			"version": func(v *yaml.Node) { version = p.str(v, what+" version") },
		}, "type", "version")
		return typ, version
	}
	return p.str(n, what), ""
}

func (p *parser) parameters(n *yaml.Node, what string) []*Parameter {
	var out []*Parameter
	p.list(n, what, func(c *yaml.Node) { out = append(out, p.parameter(c)) })
	return out
}

func (p *parser) reusable(n *yaml.Node) *Reusable {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	hasRef := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "reference" {
			hasRef = true
		}
	}
	if !hasRef {
		return nil
	}
	r := &Reusable{Pos: posOf(n)}
	p.fields(n, "reusable object", nil, map[string]func(*yaml.Node){
		"reference": func(v *yaml.Node) { r.Reference = p.str(v, "reference") },
		"value":     func(v *yaml.Node) { r.Value, r.HasValue, r.ValuePos = p.value(v), true, posOf(v) },
	}, "reference")
	return r
}

func (p *parser) parameter(n *yaml.Node) *Parameter {
	prm := &Parameter{Pos: posOf(n)}
	if r := p.reusable(n); r != nil {
		prm.Ref = r
		return prm
	}
	p.fields(n, "parameter", &prm.Extensions, map[string]func(*yaml.Node){
		"name": func(v *yaml.Node) { prm.Name = p.str(v, "parameter name") },
		"in": func(v *yaml.Node) {
			prm.In = p.str(v, "parameter in")
			switch prm.In {
			case "path", "query", "header", "cookie", "querystring":
			default:
				p.errorf(v, RuleInvalidValue, "parameter in %q must be one of path, query, header, cookie (1.1: querystring)", prm.In)
			}
		},
		"value": func(v *yaml.Node) { prm.Value, prm.ValuePos = p.value(v), posOf(v) },
	}, "name", "value")
	return prm
}

func (p *parser) successAction(n *yaml.Node) *SuccessAction {
	a := &SuccessAction{Pos: posOf(n)}
	if r := p.reusable(n); r != nil {
		a.Ref = r
		return a
	}
	p.fields(n, "success action", &a.Extensions, map[string]func(*yaml.Node){
		"name": func(v *yaml.Node) { a.Name = p.str(v, "success action name") },
		"type": func(v *yaml.Node) {
			a.Type = p.str(v, "success action type")
			if a.Type != "end" && a.Type != "goto" {
				p.errorf(v, RuleInvalidValue, "success action type %q must be end or goto", a.Type)
			}
		},
		"workflowId": func(v *yaml.Node) { a.WorkflowID = p.str(v, "success action workflowId") },
		"stepId":     func(v *yaml.Node) { a.StepID = p.str(v, "success action stepId") },
		"parameters": func(v *yaml.Node) { a.Parameters = p.parameters(v, "success action parameters") },
		"criteria": func(v *yaml.Node) {
			p.list(v, "success action criteria", func(c *yaml.Node) { a.Criteria = append(a.Criteria, p.criterion(c)) })
		},
	}, "name", "type")
	return a
}

func (p *parser) failureAction(n *yaml.Node) *FailureAction {
	a := &FailureAction{Pos: posOf(n)}
	if r := p.reusable(n); r != nil {
		a.Ref = r
		return a
	}
	p.fields(n, "failure action", &a.Extensions, map[string]func(*yaml.Node){
		"name": func(v *yaml.Node) { a.Name = p.str(v, "failure action name") },
		"type": func(v *yaml.Node) {
			a.Type = p.str(v, "failure action type")
			if a.Type != "end" && a.Type != "goto" && a.Type != "retry" {
				p.errorf(v, RuleInvalidValue, "failure action type %q must be end, goto or retry", a.Type)
			}
		},
		"workflowId": func(v *yaml.Node) { a.WorkflowID = p.str(v, "failure action workflowId") },
		"stepId":     func(v *yaml.Node) { a.StepID = p.str(v, "failure action stepId") },
		"parameters": func(v *yaml.Node) { a.Parameters = p.parameters(v, "failure action parameters") },
		"retryAfter": func(v *yaml.Node) {
			var f float64
			if v.Kind != yaml.ScalarNode || v.Decode(&f) != nil || f < 0 {
				p.errorf(v, RuleInvalidType, "retryAfter must be a non-negative number of seconds, found %q", v.Value)
				return
			}
			a.RetryAfter, a.HasRetryAfter = f, true
		},
		"retryLimit": func(v *yaml.Node) { a.RetryLimit, a.HasRetryLimit = p.nonNegInt(v, "retryLimit"), true },
		"criteria": func(v *yaml.Node) {
			p.list(v, "failure action criteria", func(c *yaml.Node) { a.Criteria = append(a.Criteria, p.criterion(c)) })
		},
	}, "name", "type")
	return a
}

func (p *parser) criterion(n *yaml.Node) *Criterion {
	c := &Criterion{Pos: posOf(n)}
	p.fields(n, "criterion", &c.Extensions, map[string]func(*yaml.Node){
		"context": func(v *yaml.Node) { c.Context = p.str(v, "criterion context") },
		"condition": func(v *yaml.Node) {
			c.ConditionPos = posOf(v)
			if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				c.Condition = v.Value // a bare `true` is still a condition
				return
			}
			p.errorf(v, RuleInvalidType, "criterion condition must be a string, found %s", kindName(v))
		},
		"type": func(v *yaml.Node) {
			c.Type, c.Version = p.expressionType(v, "criterion type")
			switch c.Type {
			case "simple", "regex", "jsonpath", "xpath", "":
			default:
				p.errorf(v, RuleInvalidValue, "criterion type %q must be simple, regex, jsonpath or xpath", c.Type)
			}
		},
	}, "condition")
	return c
}

func (p *parser) requestBody(n *yaml.Node) *RequestBody {
	b := &RequestBody{Pos: posOf(n)}
	p.fields(n, "requestBody", &b.Extensions, map[string]func(*yaml.Node){
		"contentType": func(v *yaml.Node) { b.ContentType = p.str(v, "requestBody contentType") },
		"payload":     func(v *yaml.Node) { b.Payload, b.HasPayload, b.PayloadPos = p.value(v), true, posOf(v) },
		"replacements": func(v *yaml.Node) {
			p.list(v, "requestBody replacements", func(c *yaml.Node) { b.Replacements = append(b.Replacements, p.replacement(c)) })
		},
	})
	return b
}

func (p *parser) replacement(n *yaml.Node) *PayloadReplacement {
	r := &PayloadReplacement{Pos: posOf(n)}
	p.fields(n, "payload replacement", &r.Extensions, map[string]func(*yaml.Node){
		"target":             func(v *yaml.Node) { r.Target = p.str(v, "replacement target") },
		"targetSelectorType": func(v *yaml.Node) { r.TargetSelectorType, r.Version = p.expressionType(v, "targetSelectorType") },
		"value":              func(v *yaml.Node) { r.Value, r.ValuePos = p.value(v), posOf(v) },
	}, "target", "value")
	return r
}

func (p *parser) components(n *yaml.Node) *Components {
	c := &Components{Pos: posOf(n)}
	p.fields(n, "components", &c.Extensions, map[string]func(*yaml.Node){
		"inputs": func(v *yaml.Node) {
			if v.Kind != yaml.MappingNode {
				p.errorf(v, RuleInvalidType, "components.inputs must be an object, found %s", kindName(v))
				return
			}
			m, _ := p.any(v).(map[string]any)
			c.Inputs = m
		},
		"parameters": func(v *yaml.Node) {
			c.Parameters = map[string]*Parameter{}
			p.eachKey(v, "components.parameters", func(k string, e *yaml.Node) { c.Parameters[k] = p.parameter(e) })
		},
		"successActions": func(v *yaml.Node) {
			c.SuccessActions = map[string]*SuccessAction{}
			p.eachKey(v, "components.successActions", func(k string, e *yaml.Node) { c.SuccessActions[k] = p.successAction(e) })
		},
		"failureActions": func(v *yaml.Node) {
			c.FailureActions = map[string]*FailureAction{}
			p.eachKey(v, "components.failureActions", func(k string, e *yaml.Node) { c.FailureActions[k] = p.failureAction(e) })
		},
	})
	return c
}

func (p *parser) eachKey(n *yaml.Node, what string, each func(string, *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, RuleInvalidType, "%s must be an object, found %s", what, kindName(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		each(n.Content[i].Value, deref(n.Content[i+1]))
	}
}

// IsArazzo reports whether data looks like an Arazzo document: a mapping whose root has an
// `arazzo` key. It is cheap enough to use when walking directories.
func IsArazzo(data []byte) bool {
	// Most files of a folder (OpenAPI descriptions of megabytes) never name the key: skip the
	// parse for them.
	if !bytes.Contains(data, []byte("arazzo")) {
		return false
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || len(root.Content) == 0 {
		// A broken document still counts when a top-level line names the key, so that its
		// syntax error is reported rather than the file skipped.
		return topLevelArazzoKey.Match(data)
	}
	m := deref(root.Content[0])
	if m.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "arazzo" {
			return true
		}
	}
	return false
}

// DecodeValue reads a YAML or JSON value (an inputs file, say) into JSON-shaped Go values:
// map[string]any, []any, string, float64/int, bool and nil. Errors carry the line. Like Parse,
// it refuses nesting deeper than MaxNestingDepth and aliases beyond MaxAliasNodes.
func DecodeValue(name string, data []byte) (any, error) {
	if v, ok := decodeJSON(data); ok {
		return v, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		d := syntaxDiagnostic(name, err)
		return nil, d
	}
	if d := checkLimits(name, &root); d != nil {
		return nil, *d
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	var v any
	if err := root.Content[0].Decode(&v); err != nil {
		return nil, syntaxDiagnostic(name, err)
	}
	return normalize(v), nil
}

// DecodeValueFile reads the file at path as DecodeValue does. A JSON file is decoded as it is
// read, so that its text is never held whole beside the value (a large inputs file, issue 8);
// other text is read again whole for DecodeValue. Errors reading the file are the *os.PathError
// of os.Open or os.ReadFile; errors in its content are Diagnostics, as DecodeValue's.
func DecodeValueFile(path string) (any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	v, ok := decodeJSONReader(f)
	_ = f.Close()
	if ok {
		return v, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return DecodeValue(path, data)
}
