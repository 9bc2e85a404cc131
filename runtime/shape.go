package runtime

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
	"github.com/arazzo-runner/arazzo/openapi/mock"
)

// RuleMockShape is the id of the warning that the workflow-aware mock shaped an answer that
// departs from the OpenAPI description (an undocumented status, a body off its schema) because
// the step's criteria asked for it.
const RuleMockShape = "mock-shape-off-description"

// shapeFor derives how the workflow-aware mock (MockWorkflow) should answer a step's request so
// that the happy path runs: the step's success criteria hold, a goto that loops back (a polling
// loop) does not fire, and the body carries what the step's outputs read. Only what the
// criteria constrain in the response is shaped:
//
//   - `$statusCode == N` (the first alternative of an ||) picks status N; a regex on $statusCode
//     picks the first documented status it matches;
//   - a comparison of `$response.body#/p` (or a dot path) with a literal, or with an
//     expression such as $inputs.x, sets, keeps different or bounds the value at /p;
//   - a jsonpath criterion on the body: a JavaScript-like condition is read as the same
//     comparisons (`.length` sets an array's length), a plain path (`$.a.b[0]`) must exist, a
//     filter `$.a[?(@.k == v)]` puts v at /a/0/k;
//   - a regex on a body value sets a string the pattern matches;
//   - for a loop action's criteria, the first criterion is negated (each alternative of an ||).
//
// It returns nil when nothing needs shaping.
func (x *run) shapeFor(st *wfState, step *arazzo.Step, b *boundStep, c *expr.Context) *mock.Shape {
	sh := &shaper{c: c, b: b}
	for _, cr := range step.SuccessCriteria {
		sh.criterion(cr, true)
	}
	if actions, err := x.effectiveSuccessActions(st, step); err == nil {
		order := x.p.stepOrder(st.wf)
		here := indexOfInt(order, st.wf.StepIndex(step.StepID))
		for _, a := range actions {
			if a.Type != "goto" || a.StepID == "" || len(a.Criteria) == 0 {
				continue
			}
			if indexOfInt(order, st.wf.StepIndex(a.StepID)) > here {
				continue // a forward jump is part of the path; only loops are broken
			}
			for _, cr := range a.Criteria {
				if sh.criterion(cr, false) {
					break
				}
			}
		}
	}
	var answer any // the body the mock would give unshaped, read lazily
	answered := false
	current := func(ptr string) (any, bool) {
		if !answered {
			answer, _ = mock.DefaultBody(b.op, sh.status)
			answered = true
		}
		p, err := expr.ParsePointer(ptr)
		if err != nil || answer == nil {
			return nil, false
		}
		return p.Get(answer)
	}
	for _, o := range step.Outputs {
		s, ok := o.Value.(string)
		if !ok {
			continue
		}
		if ptr, ok := bodyPointer(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")); ok {
			// An output a later step sends as a parameter or body field gets a value fit for
			// that use (a Twilio SID pattern, an integer id), not just any value; a fitting
			// value the description's example already gives is kept.
			if hint := x.outputHint(st.wf, step, o.Name, func() (any, bool) { return current(ptr) }); hint != nil && !sh.constrained(ptr) {
				sh.patch(mock.Patch{Op: mock.PatchSet, Path: ptr, Value: hint})
			} else {
				sh.patch(mock.Patch{Op: mock.PatchPresent, Path: ptr})
			}
		}
	}
	if sh.status == 0 && len(sh.patches) == 0 {
		return nil
	}
	return &mock.Shape{Status: sh.status, Body: sh.patches}
}

type shaper struct {
	c       *expr.Context
	b       *boundStep
	status  int
	patches []mock.Patch
	differ  map[string]int // path -> index of its differ patch, to merge values
}

