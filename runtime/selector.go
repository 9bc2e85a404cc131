package runtime

// The query languages of criteria (Arazzo §Criterion Object), selectors (1.1 §Selector Object)
// and payload replacements (§Payload Replacement Object):
//
//   - JSONPath is RFC 9535, through github.com/theory/jsonpath. RFC 9535 already accepts the
//     older filter form `$[?(@.x)]` (a parenthesised logical expression), so queries written
//     for Goessner-style implementations compile unchanged as long as they use no script
//     expressions such as `$..book[(@.length-1)]`, which are rejected with a message.
//     The version draft-goessner-dispatch-jsonpath-00 is accepted and evaluated with the same
//     engine: where the draft and the RFC disagree the RFC wins.
//   - XPath is github.com/antchfx/xpath over github.com/antchfx/xmlquery: XPath 1.0 plus some
//     2.0 functions. Every version the spec names (xpath-10 … xpath-31, default 3.1) is accepted;
//     an expression that needs a 2.0+ feature the library lacks fails to compile, and the
//     criterion then fails with the library's message (CRIT-09). The Effective Boolean Value is
//     the same in every version for the results this library returns: a boolean as is, a number
//     when not zero or NaN, a string when not empty, a node-set when not empty.
//   - JSON Pointer is RFC 6901, through expr.Pointer.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
	"github.com/theory/jsonpath"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
)

// Query language names, as `type` fields and Expression Type Objects spell them.
const (
	langJSONPath    = "jsonpath"
	langXPath       = "xpath"
	langJSONPointer = "jsonpointer"
)

// errNoContext is wrapped when a regex, jsonpath or xpath criterion's context is null or
// absent: such a criterion fails (CRIT-04, CRIT-05, CRIT-06).
var errNoContext = errors.New("context has no value")

// checkVersion accepts the versions the 1.0.1 and 1.1 Expression Type Object tables list.
func checkVersion(lang, version string) error {
	if version == "" {
		return nil
	}
	switch lang {
	case langJSONPath:
		if version == "rfc9535" || version == "draft-goessner-dispatch-jsonpath-00" {
			return nil
		}
		return fmt.Errorf("jsonpath version %q is not supported: use rfc9535 or draft-goessner-dispatch-jsonpath-00", version)
	case langXPath:
		switch version {
		case "xpath-10", "xpath-20", "xpath-30", "xpath-31":
			return nil
		}
		return fmt.Errorf("xpath version %q is not supported: use xpath-10, xpath-20, xpath-30 or xpath-31", version)
	case langJSONPointer:
		if version == "rfc6901" {
			return nil
		}
		return fmt.Errorf("jsonpointer version %q is not supported: use rfc6901", version)
	}
	return nil
}

func compileJSONPath(q string) (*jsonpath.Path, error) {
	p, err := jsonpath.Parse(strings.TrimSpace(q))
	if err != nil {
		return nil, fmt.Errorf("invalid RFC 9535 JSONPath %q: %w", q, err)
	}
	return p, nil
}

// jsonValue turns values the runtime holds (json.Number, []byte, YAML-shaped maps) into the
// JSON shapes the JSONPath engine walks; a string that holds JSON text is parsed.
func jsonTree(v any) any {
	switch t := v.(type) {
	case string:
		var out any
		if err := json.Unmarshal([]byte(t), &out); err == nil {
			if _, isStr := out.(string); !isStr {
				return out
			}
		}
	case []byte:
		return jsonTree(string(t))
	}
	return v
}

// matchJSONPath runs a criterion's JSONPath query and returns the selected nodes.
//
// AMB-10: under RFC 9535 a filter at the root such as `$[?count(@.pets) > 0]` tests the root's
// children, so on an object body it never looks at the object itself. Documents in the wild
// (including the official bnpl example) expect the object to be tested. When such a root filter
// selects nothing on an object, the query is run once more on a one-element array holding the
// object; a query that selects something under the RFC reading keeps that result.
func matchJSONPath(p *jsonpath.Path, src string, v any) []any {
	nodes := []any(p.Select(v))
	if len(nodes) > 0 {
		return nodes
	}
	if _, isObj := v.(map[string]any); isObj && strings.HasPrefix(strings.ReplaceAll(src, " ", ""), "$[?") {
		return []any(p.Select([]any{v}))
	}
	return nodes
}

