package arazzo

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// The official schemas, embedded so validation never reaches the network (see schemas/README.md).
//
//go:embed schemas/v1.0.json schemas/v1.1.json
var schemaFiles embed.FS

var (
	schemaOnce sync.Once
	schemas    map[string]*jsonschema.Schema // by minor version
	schemaErr  error
)

// officialSchema returns the compiled JSON Schema for "1.0" or "1.1", or nil for another version.
func officialSchema(minor string) (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		schemas = map[string]*jsonschema.Schema{}
		c := jsonschema.NewCompiler()
		c.UseRegexpEngine(schemaRegexp)
		for _, v := range []string{"1.0", "1.1"} {
			data, err := schemaFiles.ReadFile("schemas/v" + v + ".json")
			if err != nil {
				schemaErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				schemaErr = fmt.Errorf("embedded schema %s: %w", v, err)
				return
			}
			loc := "arazzo-schema-v" + v + ".json"
			if err := c.AddResource(loc, doc); err != nil {
				schemaErr = fmt.Errorf("embedded schema %s: %w", v, err)
				return
			}
			s, err := c.Compile(loc)
			if err != nil {
				schemaErr = fmt.Errorf("embedded schema %s: %w", v, err)
				return
			}
			schemas[v] = s
		}
	})
	return schemas[minor], schemaErr
}

// leadingLookahead is a pattern that starts with a negative lookahead, `^(?!P)REST`, the one
// form of lookaround the 1.1 schema uses (for step dependsOn) and RE2 lacks.
var leadingLookahead = regexp.MustCompile(`^\^\(\?!((?:[^()\\]|\\.)*)\)(.*)$`)

// schemaRegexp compiles the schemas' patterns with RE2, rewriting a leading negative lookahead
// as "does not start with P, and matches ^REST".
func schemaRegexp(pattern string) (jsonschema.Regexp, error) {
	if m := leadingLookahead.FindStringSubmatch(pattern); m != nil {
		not, err := regexp.Compile("^(?:" + m[1] + ")")
		if err != nil {
			return nil, err
		}
		rest, err := regexp.Compile("^" + m[2])
		if err != nil {
			return nil, err
		}
		return lookahead{src: pattern, not: not, rest: rest}, nil
	}
	return regexp.Compile(pattern)
}

type lookahead struct {
	src       string
	not, rest *regexp.Regexp
}

func (l lookahead) String() string            { return l.src }
func (l lookahead) MatchString(s string) bool { return !l.not.MatchString(s) && l.rest.MatchString(s) }

// checkSchema validates the document node against the official schema of its `arazzo` version
// (GEN-02) and maps each error back to the node it is about. A version that is neither 1.0.x nor
// 1.1.x is the parser's finding, not this one's.
func checkSchema(file string, root *yaml.Node) Diagnostics {
	root = deref(root)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	v := mappingValue(root, "arazzo")
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil
	}
	minor := (&Document{Arazzo: v.Value}).MinorVersion()
	sch, err := officialSchema(minor)
	if err != nil {
		return Diagnostics{{File: file, Line: 1, Col: 1, Severity: SeverityError, Rule: RuleSchema,
			Message: "cannot load the official schema: " + err.Error(), Err: err}}
	}
	if sch == nil {
		return nil
	}
	err = sch.Validate(nodeValue(root, 0))
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var diags Diagnostics
	seen := map[string]bool{}
	for _, leaf := range dropCascade(schemaLeaves(ve)) {
		d := schemaDiagnostic(file, root, leaf)
		key := fmt.Sprintf("%d:%d:%s", d.Line, d.Col, d.Message)
		if seen[key] {
			continue
		}
		seen[key] = true
		diags = append(diags, d)
	}
	return diags
}

// schemaLeaves flattens a validation error tree into the errors worth reporting. Where a oneOf
// or anyOf matched no branch, only the branch that got furthest into the document is kept: the
// others fail for reasons (a missing `action`, say) that would only distract.
func schemaLeaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	switch k := e.ErrorKind.(type) {
	case *kind.OneOf:
		if len(k.Subschemas) > 0 || len(e.Causes) == 0 {
			return []*jsonschema.ValidationError{e}
		}
		return bestBranch(e.Causes)
	case *kind.AnyOf:
		if len(e.Causes) == 0 {
			return []*jsonschema.ValidationError{e}
		}
		return bestBranch(e.Causes)
	}
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, schemaLeaves(c)...)
	}
	return out
}