func (sh *shaper) patch(p mock.Patch) {
	if p.Op == mock.PatchDiffer {
		if sh.differ == nil {
			sh.differ = map[string]int{}
		}
		if i, ok := sh.differ[p.Path]; ok {
			sh.patches[i].Values = append(sh.patches[i].Values, p.Values...)
			return
		}
		sh.differ[p.Path] = len(sh.patches)
	}
	if p.Op == mock.PatchPresent {
		for _, q := range sh.patches {
			if q.Path == p.Path || strings.HasPrefix(q.Path, p.Path+"/") {
				return // already given a value
			}
		}
	}
	sh.patches = append(sh.patches, p)
}

// constrained reports whether a patch already gives the value at ptr or inside it.
func (sh *shaper) constrained(ptr string) bool {
	for _, q := range sh.patches {
		if q.Path == ptr || strings.HasPrefix(q.Path, ptr+"/") || strings.HasPrefix(ptr, q.Path+"/") {
			return true
		}
	}
	return false
}

// criterion adds what makes cr hold (hold) or fail (!hold), and reports whether it could.
func (sh *shaper) criterion(cr *arazzo.Criterion, hold bool) bool {
	switch cr.Type {
	case "", "simple":
		return sh.condition(cr.Condition, "", false, hold)
	case "regex":
		if !hold {
			return false
		}
		return sh.regex(cr)
	case langJSONPath:
		ctx := strings.TrimSpace(cr.Context)
		base, ok := bodyPointer(ctx)
		if !ok {
			return false
		}
		cond, err := substituteEmbedded(cr.Condition, sh.c)
		if err != nil {
			return false
		}
		if arazzo.IsJavaScriptLikeJSONPath(cond) {
			return sh.condition(cond, base, true, hold)
		}
		if !hold {
			return false
		}
		return sh.jsonPath(cond, base)
	}
	return false
}

// bodyPointer reads `$response.body` (pointer "") and `$response.body#/p` as a pointer into the
// response body.
func bodyPointer(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "$response.body")
	if !ok {
		return "", false
	}
	if rest == "" {
		return "", true
	}
	if ptr, ok := strings.CutPrefix(rest, "#"); ok {
		return ptr, true
	}
	if dots, ok := strings.CutPrefix(rest, "."); ok {
		return "/" + strings.ReplaceAll(dots, ".", "/"), true
	}
	return "", false
}

// condition handles a simple condition (js false) or a JavaScript-like jsonpath condition (js
// true, references relative to base).
func (sh *shaper) condition(cond, base string, js, hold bool) bool {
	alts := splitTop(cond, "||")
	if hold {
		for _, atom := range splitTop(alts[0], "&&") {
			sh.atom(atom, base, js, true)
		}
		return true
	}
	done := false
	for _, alt := range alts {
		atoms := splitTop(alt, "&&")
		if sh.atom(atoms[0], base, js, false) {
			done = true
		}
	}
	return done
}

var atomRe = regexp.MustCompile(`^(.+?)\s*(===|!==|==|!=|>=|<=|>|<)\s*(.+)$`)