// parseXML reads a context value as an XML document.
func parseXML(v any) (*xmlquery.Node, error) {
	var text string
	switch t := v.(type) {
	case string:
		text = t
	case []byte:
		text = string(t)
	default:
		return nil, fmt.Errorf("xpath needs an XML document as its context, found %s", kindOf(v))
	}
	doc, err := xmlquery.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("context is not well-formed XML: %w", err)
	}
	return doc, nil
}

func compileXPath(q string) (*xpath.Expr, error) {
	e, err := xpath.Compile(strings.TrimSpace(q))
	if err != nil {
		return nil, fmt.Errorf("invalid or unsupported XPath %q (XPath 1.0 with some 2.0 functions is supported): %w", q, err)
	}
	return e, nil
}

// evalXPath evaluates e on doc: a bool, a float64, a string, or the string values of the
// selected nodes.
func evalXPath(e *xpath.Expr, doc *xmlquery.Node) (res any, err error) {
	defer func() {
		if r := recover(); r != nil { // the library panics on some type errors
			err = fmt.Errorf("xpath evaluation failed: %v", r)
		}
	}()
	switch t := e.Evaluate(xmlquery.CreateXPathNavigator(doc)).(type) {
	case *xpath.NodeIterator:
		var vals []string
		for t.MoveNext() {
			vals = append(vals, t.Current().Value())
		}
		return vals, nil
	case bool, float64, string:
		return t, nil
	default:
		return nil, fmt.Errorf("xpath gave an unexpected %T", t)
	}
}

// effectiveBoolean is the XPath Effective Boolean Value of an evalXPath result (CRIT-06).
func effectiveBoolean(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case float64:
		return t != 0 && !math.IsNaN(t)
	case string:
		return t != ""
	case []string:
		return len(t) > 0
	}
	return false
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "a JSON object"
	case []any:
		return "a JSON array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("a %T", v)
}

// substituteEmbedded replaces `{$…}` runtime expressions in a regex, jsonpath or xpath
// condition with their text (CRIT-08, RTE-16) before the query is compiled.
func substituteEmbedded(cond string, c *expr.Context) (string, error) {
	if !strings.Contains(cond, "{$") && !strings.Contains(cond, "{ $") {
		return cond, nil
	}
	tpl, err := expr.ParseTemplate(cond)
	if err != nil {
		return "", fmt.Errorf("embedded expression: %w", err)
	}
	if tpl.IsBare() || tpl.IsLiteral() {
		return cond, nil
	}
	v, err := tpl.Eval(c)
	if err != nil {
		return "", fmt.Errorf("embedded expression: %w", err)
	}
	s, _ := v.(string)
	return s, nil
}

// evalSelector applies a 1.1 Selector Object (SEL-01 to SEL-05). What it yields follows
// AMB-11: JSONPath gives the value of a single node, an array for several and null for none;
// XPath gives a node's string value, an array of strings for several, null for none, or the
// atomic result; JSON Pointer gives the value, or null when absent.
func evalSelector(s *arazzo.Selector, c *expr.Context) (any, error) {
	if s.Context == "" {
		return nil, fmt.Errorf("selector %q has no context: set context to a runtime expression such as $response.body", s.Selector)
	}
	e, err := expr.Parse(s.Context)
	if err != nil {
		return nil, fmt.Errorf("selector context %q: %w", s.Context, err)
	}
	v, err := e.Eval(c)
	if err != nil {
		return nil, fmt.Errorf("selector context %q: %w", s.Context, err)
	}
	if err := checkVersion(s.Type, s.Version); err != nil {
		return nil, err
	}
	switch s.Type {
	case langJSONPointer:
		p, err := expr.ParsePointer(strings.TrimPrefix(s.Selector, "#"))
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", s.Selector, err)
		}
		got, _ := p.Get(jsonTree(v))
		return got, nil
	case langJSONPath:
		p, err := compileJSONPath(s.Selector)
		if err != nil {
			return nil, err
		}
		nodes := []any(p.Select(jsonTree(v)))
		switch len(nodes) {
		case 0:
			return nil, nil
		case 1:
			return nodes[0], nil
		}
		return nodes, nil
	case langXPath:
		doc, err := parseXML(v)
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", s.Selector, err)
		}
		xe, err := compileXPath(s.Selector)
		if err != nil {
			return nil, err
		}
		r, err := evalXPath(xe, doc)
		if err != nil {
			return nil, err
		}
		if vals, ok := r.([]string); ok {
			switch len(vals) {
			case 0:
				return nil, nil
			case 1:
				return vals[0], nil
			}
			out := make([]any, len(vals))
			for i, s := range vals {
				out[i] = s
			}
			return out, nil
		}
		return r, nil
	}
	return nil, fmt.Errorf("selector type %q is not one of jsonpath, xpath, jsonpointer", s.Type)
}

