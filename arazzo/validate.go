package arazzo

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/arazzo-runner/arazzo/expr"
)

// ValidateBytes parses data and validates it: parser findings, the official JSON Schema of the
// document's version, and the rules of Validate. It returns the document when it parses (nil
// otherwise) and every finding, sorted. It never reads another file or the network.
func ValidateBytes(file string, data []byte) (*Document, Diagnostics) {
	doc, err := Parse(file, data)
	if err == nil {
		return doc, Validate(doc)
	}
	var diags Diagnostics
	if ds, ok := err.(Diagnostics); ok {
		diags = ds
	} else {
		diags = Diagnostics{{File: file, Line: 1, Col: 1, Severity: SeverityError, Rule: RuleYAMLSyntax, Message: err.Error(), Err: err}}
	}
	var root yaml.Node
	if len(data) <= MaxDocumentBytes && yaml.Unmarshal(data, &root) == nil && len(root.Content) > 0 && checkLimits(file, &root) == nil {
		diags = merge(diags, checkSchema(file, root.Content[0]), root.Content[0])
	}
	diags.Sort()
	return nil, diags
}

// Validate checks a parsed document without loading its sources: the official JSON Schema
// (when doc came from Parse), unique ids, that every reference resolves, that every runtime
// expression parses and names inputs, steps, outputs and components that exist, and the
// real-world mistakes listed in Rules. It includes doc.Warnings, and returns every finding
// sorted by position. Checks that need the OpenAPI descriptions are runtime.Runner.Check's.
func Validate(doc *Document) Diagnostics {
	v := &validator{doc: doc}
	v.run()
	diags := append(Diagnostics(nil), doc.Warnings...)
	diags = append(diags, v.diags...)
	if doc.node != nil {
		diags = merge(diags, checkSchema(doc.File, doc.node), doc.node)
	}
	diags.Sort()
	return diags
}

// merge adds schema findings to the others. A schema finding at the position of another error
// says the same thing less precisely and is dropped; where it agrees with a parser unknown-field
// warning, that warning becomes an error, since the official schema forbids the field. A root `$schema` key becomes the
// WILD-01 warning.
func merge(diags, schema Diagnostics, root *yaml.Node) Diagnostics {
	type at struct{ line, col int }
	errAt := map[at]bool{}
	for _, d := range diags {
		if d.Severity == SeverityError {
			errAt[at{d.Line, d.Col}] = true
		}
	}
	var rootSchema *yaml.Node
	if k := mappingKey(root, "$schema"); k != nil {
		rootSchema = k
	}
	unknownAt := map[at]int{}
	for i, d := range diags {
		switch d.Rule {
		case RuleUnknownField:
			unknownAt[at{d.Line, d.Col}] = i
		case RuleLiteralOutput:
			// The official schema wants a string there; the literal-output warning says more.
			errAt[at{d.Line, d.Col}] = true
		}
	}
	var out Diagnostics
	for _, d := range schema {
		p := at{d.Line, d.Col}
		if errAt[p] {
			continue
		}
		if i, ok := unknownAt[p]; ok {
			// The parser named the field already; the official schema makes it an error.
			diags[i].Severity = SeverityError
			continue
		}
		if rootSchema != nil && p == (at{rootSchema.Line, rootSchema.Column}) {
			d.Severity, d.Rule = SeverityWarning, RuleRootSchemaKey
			d.Message = "root `$schema` key is not part of Arazzo and the official schema forbids it: remove it"
		}
		out = append(out, d)
	}
	return append(out, diags...)
}

type validator struct {
	doc   *Document
	diags Diagnostics
	// containers indexes the document's mappings and sequences by position (containerAt).
	containers map[Pos]*yaml.Node
	// used holds, per workflow, the input names its expressions read.
	used        map[*Workflow]map[string]bool
	crossInputs []crossInput
}