// atom handles one comparison or reference.
func (sh *shaper) atom(atom, base string, js, hold bool) bool {
	atom = strings.TrimSpace(atom)
	for strings.HasPrefix(atom, "(") && strings.HasSuffix(atom, ")") {
		atom = strings.TrimSpace(atom[1 : len(atom)-1])
	}
	m := atomRe.FindStringSubmatch(atom)
	if m == nil {
		neg := strings.HasPrefix(atom, "!")
		ref := strings.TrimSpace(strings.TrimPrefix(atom, "!"))
		path, length, ok := sh.ref(ref, base, js)
		if !ok || path == statusPath || length {
			return false
		}
		if neg == hold {
			sh.patch(mock.Patch{Op: mock.PatchSet, Path: path, Value: false})
		} else {
			sh.patch(mock.Patch{Op: mock.PatchPresent, Path: path})
		}
		return true
	}
	lhs, op, rhs := strings.TrimSpace(m[1]), m[2], strings.TrimSpace(m[3])
	switch op {
	case "===":
		op = "=="
	case "!==":
		op = "!="
	}
	path, length, ok := sh.ref(lhs, base, js)
	val, vok := sh.literal(rhs)
	if !ok || !vok {
		// literal on the left: flip the comparison.
		path, length, ok = sh.ref(rhs, base, js)
		val, vok = sh.literal(lhs)
		if !ok || !vok {
			return false
		}
		op = map[string]string{"==": "==", "!=": "!=", ">": "<", "<": ">", ">=": "<=", "<=": ">="}[op]
	}
	if !hold {
		op = map[string]string{"==": "!=", "!=": "==", ">": "<=", "<": ">=", ">=": "<", "<=": ">"}[op]
	}
	if path == statusPath {
		if n, isNum := asFloat(val); isNum && op == "==" {
			if sh.status == 0 {
				sh.status = int(n)
			}
			return true
		}
		return false
	}
	if length {
		n, isNum := asFloat(val)
		if !isNum {
			return false
		}
		want := map[string]float64{"==": n, "!=": n + 1, ">": n + 1, ">=": n, "<": n - 1, "<=": n}[op]
		if op == "!=" && n > 0 {
			want = 0
		}
		sh.patch(mock.Patch{Op: mock.PatchLength, Path: path, Value: int(max(0, want))})
		return true
	}
	switch op {
	case "==":
		sh.patch(mock.Patch{Op: mock.PatchSet, Path: path, Value: val})
	case "!=":
		if val == nil {
			sh.patch(mock.Patch{Op: mock.PatchPresent, Path: path})
		} else {
			sh.patch(mock.Patch{Op: mock.PatchDiffer, Path: path, Values: []any{val}})
		}
	default:
		n, isNum := asFloat(val)
		if !isNum {
			return false
		}
		want := map[string]float64{">": n + 1, ">=": n, "<": n - 1, "<=": n}[op]
		sh.patch(mock.Patch{Op: mock.PatchSet, Path: path, Value: want})
	}
	return true
}

const statusPath = "\x00status"

// ref reads a reference: $statusCode, a response body expression, or (js) a `$.a.b` path
// relative to base; a trailing .length is reported apart.
func (sh *shaper) ref(s, base string, js bool) (path string, length bool, ok bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "$statusCode" {
		return statusPath, false, true
	}
	if !js {
		p, ok := bodyPointer(s)
		if !ok {
			return "", false, false
		}
		if trimmed, cut := strings.CutSuffix(p, "/length"); cut && !strings.Contains(s, "#") {
			return trimmed, true, true
		}
		return p, false, ok
	}
	if !strings.HasPrefix(s, "$") {
		return "", false, false
	}
	steps, n := scanJSRef(s)
	if n != len(s) {
		return "", false, false
	}
	var b strings.Builder
	b.WriteString(base)
	for i, st := range steps {
		if st.length && i == len(steps)-1 {
			return b.String(), true, true
		}
		b.WriteByte('/')
		if st.isIdx {
			b.WriteString(strconv.Itoa(st.index))
		} else {
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(st.name, "~", "~0"), "/", "~1"))
		}
	}
	return b.String(), false, true
}

// literal reads a literal (number, quoted string, true/false/null) or evaluates an expression
// that is not about the response (such as $inputs.x).
func (sh *shaper) literal(s string) (any, bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	case "null", "undefined":
		return nil, true
	}
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return unescapeJS(s[1 : len(s)-1]), true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, true
		}
		return f, true
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if strings.HasPrefix(inner, "$response") || strings.HasPrefix(inner, "$statusCode") || !strings.HasPrefix(inner, "$") {
		return nil, false
	}
	e, err := expr.Parse(inner)
	if err != nil {
		return nil, false
	}
	v, err := e.Eval(sh.c)
	return v, err == nil
}