// asSelector reads a map decoded from a document as a Selector Object when it has exactly the
// selector fields, so selectors nested anywhere in a payload are applied (SEL-04).
func asSelector(m map[string]any) (*arazzo.Selector, bool) {
	ctx, ok1 := m["context"].(string)
	sel, ok2 := m["selector"].(string)
	if !ok1 || !ok2 {
		return nil, false
	}
	s := &arazzo.Selector{Context: ctx, Selector: sel}
	switch t := m["type"].(type) {
	case string:
		s.Type = t
	case map[string]any:
		s.Type, _ = t["type"].(string)
		s.Version, _ = t["version"].(string)
	default:
		return nil, false
	}
	for k := range m {
		if k != "context" && k != "selector" && k != "type" && !strings.HasPrefix(k, "x-") {
			return nil, false
		}
	}
	switch s.Type {
	case langJSONPath, langXPath, langJSONPointer:
		return s, true
	}
	return nil, false
}

// replaceJSONPath sets every node a JSONPath target selects; a target that selects nothing is
// an error (AMB-08).
func replaceJSONPath(payload any, target string, v any) (any, error) {
	p, err := compileJSONPath(target)
	if err != nil {
		return nil, err
	}
	located := p.SelectLocated(payload)
	if len(located) == 0 {
		return nil, fmt.Errorf("jsonpath target %q selects nothing in the payload", target)
	}
	for _, n := range located {
		ptr, err := expr.ParsePointer(n.Path.Pointer())
		if err != nil {
			return nil, err
		}
		if payload, err = ptr.Set(payload, v); err != nil {
			return nil, err
		}
	}
	return payload, nil
}

// replaceXPath sets the text of every element (or the value of every attribute) an XPath
// target selects in an XML payload, and returns the new XML text.
func replaceXPath(payload any, target string, v any) (string, error) {
	doc, err := parseXML(payload)
	if err != nil {
		return "", err
	}
	xe, err := compileXPath(target)
	if err != nil {
		return "", err
	}
	nodes := xmlquery.QuerySelectorAll(doc, xe)
	if len(nodes) == 0 {
		return "", fmt.Errorf("xpath target %q selects nothing in the payload", target)
	}
	text := stringify(v)
	for _, n := range nodes {
		switch n.Type {
		case xmlquery.AttributeNode:
			if n.Parent != nil {
				n.Parent.SetAttr(attrName(n), text)
			}
		case xmlquery.TextNode, xmlquery.CharDataNode:
			n.Data = text
		default:
			for c := n.FirstChild; c != nil; {
				next := c.NextSibling
				xmlquery.RemoveFromTree(c)
				c = next
			}
			xmlquery.AddChild(n, &xmlquery.Node{Type: xmlquery.TextNode, Data: text})
		}
	}
	out := doc.OutputXML(false)
	if text, _ := payload.(string); !strings.HasPrefix(strings.TrimSpace(text), "<?xml") {
		// xmlquery writes a declaration the payload did not have: keep the payload's form.
		if strings.HasPrefix(out, "<?xml") {
			if end := strings.Index(out, "?>"); end >= 0 {
				out = out[end+2:]
			}
		}
	}
	return out, nil
}

func attrName(n *xmlquery.Node) string {
	if n.Prefix != "" {
		return n.Prefix + ":" + n.Data
	}
	return n.Data
}

// isXMLMediaType reports whether a media type is XML (application/xml, text/xml, +xml).
func isXMLMediaType(mt string) bool {
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}
