package openapi

import (
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v4"
)

// repair works around two ways kin-openapi refuses a whole document that is
// otherwise usable, both common in real descriptions:
//
//   - a local $ref ("#/components/schemas/x") that points at nothing, as in
//     descriptions split out of a larger one: an empty object is added at
//     the missing target;
//   - a Schema Object whose examples is a map of Example Objects (the Media
//     Type form) rather than the JSON Schema list kin-openapi decodes it as:
//     the key is renamed x-examples.
//
// Each change is reported as a warning. When nothing needs changing, or data
// does not parse (kin-openapi then reports the parse error with its
// position), data is returned unchanged.
func repair(data []byte) ([]byte, []string) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return data, nil
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return data, nil
	}
	doc := root.Content[0]

	var refs []string
	seen := map[string]bool{}
	var warnings []string
	walk(doc, "", func(n *yaml.Node, ptr string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case k.Value == "$ref" && v.Kind == yaml.ScalarNode && strings.HasPrefix(v.Value, "#/"):
				if !seen[v.Value] {
					seen[v.Value] = true
					refs = append(refs, v.Value)
				}
			case k.Value == "examples" && isSchemaNode(n) && isExampleMap(v):
				k.Value = "x-examples"
				warnings = append(warnings, fmt.Sprintf("%s/examples: a schema's examples must be a list, not a map of Example Objects: ignored", ptr))
			}
		}
	})

	for _, ref := range refs {
		tokens, ok := pointerTokens(ref)
		if !ok || lookupNode(doc, tokens) != nil {
			continue
		}
		if injectEmpty(doc, tokens) {
			warnings = append(warnings, fmt.Sprintf("unresolved $ref %q: treated as an empty object", ref))
		}
	}
	if len(warnings) == 0 {
		return data, nil
	}
	out, err := yaml.Marshal(&root)
	if err != nil {
		return data, nil
	}
	return out, warnings
}

// walk calls fn with every mapping node under n and its JSON Pointer.
func walk(n *yaml.Node, ptr string, fn func(*yaml.Node, string)) {
	switch n.Kind {
	case yaml.MappingNode:
		fn(n, ptr)
		for i := 0; i+1 < len(n.Content); i += 2 {
			walk(n.Content[i+1], ptr+"/"+escapeToken(n.Content[i].Value), fn)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walk(c, fmt.Sprintf("%s/%d", ptr, i), fn)
		}
	}
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// isSchemaNode reports whether a mapping looks like a Schema Object rather
// than a Parameter, Header or Media Type Object (which may have a map of
// examples).
func isSchemaNode(n *yaml.Node) bool {
	schemaKey := false
	for i := 0; i < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "schema", "content", "in":
			return false
		case "type", "properties", "allOf", "oneOf", "anyOf", "items", "format", "enum":
			schemaKey = true
		}
	}
	return schemaKey
}

// isExampleMap reports whether n is a non-empty map of Example Objects.
func isExampleMap(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return false
	}
	for i := 1; i < len(n.Content); i += 2 {
		v := n.Content[i]
		if v.Kind != yaml.MappingNode {
			return false
		}
		if mappingValue(v, "value") == nil && mappingValue(v, "externalValue") == nil && mappingValue(v, "$ref") == nil {
			return false
		}
	}
	return true
}

func pointerTokens(ref string) ([]string, bool) {
	frag := strings.TrimPrefix(ref, "#")
	if strings.IndexByte(frag, '%') >= 0 {
		unescaped, err := url.PathUnescape(frag)
		if err != nil {
			return nil, false
		}
		frag = unescaped
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, false
	}
	tokens := strings.Split(frag[1:], "/")
	for i, t := range tokens {
		tokens[i] = unescapeToken(t)
	}
	return tokens, true
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func lookupNode(n *yaml.Node, tokens []string) *yaml.Node {
	for _, t := range tokens {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		switch n.Kind {
		case yaml.MappingNode:
			n = mappingValue(n, t)
		case yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscanf(t, "%d", &i); err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
		if n == nil {
			return nil
		}
	}
	return n
}

// injectEmpty creates the mappings along tokens that are missing, ending
// with an empty one. It gives up (false) where a missing key would have to
// go into something other than a mapping.
func injectEmpty(n *yaml.Node, tokens []string) bool {
	for _, t := range tokens {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Kind != yaml.MappingNode {
			next := lookupNode(n, []string{t})
			if next == nil {
				return false
			}
			n = next
			continue
		}
		next := mappingValue(n, t)
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}, next)
		}
		n = next
	}
	return true
}