func (v *validator) add(pos Pos, sev Severity, rule, format string, args ...any) {
	line, col := pos.Line, pos.Col
	if line == 0 {
		line, col = 1, 1
	}
	v.diags = append(v.diags, Diagnostic{File: v.doc.File, Line: line, Col: col, Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) errorf(pos Pos, rule, format string, args ...any) {
	v.add(pos, SeverityError, rule, format, args...)
}

func (v *validator) warnf(pos Pos, rule, format string, args ...any) {
	v.add(pos, SeverityWarning, rule, format, args...)
}

func (v *validator) run() {
	v.uniqueIDs()
	v.workflowDependsOn()
	v.used = map[*Workflow]map[string]bool{}
	for i, wf := range v.doc.Workflows {
		w := &wfCheck{v: v, wf: wf, index: i, inputsUsed: map[string]bool{}}
		w.check()
		v.used[wf] = w.inputsUsed
	}
	v.components()
	v.unusedInputs()
	v.nearMisses()
}

// idRe is the form the specification recommends for workflowIds and stepIds.
var idRe = regexp.MustCompile(`^[A-Za-z0-9_\-]+$`)

// ValidID reports whether id has the form the specification recommends for a workflowId or
// stepId, `[A-Za-z0-9_-]+`. Documents in the wild use others (WILD-05), which run but which no
// runtime expression can name.
func ValidID(id string) bool { return idRe.MatchString(id) }

// IsLiteralOutput reports whether an output value is a literal (a number, a boolean, null)
// rather than a runtime expression or template (WILD-04).
func IsLiteralOutput(v any) bool {
	switch v.(type) {
	case string, *Selector, map[string]any, map[any]any, []any:
		return false // an object or list that is not a selector stays a schema error
	}
	return true
}

// namesOddID reports whether s fails to parse only because it names, after `$steps.` or
// `$workflows.`, a workflowId or stepId of the document that the grammar cannot spell (WILD-05):
// with those ids replaced by ones it can, parses accepts it. Runs find such ids by their text.
func (v *validator) namesOddID(s string, parses func(string) bool) bool {
	ids := v.doc.NonConformingIDs()
	if len(ids) == 0 {
		return false
	}
	names := make([]string, len(ids))
	for i := range ids {
		names[i] = fmt.Sprintf("wild%d", i)
	}
	replaced, changed := expr.RenameIDs(s, ids, names)
	return changed && parses(replaced)
}

// NearMiss is a near-miss of a workflow that runs accept with a warning: where it is, its rule,
// what it is and what the author should write instead.
type NearMiss struct {
	Pos             Pos
	Rule, What, Fix string
}

// NearMisses lists the workflow's ids outside the form the specification recommends (WILD-05)
// and its literal output values (WILD-04).
func (w *Workflow) NearMisses() []NearMiss {
	var out []NearMiss
	id := func(pos Pos, what string) {
		out = append(out, NearMiss{Pos: pos, Rule: RuleIDCharacters, What: what + " holds characters outside [A-Za-z0-9_-]", Fix: "rename it"})
	}
	literal := func(o *Output, owner string) {
		if IsLiteralOutput(o.Value) {
			out = append(out, NearMiss{Pos: o.Pos, Rule: RuleLiteralOutput,
				What: fmt.Sprintf("%s output %q is a literal, not a runtime expression", owner, o.Name),
				Fix:  "compute it with an expression or take it from an input"})
		}
	}
	if w.WorkflowID != "" && !ValidID(w.WorkflowID) {
		id(w.Pos, fmt.Sprintf("workflowId %q", w.WorkflowID))
	}
	for _, o := range w.Outputs {
		literal(o, fmt.Sprintf("workflow %q", w.WorkflowID))
	}
	for _, s := range w.Steps {
		if s.StepID != "" && !ValidID(s.StepID) {
			id(s.Pos, fmt.Sprintf("workflow %q: stepId %q", w.WorkflowID, s.StepID))
		}
		for _, o := range s.Outputs {
			literal(o, fmt.Sprintf("step %q", s.StepID))
		}
	}
	return out
}

// nearMisses reports the workflows' near-misses (NearMisses) as warnings saying how runs read
// them.
func (v *validator) nearMisses() {
	read := map[string]string{
		RuleIDCharacters:  "runs, -w and runtime expressions find it by its exact text, other tools may not",
		RuleLiteralOutput: "runs use it as the value",
	}
	for _, w := range v.doc.Workflows {
		for _, m := range w.NearMisses() {
			v.warnf(m.Pos, m.Rule, "%s; %s: %s", m.What, read[m.Rule], m.Fix)
		}
	}
}

func (v *validator) uniqueIDs() {
	seen := map[string]bool{}
	for _, s := range v.doc.SourceDescriptions {
		if s.Name != "" && seen[s.Name] {
			v.errorf(s.Pos, RuleDuplicateID, "source description name %q is used twice: rename one", s.Name)
		}
		seen[s.Name] = true
	}
	seen = map[string]bool{}
	for _, w := range v.doc.Workflows {
		if w.WorkflowID != "" && seen[w.WorkflowID] {
			v.errorf(w.Pos, RuleDuplicateID, "workflowId %q is used twice: rename one", w.WorkflowID)
		}
		seen[w.WorkflowID] = true
		steps := map[string]bool{}
		for _, s := range w.Steps {
			if s.StepID != "" && steps[s.StepID] {
				v.errorf(s.Pos, RuleDuplicateID, "workflow %q: stepId %q is used twice: rename one", w.WorkflowID, s.StepID)
			}
			steps[s.StepID] = true
		}
	}
}

func (v *validator) workflowIDs() string {
	ids := make([]string, len(v.doc.Workflows))
	for i, w := range v.doc.Workflows {
		ids[i] = w.WorkflowID
	}
	return strings.Join(ids, ", ")
}

// workflowRef checks a workflowId written on a step, an action or a dependsOn entry: a plain id
// of this document, or $sourceDescriptions.NAME.ID for another Arazzo document (STEP-07).
func (v *validator) workflowRef(pos Pos, what, id string) {
	if id == "" {
		return
	}
	if strings.HasPrefix(id, "$") {
		e, err := expr.Parse(id)
		if err != nil {
			v.errorf(pos, RuleExpressionSyntax, "%s %q: %v: write $sourceDescriptions.NAME.WORKFLOW_ID", what, id, err)
			return
		}
		if e.Kind() != "sourceDescriptions" {
			v.errorf(pos, RuleUnknownWorkflow, "%s %q: name a workflow by its id, or as $sourceDescriptions.NAME.WORKFLOW_ID", what, id)
			return
		}
		v.sourceRef(pos, what, e)
		return
	}
	if v.doc.Workflow(id) == nil {
		v.errorf(pos, RuleUnknownWorkflow, "%s names unknown workflow %q: use one of %s", what, id, v.workflowIDs())
	}
}

func (v *validator) sourceRef(pos Pos, what string, e expr.Expression) {
	if v.doc.SourceDescription(e.SourceName()) == nil {
		v.errorf(pos, RuleUnknownSource, "%s %q names unknown source description %q: use one of %s", what, e.String(), e.SourceName(), v.sourceNames())
	}
}

func (v *validator) sourceNames() string {
	names := make([]string, len(v.doc.SourceDescriptions))
	for i, s := range v.doc.SourceDescriptions {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

func (v *validator) workflowDependsOn() {
	for _, w := range v.doc.Workflows {
		for _, dep := range w.DependsOn {
			v.workflowRef(w.Pos, fmt.Sprintf("workflow %q dependsOn", w.WorkflowID), dep)
		}
	}
	// Cycles among the workflows of this document.
	state := map[*Workflow]int{}
	var visit func(w *Workflow, path []string) bool
	visit = func(w *Workflow, path []string) bool {
		switch state[w] {
		case 1:
			i := 0
			for j, id := range path {
				if id == w.WorkflowID {
					i = j
				}
			}
			cycle := append(append([]string(nil), path[i:]...), w.WorkflowID)
			v.errorf(w.Pos, RuleDependsOnCycle, "workflow dependsOn cycle %s: remove one of these dependencies", strings.Join(cycle, " -> "))
			return true
		case 2:
			return false
		}
		state[w] = 1
		for _, dep := range w.DependsOn {
			if d := v.doc.Workflow(dep); d != nil && visit(d, append(path, w.WorkflowID)) {
				state[w] = 2
				return true
			}
		}
		state[w] = 2
		return false
	}
	for _, w := range v.doc.Workflows {
		visit(w, nil)
	}
}

// component kinds of $components.<kind>.<key> references.
const (
	compParameters     = "parameters"
	compSuccessActions = "successActions"
	compFailureActions = "failureActions"
	compInputs         = "inputs"
)

func (v *validator) componentExists(kind, key string) bool {
	c := v.doc.Components
	if c == nil {
		return false
	}
	switch kind {
	case compParameters:
		_, ok := c.Parameters[key]
		return ok
	case compSuccessActions:
		_, ok := c.SuccessActions[key]
		return ok
	case compFailureActions:
		_, ok := c.FailureActions[key]
		return ok
	case compInputs:
		_, ok := c.Inputs[key]
		return ok
	}
	return false
}

// reusable checks a Reusable Object's reference: it must name a component of the wanted kind.
func (v *validator) reusable(r *Reusable, want string) {
	if r == nil {
		return
	}
	e, err := expr.Parse(r.Reference)
	if err != nil || e.Kind() != "components" {
		v.errorf(r.Pos, RuleUnknownComponent, "reference %q must look like $components.%s.NAME", r.Reference, want)
		return
	}
	if e.Part() != want {
		v.errorf(r.Pos, RuleUnknownComponent, "reference %q points at %s where %s belong: use $components.%s.NAME", r.Reference, e.Part(), want, want)
		return
	}
	if !v.componentExists(want, e.Name()) {
		v.errorf(r.Pos, RuleUnknownComponent, "reference %q: components.%s has no %q", r.Reference, want, e.Name())
	}
}

// components checks what components hold without a workflow in scope: expression syntax and
// component references.
func (v *validator) components() {
	c := v.doc.Components
	if c == nil {
		return
	}
	w := &wfCheck{v: v, inputsUsed: map[string]bool{}}
	for _, k := range sortedMapKeys(c.Parameters) {
		w.parameter(c.Parameters[k], siteComponent, -1)
	}
	for _, k := range sortedMapKeys(c.SuccessActions) {
		w.successAction(c.SuccessActions[k], -1)
	}
	for _, k := range sortedMapKeys(c.FailureActions) {
		w.failureAction(c.FailureActions[k], -1)
	}
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// site says where an expression sits, which decides what it may refer to.
type site int

const (
	siteRequest   site = iota // step parameters and request body: the step has not run yet
	siteResult                // step criteria, outputs and actions: the step has run
	siteWorkflow              // workflow outputs, workflow-level parameters and actions
	siteComponent             // components: no workflow in scope
)

// wfCheck checks one workflow; wf is nil for components.
type wfCheck struct {
	v          *validator
	wf         *Workflow
	index      int
	inputsUsed map[string]bool
}

func (w *wfCheck) check() {
	wf := w.wf
	for _, p := range wf.Parameters {
		w.parameter(p, siteWorkflow, -1)
	}
	for _, a := range wf.SuccessActions {
		w.successAction(a, -1)
	}
	for _, a := range wf.FailureActions {
		w.failureAction(a, -1)
	}
	for i, s := range wf.Steps {
		w.step(s, i)
	}
	for _, o := range wf.Outputs {
		w.value(o.Value, o.Pos, siteWorkflow, -1, "workflow output "+o.Name)
	}
	w.flow()
}

func (w *wfCheck) step(s *Step, i int) {
	what := fmt.Sprintf("step %q", s.StepID)
	if s.WorkflowID != "" {
		w.v.workflowRef(s.Pos, what+" workflowId", s.WorkflowID)
	}
	if strings.HasPrefix(s.OperationID, "$") {
		w.sourceExpression(s.Pos, what+" operationId", s.OperationID)
	}
	if s.OperationPath != "" {
		w.operationPath(s, i)
	}
	if s.ChannelPath != "" {
		w.template(s.ChannelPath, s.Pos, siteRequest, i, what+" channelPath")
	}
	if s.CorrelationID != "" {
		w.template(s.CorrelationID, s.Pos, siteResult, i, what+" correlationId")
	}
	for _, d := range s.DependsOn {
		w.stepDependsOn(s, d)
	}
	for _, p := range s.Parameters {
		w.parameter(p, siteRequest, i)
	}
	if b := s.RequestBody; b != nil {
		if b.HasPayload {
			w.value(b.Payload, orPos(b.PayloadPos, b.Pos), siteRequest, i, what+" requestBody payload")
		}
		for _, r := range b.Replacements {
			w.value(r.Value, orPos(r.ValuePos, r.Pos), siteRequest, i, what+" payload replacement "+r.Target)
		}
	}
	for _, c := range s.SuccessCriteria {
		w.criterion(c, siteResult, i)
	}
	for _, a := range s.OnSuccess {
		w.successAction(a, i)
	}
	for _, a := range s.OnFailure {
		w.failureAction(a, i)
	}
	for _, o := range s.Outputs {
		// A workflowId step's outputs read the called workflow's outputs as $outputs (AMB-06).
		w.value(o.Value, o.Pos, siteResult, i, what+" output "+o.Name)
	}
}

// stepDependsOn checks a 1.1 step dependsOn entry (STEP-16).
func (w *wfCheck) stepDependsOn(s *Step, d string) {
	what := fmt.Sprintf("step %q dependsOn", s.StepID)
	if !strings.HasPrefix(d, "$") {
		if w.wf.Step(d) == nil {
			w.v.errorf(s.Pos, RuleUnknownStep, "%s unknown step %q: use a stepId of workflow %q", what, d, w.wf.WorkflowID)
		}
		return
	}
	e, err := expr.Parse(d)
	if err != nil {
		w.v.errorf(s.Pos, RuleExpressionSyntax, "%s %q: %v", what, d, err)
		return
	}
	switch e.Kind() {
	case "workflows":
		other := w.v.doc.Workflow(e.WorkflowID())
		if other == nil {
			w.v.errorf(s.Pos, RuleUnknownWorkflow, "%s %q names unknown workflow %q: use one of %s", what, d, e.WorkflowID(), w.v.workflowIDs())
			return
		}
		if e.StepID() != "" && other.Step(e.StepID()) == nil {
			w.v.errorf(s.Pos, RuleUnknownStep, "%s %q: workflow %q has no step %q", what, d, other.WorkflowID, e.StepID())
		}
	case "sourceDescriptions":
		w.v.sourceRef(s.Pos, what, e)
	default:
		w.v.errorf(s.Pos, RuleUnknownStep, "%s %q: write a stepId, $workflows.WF.steps.STEP or $sourceDescriptions.NAME.WF.steps.STEP", what, d)
	}
}

// operationPath checks `{$sourceDescriptions.NAME.url}#/paths/...` (STEP-06) and names the
// right form for the near-misses `$sourceDescriptions.NAME#...` and `NAME#...` (WILD-03).
func (w *wfCheck) operationPath(s *Step, i int) {
	what := fmt.Sprintf("step %q operationPath", s.StepID)
	ref, ptr, _ := strings.Cut(s.OperationPath, "#")
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "{") {
		w.template(s.OperationPath, s.Pos, siteRequest, i, what)
		return
	}
	name := ref
	if rest, ok := strings.CutPrefix(ref, "$sourceDescriptions."); ok {
		name, _, _ = strings.Cut(rest, ".")
	}
	sd := w.v.doc.SourceDescription(name)
	if sd == nil {
		for _, c := range w.v.doc.SourceDescriptions {
			if c.URL == ref {
				return // the source url written out is a valid form
			}
		}
		w.v.errorf(s.Pos, RuleUnknownSource, "%s %q names no source description: write {$sourceDescriptions.NAME.url}#%s with one of %s", what, s.OperationPath, ptr, w.v.sourceNames())
		return
	}
	w.v.warnf(s.Pos, RuleBareExpression, "%s %q: write {$sourceDescriptions.%s.url}#%s", what, s.OperationPath, name, ptr)
}

func (w *wfCheck) sourceExpression(pos Pos, what, s string) {
	e, err := expr.Parse(s)
	if err != nil {
		w.v.errorf(pos, RuleExpressionSyntax, "%s %q: %v", what, s, err)
		return
	}
	if e.Kind() == "sourceDescriptions" {
		w.v.sourceRef(pos, what, e)
	}
}

func (w *wfCheck) parameter(p *Parameter, at site, i int) {
	if p.Ref != nil {
		w.v.reusable(p.Ref, compParameters)
		if p.Ref.HasValue {
			w.value(p.Ref.Value, orPos(p.Ref.ValuePos, p.Ref.Pos), at, i, "parameter "+p.Ref.Reference)
		}
		return
	}
	w.value(p.Value, orPos(p.ValuePos, p.Pos), at, i, "parameter "+p.Name)
}

func (w *wfCheck) successAction(a *SuccessAction, i int) {
	if a.Ref != nil {
		w.v.reusable(a.Ref, compSuccessActions)
		return
	}
	w.actionTarget(a.Pos, "success action "+a.Name, a.StepID, a.WorkflowID)
	for _, c := range a.Criteria {
		w.criterion(c, siteOf(i), i)
	}
	for _, p := range a.Parameters {
		w.parameter(p, siteOf(i), i)
	}
}

func (w *wfCheck) failureAction(a *FailureAction, i int) {
	if a.Ref != nil {
		w.v.reusable(a.Ref, compFailureActions)
		return
	}
	w.actionTarget(a.Pos, "failure action "+a.Name, a.StepID, a.WorkflowID)
	for _, c := range a.Criteria {
		w.criterion(c, siteOf(i), i)
	}
	for _, p := range a.Parameters {
		w.parameter(p, siteOf(i), i)
	}
}

func siteOf(step int) site {
	if step < 0 {
		return siteWorkflow
	}
	return siteResult
}

func (w *wfCheck) actionTarget(pos Pos, what, stepID, workflowID string) {
	if stepID != "" && w.wf != nil && w.wf.Step(stepID) == nil {
		w.v.errorf(pos, RuleUnknownStep, "%s goes to unknown step %q: use a stepId of workflow %q", what, stepID, w.wf.WorkflowID)
	}
	if workflowID != "" {
		w.v.workflowRef(pos, what+" workflowId", workflowID)
	}
}

func (w *wfCheck) criterion(c *Criterion, at site, i int) {
	pos := c.ConditionPos
	if pos.Line == 0 {
		pos = c.Pos
	}
	if c.Context != "" {
		e, err := expr.Parse(c.Context)
		if err != nil {
			w.v.errorf(c.Pos, RuleExpressionSyntax, "criterion context %q: %v", c.Context, syntaxHint(c.Context, err))
		} else {
			w.expression(e, c.Pos, at, i)
		}
	}
	switch c.Type {
	case "", "simple":
		cond, err := expr.CompileCondition(c.Condition)
		if err != nil {
			if exp, ok := w.shorthand(c.Condition, pos, "condition"); ok {
				cond, err = expr.CompileCondition(exp)
			}
		}
		if err != nil && w.v.namesOddID(c.Condition, func(r string) bool { _, e := expr.CompileCondition(r); return e == nil }) {
			return // see template
		}
		if err != nil {
			w.v.errorf(pos, RuleExpressionSyntax, "condition %q: %v", c.Condition, syntaxHint(c.Condition, err))
			return
		}
		for _, e := range cond.Expressions() {
			w.expression(e, pos, at, i)
		}
	default:
		if c.Context == "" {
			w.v.errorf(c.Pos, RuleCriterionContext, "%s criterion %q has no context: add `context: $response.body` (or the value it tests)", c.Type, c.Condition)
		}
		if c.Type == "jsonpath" && IsJavaScriptLikeJSONPath(c.Condition) {
			w.v.warnf(pos, RuleJSONPathCondition, "jsonpath condition %q is a JavaScript-like comparison, not JSONPath: write a simple condition such as `$response.body#/items/0 != null`, or a JSONPath that selects nodes such as `$.items[0]`", c.Condition)
		}
		if strings.Contains(c.Condition, "{$") {
			w.template(c.Condition, pos, at, i, "condition")
		} else {
			w.bareEmbedded(c.Condition, pos, "condition")
		}
	}
}

// IsJavaScriptLikeJSONPath reports whether a jsonpath condition compares outside any [?…] filter, or uses
// `.length`: forms JavaScript accepts and JSONPath does not.
func IsJavaScriptLikeJSONPath(cond string) bool {
	if strings.Contains(cond, ".length") {
		return true
	}
	var outside strings.Builder
	depth := 0
	for _, r := range cond {
		switch r {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				outside.WriteRune(r)
			}
		}
	}
	o := outside.String()
	for _, op := range []string{"==", "!=", ">", "<", "&&", "||"} {
		if strings.Contains(o, op) {
			return true
		}
	}
	return false
}

// value checks a document value that may hold expressions: a string, a Selector, or a payload
// whose string leaves may.
func (w *wfCheck) value(val any, pos Pos, at site, i int, what string) {
	switch t := val.(type) {
	case string:
		w.template(t, pos, at, i, what)
	case *Selector:
		if t.Context != "" {
			e, err := expr.Parse(t.Context)
			if err != nil {
				w.v.errorf(t.Pos, RuleExpressionSyntax, "%s: selector context %q: %v", what, t.Context, syntaxHint(t.Context, err))
			} else {
				w.expression(e, t.Pos, at, i)
			}
		}
	case map[string]any:
		n := w.v.containerAt(pos)
		for _, k := range sortedMapKeys(t) {
			w.value(t[k], memberPos(n, k, pos), at, i, what)
		}
	case []any:
		n := w.v.containerAt(pos)
		for j, e := range t {
			w.value(e, itemPos(n, j, pos), at, i, what)
		}
	}
}

// containerAt returns the mapping or sequence node of the document at pos, so that findings
// inside a structured value (a payload) can point at the member they are about; nil when the
// document keeps no tree or nothing starts there.
func (v *validator) containerAt(pos Pos) *yaml.Node {
	if v.doc.node == nil || pos.Line == 0 {
		return nil
	}
	if v.containers == nil {
		v.containers = map[Pos]*yaml.Node{}
		var walk func(n *yaml.Node, depth int)
		walk = func(n *yaml.Node, depth int) {
			if n == nil || depth > MaxNestingDepth {
				return
			}
			if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
				if _, seen := v.containers[posOf(n)]; !seen {
					v.containers[posOf(n)] = n
				}
			}
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
		walk(v.doc.node, 0)
	}
	return v.containers[pos]
}

// memberPos is the position of member key of mapping n, or fallback.
func memberPos(n *yaml.Node, key string, fallback Pos) Pos {
	if n == nil || n.Kind != yaml.MappingNode {
		return fallback
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return posOf(deref(n.Content[i+1]))
		}
	}
	return fallback
}

// itemPos is the position of item j of sequence n, or fallback.
func itemPos(n *yaml.Node, j int, fallback Pos) Pos {
	if n == nil || n.Kind != yaml.SequenceNode || j >= len(n.Content) {
		return fallback
	}
	return posOf(deref(n.Content[j]))
}

func (w *wfCheck) template(s string, pos Pos, at site, i int, what string) {
	t, err := expr.ParseTemplate(s)
	if err != nil {
		if exp, ok := w.shorthand(s, pos, what); ok {
			t, err = expr.ParseTemplate(exp)
		}
	}
	if err != nil && w.v.namesOddID(s, func(r string) bool { _, e := expr.ParseTemplate(r); return e == nil }) {
		return // it names an id the grammar cannot spell, which id-characters reports (WILD-05)
	}
	if err != nil {
		w.v.errorf(pos, RuleExpressionSyntax, "%s: %q: %v", what, clipText(s), syntaxHint(s, err))
		return
	}
	for _, e := range t.Expressions() {
		w.expression(e, pos, at, i)
	}
	if !t.IsBare() {
		w.bareEmbedded(s, pos, what)
	}
}

var bareRe = regexp.MustCompile(`\$(inputs|steps|outputs|workflows|response|request|components|sourceDescriptions|message)(\.[A-Za-z0-9_\-]+)+(#[^\s"',)}]*)?|\$(statusCode|url|method)\b`)

// bareEmbedded warns about expressions written inside a string without braces: the spec sends
// such text literally (RTE-14, WILD-06).
func (w *wfCheck) bareEmbedded(s string, pos Pos, what string) {
	outside := stripEmbedded(s)
	for _, m := range bareRe.FindAllStringIndex(outside, -1) {
		if m[0] == 0 && len(strings.TrimSpace(outside)) == len(strings.TrimSpace(s)) {
			continue // the whole value is one expression; ParseTemplate judged it
		}
		x := outside[m[0]:m[1]]
		w.v.warnf(pos, RuleBareExpression, "%s: %q is inside text without braces and is sent literally: write {%s}", what, x, x)
		return
	}
}

// stripEmbedded blanks out the {…} parts of s, keeping offsets.
func stripEmbedded(s string) string {
	b := []byte(s)
	depth := 0
	for i, c := range b {
		switch {
		case c == '{' && i+1 < len(b) && (b[i+1] == '$' || b[i+1] == ' '):
			depth++
			b[i] = ' '
		case c == '}' && depth > 0:
			depth--
			b[i] = ' '
		case depth > 0:
			b[i] = ' '
		}
	}
	return string(b)
}

func clipText(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

var stepsNoOutputsRe = regexp.MustCompile(`\$steps\.([A-Za-z0-9_\-]+)\.([A-Za-z0-9_\-.]+)`)

// shorthand warns about `$steps.S.NAME` written for `$steps.S.outputs.NAME` where step S of
// this workflow declares output NAME (WILD-02), which runs read that way, and returns s with
// the shorthands expanded; ok is false when s holds none.
func (w *wfCheck) shorthand(s string, pos Pos, what string) (string, bool) {
	exp, found := expr.ExpandStepsShorthand(s, func(id, name string) bool {
		st := (*Step)(nil)
		if w.wf != nil {
			st = w.wf.Step(id)
		}
		return st != nil && st.DeclaresOutput(name)
	})
	if found == nil {
		return s, false
	}
	full := make([]string, len(found))
	for i, f := range found {
		full[i] = expr.StepsOutputForm(f)
	}
	w.v.warnf(pos, RuleStepsShorthand, "%s: %q leaves out .outputs. in %s, which runs read as %s: write that", what, clipText(s), strings.Join(found, ", "), strings.Join(full, ", "))
	return exp, true
}

// syntaxHint adds what to write for the near-misses seen in the wild (WILD-02).
func syntaxHint(s string, err error) string {
	if m := stepsNoOutputsRe.FindStringSubmatch(s); m != nil && !strings.HasPrefix(m[2], "outputs") {
		return fmt.Sprintf("%v: write $steps.%s.outputs.%s", err, m[1], m[2])
	}
	return err.Error()
}

// expression checks what one parsed expression refers to.
func (w *wfCheck) expression(e expr.Expression, pos Pos, at site, i int) {
	doc := w.v.doc
	switch e.Kind() {
	case "inputs":
		if w.wf == nil {
			return
		}
		name := e.Name()
		w.inputsUsed[firstSegment(name)] = true
		w.inputsUsed[name] = true
		if props, known := declaredInputs(doc, w.wf); known && !props[name] && !props[firstSegment(name)] {
			w.v.errorf(pos, RuleUndeclaredInput, "%q: workflow %q declares no input %q: add it to the workflow's inputs schema or fix the name", e.String(), w.wf.WorkflowID, name)
		}
	case "steps":
		if w.wf == nil {
			return
		}
		j := w.wf.StepIndex(e.StepID())
		if j < 0 {
			w.v.errorf(pos, RuleUnknownStep, "%q: workflow %q has no step %q", e.String(), w.wf.WorkflowID, e.StepID())
			return
		}
		target := w.wf.Steps[j]
		if !hasOutput(target.Outputs, e.Name()) {
			w.v.errorf(pos, RuleUnknownOutput, "%q: step %q declares no output %q (it has %s)", e.String(), target.StepID, e.Name(), outputNames(target.Outputs))
		}
		if i >= 0 && (j > i || (j == i && at == siteRequest)) && len(w.wf.Steps[i].DependsOn) == 0 {
			sev := SeverityError
			if doc.MinorVersion() == "1.0" {
				sev = SeverityWarning
			}
			when := "runs later"
			if j == i {
				when = "is this step, whose outputs do not exist before it runs"
			}
			w.v.add(pos, sev, RuleStepOrder, "%q reads step %q, which %s: move it before step %q or read another value", e.String(), target.StepID, when, w.wf.Steps[i].StepID)
		}
	case "workflows":
		other := doc.Workflow(e.WorkflowID())
		if other == nil {
			w.v.errorf(pos, RuleUnknownWorkflow, "%q names unknown workflow %q: use one of %s", e.String(), e.WorkflowID(), w.v.workflowIDs())
			return
		}
		switch e.Part() {
		case "outputs":
			if !hasOutput(other.Outputs, e.Name()) {
				w.v.errorf(pos, RuleUnknownOutput, "%q: workflow %q declares no output %q (it has %s)", e.String(), other.WorkflowID, e.Name(), outputNames(other.Outputs))
			}
		case "inputs":
			w.v.crossInputs = append(w.v.crossInputs, crossInput{other, e.Name()})
			if props, known := declaredInputs(doc, other); known && !props[e.Name()] && !props[firstSegment(e.Name())] {
				w.v.errorf(pos, RuleUndeclaredInput, "%q: workflow %q declares no input %q", e.String(), other.WorkflowID, e.Name())
			}
		}
	case "sourceDescriptions":
		w.v.sourceRef(pos, "expression", e)
	case "components":
		if !w.v.componentExists(e.Part(), e.Name()) {
			w.v.errorf(pos, RuleUnknownComponent, "%q: components.%s has no %q", e.String(), e.Part(), e.Name())
		}
	}
}

type crossInput struct {
	wf   *Workflow
	name string
}

func firstSegment(name string) string {
	s, _, _ := strings.Cut(name, ".")
	return s
}

// hasOutput reports whether outputs declare name, or its first dotted segment (the rest then
// reads inside the value, as the runtime does).
func hasOutput(outs []*Output, name string) bool {
	for _, o := range outs {
		if o.Name == name || o.Name == firstSegment(name) || strings.HasPrefix(name, o.Name+".") {
			return true
		}
	}
	return false
}

func outputNames(outs []*Output) string {
	if len(outs) == 0 {
		return "none"
	}
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = o.Name
	}
	return strings.Join(names, ", ")
}

// declaredInputs returns the input names a workflow declares, following $ref into
// components.inputs and allOf/anyOf/oneOf. known is false when the schema cannot be read this
// way (an external $ref, or open additionalProperties), and then nothing is reported.
func declaredInputs(doc *Document, wf *Workflow) (names map[string]bool, known bool) {
	names = map[string]bool{}
	schema, _ := wf.Inputs.(map[string]any)
	if schema == nil {
		return names, true
	}
	known = collectInputs(doc, schema, names, 0)
	return names, known
}

func collectInputs(doc *Document, s map[string]any, names map[string]bool, depth int) bool {
	if depth > 16 {
		return false
	}
	if ref, ok := s["$ref"].(string); ok {
		key, ok := strings.CutPrefix(ref, "#/components/inputs/")
		if !ok || doc.Components == nil {
			return false
		}
		next, _ := doc.Components.Inputs[key].(map[string]any)
		if next == nil {
			return false
		}
		if !collectInputs(doc, next, names, depth+1) {
			return false
		}
	}
	if ap, ok := s["additionalProperties"]; ok && ap != false {
		return false
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for k := range props {
			names[k] = true
		}
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		subs, _ := s[kw].([]any)
		for _, sub := range subs {
			if m, ok := sub.(map[string]any); ok && !collectInputs(doc, m, names, depth+1) {
				return false
			}
		}
	}
	return true
}

// orPos returns pos, or fallback when pos is unknown.
func orPos(pos, fallback Pos) Pos {
	if pos.Line == 0 {
		return fallback
	}
	return pos
}
