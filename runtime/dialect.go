package runtime

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/arazzo-runner/arazzo/expr"
)

// RuleJSONPathCondition is the id of the warning for a criterion typed jsonpath whose condition
// is a JavaScript-like comparison (`$.items.length > 0`); the validator reports the same rule.
const RuleJSONPathCondition = "jsonpath-js-condition"

// jsCondition evaluates a JavaScript-like condition written as a jsonpath criterion (WILD-06),
// a documented translation rather than JSONPath:
//
//   - each reference `$`, `$.a.b`, `$[0]`, `$['a b']`, `$.a[2].c` reads the criterion's context
//     value along that path; a missing step gives null;
//   - a trailing `.length` is the number of items of an array, characters of a string, or
//     members of an object;
//   - `===` and `!==` mean `==` and `!=`; strings may use either quote;
//   - the rest (`== != < <= > >= && || ! ( )`, numbers, true/false/null) is the simple
//     condition language, with its case-insensitive string comparison;
//   - an object or array read as a whole stands for true (it exists), as JavaScript's truthiness
//     would have it.
//
// The values are substituted as literals and the result compiled as a simple condition.
func jsCondition(cond string, subject any) (bool, string, error) {
	var b strings.Builder
	var seen []string
	cond = strings.ReplaceAll(strings.ReplaceAll(cond, "!==", "!="), "===", "==")
	for i := 0; i < len(cond); {
		ch := cond[i]
		if ch == '\'' || ch == '"' {
			j := i + 1
			for j < len(cond) && cond[j] != ch {
				if cond[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(cond) {
				return false, "", fmt.Errorf("unterminated string in %q", cond)
			}
			b.WriteString(quote(unescapeJS(cond[i+1 : j])))
			i = j + 1
			continue
		}
		if ch != '$' {
			b.WriteByte(ch)
			i++
			continue
		}
		ref, n := scanJSRef(cond[i:])
		v, ok := walkJS(subject, ref)
		lit := "null"
		if ok {
			lit = literal(v)
		}
		shown := lit
		if str, isStr := v.(string); isStr {
			shown = preview(str)
		}
		seen = append(seen, fmt.Sprintf("%s = %s", cond[i:i+n], shown))
		b.WriteString(lit)
		i += n
	}
	c, err := expr.CompileCondition(b.String())
	if err != nil {
		return false, "", fmt.Errorf("cannot translate %q into a condition: %w", cond, err)
	}
	ok, err := c.Eval(&expr.Context{})
	return ok, strings.Join(seen, ", "), err
}

// jsStep is one step of a reference: a member name, an index, or length.
type jsStep struct {
	name   string
	index  int
	isIdx  bool
	length bool
}

// scanJSRef reads a reference starting at "$" and returns its steps and length in bytes.
func scanJSRef(s string) ([]jsStep, int) {
	var steps []jsStep
	i := 1
	for i < len(s) {
		switch {
		case s[i] == '.' && i+1 < len(s) && isIdentByte(s[i+1]):
			j := i + 1
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			name := s[i+1 : j]
			steps = append(steps, jsStep{name: name, length: name == "length"})
			i = j
		case s[i] == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return steps, i
			}
			inner := strings.TrimSpace(s[i+1 : i+end])
			if n, err := strconv.Atoi(inner); err == nil {
				steps = append(steps, jsStep{index: n, isIdx: true})
			} else {
				steps = append(steps, jsStep{name: strings.Trim(inner, `'"`)})
			}
			i += end + 1
		default:
			return steps, i
		}
	}
	return steps, i
}

func isIdentByte(b byte) bool {
	return b == '_' || b == '$' || b == '-' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

func walkJS(v any, steps []jsStep) (any, bool) {
	v = jsonTree(v)
	for k, st := range steps {
		switch t := v.(type) {
		case map[string]any:
			if st.length && k == len(steps)-1 {
				if m, ok := t["length"]; ok {
					v = m
					continue
				}
				return len(t), true
			}
			m, ok := t[st.name]
			if !ok {
				return nil, false
			}
			v = m
		case []any:
			switch {
			case st.length:
				v = len(t)
			case st.isIdx && st.index >= 0 && st.index < len(t):
				v = t[st.index]
			default:
				return nil, false
			}
		case string:
			if !st.length {
				return nil, false
			}
			v = len([]rune(t))
		default:
			return nil, false
		}
	}
	return v, true
}

// literal renders a value as a simple-condition literal.
func literal(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(t)
	case string:
		return quote(t)
	case int:
		return strconv.Itoa(t)
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	case json.Number:
		return t.String()
	case map[string]any, []any:
		return "true"
	}
	return quote(fmt.Sprint(v))
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func unescapeJS(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
