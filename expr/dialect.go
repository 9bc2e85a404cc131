package expr

import (
	"regexp"
	"strings"
)

// ParseTemplateLenient parses s as ParseTemplate does and, in the text that is left literal,
// also reads runtime expressions written without braces (`Bearer $inputs.token`, WILD-06) as if
// they were braced. Strictly such text is literal (RTE-14), but documents in the wild mean the
// expression; callers that accept this should say so with a warning (see Unbraced).
//
// An unbraced expression starts at "$" followed by an expression root, at the start of the text
// or after a character that cannot be part of a word, and runs to the first space, quote or one
// of `,;()[]{}<>?&=|`; without a "#" pointer it also ends at "/" or ":" (names never hold them),
// and a trailing "." is left out. Text that does not parse as an expression stays literal.
func ParseTemplateLenient(s string) (*Template, error) {
	t, err := ParseTemplate(s)
	if err != nil || t.bare || !strings.Contains(s, "$") {
		return t, err
	}
	literal := t.parts
	if len(t.exprs) == 0 {
		literal = []part{{text: s, expr: -1}}
	}
	out := &Template{src: s}
	off := 0 // offset of the current part in s
	for _, p := range literal {
		if p.expr >= 0 {
			out.parts = append(out.parts, part{expr: len(out.exprs)})
			out.exprs = append(out.exprs, t.exprs[p.expr])
			off = t.exprs[p.expr].offset + len(t.exprs[p.expr].src)
			if i := strings.IndexByte(s[off:], '}'); i >= 0 {
				off += i + 1
			}
			continue
		}
		text := p.text
		if i := strings.Index(s[off:], text); i >= 0 {
			off += i
		}
		lit := 0
		for i := 0; i < len(text); i++ {
			if text[i] != '$' || (i > 0 && isWordByte(text[i-1])) {
				continue
			}
			cand := unbracedCandidate(text[i:])
			if cand == "" || !looksBare(cand) {
				continue
			}
			e, perr := parseExpression(s, cand, off+i)
			if perr != nil {
				continue
			}
			if lit < i {
				out.parts = append(out.parts, part{text: text[lit:i], expr: -1})
			}
			out.parts = append(out.parts, part{expr: len(out.exprs)})
			out.exprs = append(out.exprs, e)
			out.unbraced = append(out.unbraced, e)
			i += len(cand) - 1
			lit = i + 1
		}
		if lit < len(text) {
			out.parts = append(out.parts, part{text: text[lit:], expr: -1})
		}
		off += len(text)
	}
	if len(out.unbraced) == 0 {
		return t, nil
	}
	return out, nil
}

// Unbraced returns the expressions ParseTemplateLenient read from text without braces.
func (t *Template) Unbraced() []Expression { return append([]Expression(nil), t.unbraced...) }

func isWordByte(b byte) bool {
	return b == '_' || b == '-' || b == '.' || isAlpha(b) || (b >= '0' && b <= '9')
}

func unbracedCandidate(s string) string {
	end := len(s)
	for i := 1; i < len(s); i++ {
		if strings.IndexByte(" \t\r\n\"'`,;()[]{}<>?&=|", s[i]) >= 0 {
			end = i
			break
		}
	}
	c := s[:end]
	if !strings.Contains(c, "#") {
		if i := strings.IndexAny(c, "/:"); i >= 0 {
			c = c[:i]
		}
	}
	return strings.TrimRight(c, ".")
}

// stepsShorthandRe finds `$steps.ID.NAME…`: a step output written without `.outputs.` when NAME
// is not "outputs" (WILD-02).
var stepsShorthandRe = regexp.MustCompile(`\$steps\.([A-Za-z0-9_\-]+)\.([A-Za-z0-9_\-]+)`)

// ExpandStepsShorthand rewrites each `$steps.ID.NAME` of s that declared(ID, NAME) accepts as
// `$steps.ID.outputs.NAME` (WILD-02: documents in the wild leave out `.outputs.` for a step's
// declared output). It returns the rewritten text and the shorthands it expanded, or s and nil.
// Text that names another part of a step (`$steps.ID.outputs.NAME`) is left alone.
func ExpandStepsShorthand(s string, declared func(step, name string) bool) (string, []string) {
	if !hasStepsShorthand(s) {
		return s, nil // the common case, checked without the regular expression
	}
	var found []string
	out := stepsShorthandRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := stepsShorthandRe.FindStringSubmatch(m)
		if sub[2] == "outputs" || declared == nil || !declared(sub[1], sub[2]) {
			return m
		}
		found = append(found, m)
		return StepsOutputForm(m)
	})
	if len(found) == 0 {
		return s, nil
	}
	return out, found
}

// StepsOutputForm returns the form a shorthand ExpandStepsShorthand found stands for:
// `$steps.ID.NAME` is `$steps.ID.outputs.NAME`.
func StepsOutputForm(shorthand string) string {
	id, name, _ := strings.Cut(strings.TrimPrefix(shorthand, "$steps."), ".")
	return "$steps." + id + ".outputs." + name
}

// RenameIDs replaces in text each step or workflow id of ids that follows `$steps.` or
// `$workflows.` (and is followed by ".") by the name at the same index of names. The runner uses
// it to let expressions name ids the grammar cannot spell (WILD-05); ids must come longest
// first. changed is false when text names none of them.
func RenameIDs(text string, ids, names []string) (out string, changed bool) {
	out = text
	if !strings.Contains(text, "$") {
		return out, false
	}
	for i, id := range ids {
		for _, root := range []string{"$steps.", "$workflows."} {
			if strings.Contains(out, root+id+".") {
				out = strings.ReplaceAll(out, root+id+".", root+names[i]+".")
				changed = true
			}
		}
	}
	return out, changed
}

// hasStepsShorthand reports whether some `$steps.ID.` in s is followed by a name other than
// "outputs", the only texts ExpandStepsShorthand may change.
func hasStepsShorthand(s string) bool {
	for {
		i := strings.Index(s, "$steps.")
		if i < 0 {
			return false
		}
		s = s[i+len("$steps."):]
		j := 0
		for j < len(s) && (isAlpha(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == '_' || s[j] == '-') {
			j++
		}
		if j > 0 && j < len(s) && s[j] == '.' && !strings.HasPrefix(s[j+1:], "outputs") {
			return true
		}
		if j > 0 && strings.HasPrefix(s[j:], ".outputs") && len(s) > j+len(".outputs") && s[j+len(".outputs")] != '.' {
			return true // "outputsX": a name that only starts like outputs
		}
		s = s[j:]
	}
}
