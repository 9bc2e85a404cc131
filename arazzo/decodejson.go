package arazzo

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// maxJSONDepth bounds the nesting decodeJSON follows before leaving the document to yaml.v3,
// whose path refuses what nests deeper than MaxNestingDepth.
const maxJSONDepth = MaxNestingDepth

// decodeJSON decodes a JSON object or array into the values DecodeValue returns for it through
// yaml.v3 (map[string]any, []any, string, int, uint64, float64, bool, nil), at a fraction of the
// cost: an inputs file of 10,000 records took 1.5 s and most of the run's memory through
// yaml.Node (issue 8). ok is false for anything it does not decode exactly as yaml.v3 would
// (invalid JSON, duplicate keys, merge keys, \/ and \u escapes of surrogates, deep nesting); the
// caller then takes the YAML path, which reports errors with their line.
func decodeJSON(data []byte) (v any, ok bool) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return nil, false
	}
	if bytes.Contains(data, []byte(`\ud`)) || bytes.Contains(data, []byte(`\uD`)) || bytes.Contains(data, []byte(`\/`)) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false // trailing data
	}
	members, ok := yamlShape(v, 0)
	// encoding/json keeps the last of duplicate keys where yaml.v3 refuses them: every member
	// written in the text (one ':' outside strings each) must be in a decoded object.
	if !ok || members != colonsOutsideStrings(data) {
		return nil, false
	}
	return v, true
}

// yamlShape turns the json.Numbers of v into the int, uint64 or float64 yaml.v3 resolves them
// to, in place, and returns how many object members v holds.
func yamlShape(v any, depth int) (members int, ok bool) {
	if depth > maxJSONDepth {
		return 0, false
	}
	switch t := v.(type) {
	case map[string]any:
		members = len(t)
		for k, e := range t {
			if k == "<<" {
				return 0, false // a merge key to yaml.v3
			}
			if n, isNum := e.(json.Number); isNum {
				if t[k], ok = yamlNumber(n); !ok {
					return 0, false
				}
				continue
			}
			m, ok := yamlShape(e, depth+1)
			if !ok {
				return 0, false
			}
			members += m
		}
	case []any:
		for i, e := range t {
			if n, isNum := e.(json.Number); isNum {
				if t[i], ok = yamlNumber(n); !ok {
					return 0, false
				}
				continue
			}
			m, ok := yamlShape(e, depth+1)
			if !ok {
				return 0, false
			}
			members += m
		}
	}
	return members, true
}

// yamlNumber resolves a number as yaml.v3 does: int when it fits, then uint64, then float64.
func yamlNumber(n json.Number) (any, bool) {
	if i, err := strconv.ParseInt(string(n), 10, 0); err == nil {
		return int(i), true
	}
	if u, err := strconv.ParseUint(string(n), 10, 64); err == nil {
		return u, true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return nil, false
	}
	return f, true
}

// colonsOutsideStrings counts the ':' of valid JSON text that are not inside a string: one per
// object member.
func colonsOutsideStrings(data []byte) int {
	n, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case c == ':' && !inString:
			n++
		}
	}
	return n
}