func asFloat(v any) (float64, bool) {
	switch t := v.(type) {
	case int64:
		return float64(t), true
	case int:
		return float64(t), true
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}

// splitTop splits s at each top-level op (outside quotes and brackets).
func splitTop(s, op string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == '\\' {
				i++
			} else if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '(' || ch == '[':
			depth++
		case ch == ')' || ch == ']':
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], op):
			out = append(out, s[start:i])
			i += len(op) - 1
			start = i + 1
		}
	}
	return append(out, s[start:])
}

var filterRe = regexp.MustCompile(`^(.*)\[\?\(?@\.([A-Za-z0-9_]+)\s*={2,3}\s*(.+?)\)?\]$`)

// jsonPath makes a plain JSONPath select something: a path must exist; a filter on an array
// member's field puts the value in the first item.
func (sh *shaper) jsonPath(q, base string) bool {
	q = strings.TrimSpace(q)
	if m := filterRe.FindStringSubmatch(q); m != nil {
		arr, _, ok := sh.ref(m[1], base, true)
		val, vok := sh.literal(m[3])
		if !ok || !vok {
			return false
		}
		sh.patch(mock.Patch{Op: mock.PatchSet, Path: arr + "/0/" + m[2], Value: val})
		return true
	}
	path, length, ok := sh.ref(q, base, true)
	if !ok || length {
		return false
	}
	if path != base {
		sh.patch(mock.Patch{Op: mock.PatchPresent, Path: path})
	}
	return true
}

// regex makes a regex criterion hold: on $statusCode, the first documented status it matches;
// on a body value, a string the pattern matches.
func (sh *shaper) regex(cr *arazzo.Criterion) bool {
	re, err := regexp.Compile(cr.Condition)
	if err != nil {
		return false
	}
	ctx := strings.TrimSpace(cr.Context)
	if ctx == "$statusCode" {
		for _, r := range sh.b.op.Responses {
			if n, err := strconv.Atoi(r.Status); err == nil && re.MatchString(r.Status) {
				if sh.status == 0 {
					sh.status = n
				}
				return true
			}
		}
		if s, ok := fromPattern(cr.Condition); ok {
			if n, err := strconv.Atoi(s); err == nil && sh.status == 0 {
				sh.status = n
				return true
			}
		}
		return false
	}
	ptr, ok := bodyPointer(ctx)
	if !ok {
		return false
	}
	s, ok := fromPattern(cr.Condition)
	if !ok {
		return false
	}
	sh.patch(mock.Patch{Op: mock.PatchSet, Path: ptr, Value: s})
	return true
}

// shapeHeader renders a shape for the mock's request header.
func shapeHeader(s *mock.Shape) string {
	data, err := json.Marshal(s)
	if err != nil {
		return ""
	}
	return string(data)
}

// shapeWarnings turns the mock's warnings about a shaped answer into run warnings.
func (x *run) shapeWarnings(stepID string, warnings []string) {
	for _, w := range warnings {
		x.note(fmt.Sprintf("step %q: the workflow-aware mock followed the step's criteria against the OpenAPI description: %s [%s]", stepID, w, RuleMockShape))
	}
}

// outputHint returns a value for a step output the mock must make up, suited to where a later
// step uses it (a value generated from the schema of the parameter or body field that is exactly
// `$steps.ID.outputs.NAME`), or nil to let the mock answer with its own: when current (the value
// the unshaped answer holds there) already serves every use, or when no later step uses it.
func (x *run) outputHint(wf *arazzo.Workflow, step *arazzo.Step, name string, current func() (any, bool)) any {
	ref := "$steps." + step.StepID + ".outputs." + name
	probe := &arazzo.Workflow{Steps: wf.Steps}
	uses := x.p.usageSchemasOf(probe, ref)
	if len(uses) == 0 {
		return nil
	}
	if v, ok := current(); ok && v != nil {
		fits := true
		for _, u := range uses {
			if !u.accepts(x.p.doc, v) {
				fits = false
				break
			}
		}
		if fits {
			return nil // the answer's own value serves every use
		}
	}
	g := &inputGen{doc: x.p.doc}
	return g.fit(name, nil, g.value(name, uses[0].schema, 0), uses)
}