// dropCascade removes unevaluatedProperties findings on an object that has another finding
// inside it: a failing subschema leaves its properties unevaluated, so they would be reported
// as unknown although they are not.
func dropCascade(leaves []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	isUnknown := func(l *jsonschema.ValidationError) bool {
		_, ok := l.ErrorKind.(*kind.FalseSchema)
		return ok && len(l.InstanceLocation) > 0
	}
	var out []*jsonschema.ValidationError
	for _, l := range leaves {
		if isUnknown(l) {
			parent := l.InstanceLocation[:len(l.InstanceLocation)-1]
			cascade := false
			for _, o := range leaves {
				if !isUnknown(o) && len(o.InstanceLocation) >= len(parent) && slices.Equal(o.InstanceLocation[:len(parent)], parent) {
					cascade = true
					break
				}
			}
			if cascade {
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

func bestBranch(branches []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	// The branch the author meant is the one with the fewest unknown fields (each branch
	// forbids the others' fields), then the one that got deepest, then the one with fewest errors.
	var best []*jsonschema.ValidationError
	bestUnknown, bestDepth := -1, -1
	for _, b := range branches {
		leaves := schemaLeaves(b)
		depth, unknown := 0, 0
		for _, l := range leaves {
			depth = max(depth, len(l.InstanceLocation))
			switch l.ErrorKind.(type) {
			case *kind.FalseSchema, *kind.AdditionalProperties:
				unknown++
			}
		}
		better := bestUnknown < 0 || unknown < bestUnknown ||
			(unknown == bestUnknown && (depth > bestDepth || (depth == bestDepth && len(leaves) < len(best))))
		if better {
			best, bestUnknown, bestDepth = leaves, unknown, depth
		}
	}
	return best
}

var printer = message.NewPrinter(language.English)

func schemaDiagnostic(file string, root *yaml.Node, e *jsonschema.ValidationError) Diagnostic {
	loc := e.InstanceLocation
	node, key := nodeAt(root, loc)
	where := instancePath(loc)
	var msg string
	switch k := e.ErrorKind.(type) {
	case *kind.FalseSchema:
		// unevaluatedProperties: false reports the unknown property's own location.
		if key != nil {
			node = key
			msg = fmt.Sprintf("%s: unknown field %q: remove it, or prefix it with x- to keep it as an extension", instancePath(loc[:len(loc)-1]), key.Value)
		} else {
			msg = where + ": not allowed here: remove it"
		}
	case *kind.AdditionalProperties:
		if n := len(k.Properties); n > 0 {
			if kn := mappingKey(node, k.Properties[0]); kn != nil {
				node = kn
			}
		}
		msg = fmt.Sprintf("%s: unknown field %s: remove it, or prefix it with x-", where, quoteAll(k.Properties))
	case *kind.Required:
		if isStepLocation(loc) && slices.ContainsFunc(k.Missing, isStepTarget) {
			msg = where + ": a step needs exactly one of operationId, operationPath, workflowId (1.1: channelPath with action): add the one it calls"
		} else {
			msg = fmt.Sprintf("%s: missing required field %s: add it", where, quoteAll(k.Missing))
		}
	case *kind.Type:
		msg = fmt.Sprintf("%s: must be %s, found %s", where, strings.Join(k.Want, " or "), k.Got)
	case *kind.OneOf:
		if len(k.Subschemas) > 1 && isStepLocation(loc) {
			msg = where + ": a step has exactly one of operationId, operationPath, workflowId (1.1: channelPath): keep one"
		} else {
			msg = where + ": " + e.ErrorKind.LocalizedString(printer)
		}
	case *kind.MinItems:
		msg = fmt.Sprintf("%s: must have at least %d entr%s", where, k.Want, plural(k.Want, "y", "ies"))
	case *kind.UniqueItems:
		msg = fmt.Sprintf("%s: entries %d and %d are the same: remove one", where, k.Duplicates[0], k.Duplicates[1])
	default:
		msg = where + ": " + e.ErrorKind.LocalizedString(printer)
	}
	line, col := 1, 1
	if node != nil && node.Line > 0 {
		line, col = node.Line, node.Column
	}
	return Diagnostic{File: file, Line: line, Col: col, Severity: SeverityError, Rule: RuleSchema, Message: "schema: " + msg}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func isStepTarget(field string) bool {
	switch field {
	case "operationId", "operationPath", "workflowId", "channelPath":
		return true
	}
	return false
}

func isStepLocation(loc []string) bool {
	n := len(loc)
	return n >= 2 && loc[n-2] == "steps"
}

// instancePath renders an instance location as `workflows[0].steps[1].parameters`.
func instancePath(loc []string) string {
	if len(loc) == 0 {
		return "document"
	}
	var b strings.Builder
	for i, tok := range loc {
		if _, err := strconv.Atoi(tok); err == nil && i > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// nodeAt follows an instance location from root. It returns the deepest node found and, when the
// last token names a mapping key, that key's node.
func nodeAt(root *yaml.Node, loc []string) (node, key *yaml.Node) {
	node = root
	for _, tok := range loc {
		n := deref(node)
		switch n.Kind {
		case yaml.MappingNode:
			k := mappingKey(n, tok)
			if k == nil {
				return n, nil
			}
			key, node = k, deref(mappingValue(n, tok))
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return n, nil
			}
			key, node = nil, deref(n.Content[i])
		default:
			return n, nil
		}
	}
	return node, key
}

func mappingKey(n *yaml.Node, name string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return n.Content[i]
		}
	}
	return nil
}

func mappingValue(n *yaml.Node, name string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// nodeValue converts a YAML node to the JSON-shaped value the schema validator expects. Scalars
// follow their resolved tag; timestamps and other YAML-only types stay strings, as they would in
// JSON. Depth is bounded so that alias bombs cannot recurse without end.
func nodeValue(n *yaml.Node, depth int) any {
	n = deref(n)
	if n == nil || depth > 256 {
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return nodeValue(n.Content[0], depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = nodeValue(n.Content[i+1], depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = nodeValue(c, depth+1)
		}
		return s
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if n.Decode(&b) == nil {
				return b
			}
		case "!!int", "!!float":
			var f float64
			if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				if n.Tag == "!!int" {
					var i int64
					if n.Decode(&i) == nil {
						return i
					}
				}
				return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
			}
		}
		return n.Value
	}
	return nil
}

// nodeFor returns the node at a path of mapping keys and sequence indexes, or nil.
func nodeFor(root *yaml.Node, path ...any) *yaml.Node {
	n := deref(root)
	for _, p := range path {
		if n == nil {
			return nil
		}
		switch t := p.(type) {
		case string:
			n = mappingValue(n, t)
		case int:
			if n.Kind != yaml.SequenceNode || t < 0 || t >= len(n.Content) {
				return nil
			}
			n = deref(n.Content[t])
		}
	}
	return n
}
