package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
)

// run is the state of one execution.
type run struct {
	r      *Runner
	p      *plan
	result *Result
	steps  int // step executions so far, for MaxSteps
	// workflows holds the inputs and outputs of every workflow that has run, for $workflows.
	// A workflow of another Arazzo document is listed too, unless the root document has a
	// workflow of the same id, whose entry it would shadow.
	workflows map[string]expr.WorkflowValues
	// docWorkflows holds each document's own workflows' values; a document's expressions read
	// its own before the others (see workflowValues).
	docWorkflows map[*arazzo.Document]map[string]expr.WorkflowValues
	rootDoc      *arazzo.Document
	srcFields    map[string]map[string]any
	comps        map[string]map[string]any
	// last is the context of the latest HTTP exchange, read by a workflowId step (AMB-06).
	last *expr.Context
	// stack lists the workflows being executed, outermost first, to name a call loop.
	stack []string
	// done records the steps that completed successfully, as workflowId + "\x00" + stepId,
	// for step dependsOn (STEP-16).
	done map[string]bool
}

func (r *Runner) execute(ctx context.Context, p *plan) (*Result, error) {
	res := &Result{Document: p.doc.File, Success: true, Workflows: []*WorkflowResult{}, Mocked: p.opts.Mock, GeneratedInputs: p.generated}
	x := &run{r: r, p: p, result: res, workflows: map[string]expr.WorkflowValues{}, done: map[string]bool{}, rootDoc: p.doc}
	x.srcFields = sourceFields(p.doc)
	x.comps = componentValues(p.doc.Components)
	for _, wf := range p.order {
		wr := x.runWorkflow(ctx, wf, p.inputs[wf.WorkflowID], 0)
		res.Workflows = append(res.Workflows, wr)
		if !wr.Success {
			res.Success = false
		}
		if ctx.Err() != nil {
			res.Success = false
			res.Warnings = append(res.Warnings, p.warnings...)
			return res, ctx.Err()
		}
	}
	res.Warnings = append(res.Warnings, p.warnings...)
	return res, nil
}

func componentValues(c *arazzo.Components) map[string]map[string]any {
	if c == nil {
		return nil
	}
	out := map[string]map[string]any{"inputs": c.Inputs}
	params := map[string]any{}
	for k, v := range c.Parameters {
		params[k] = map[string]any{"name": v.Name, "in": v.In, "value": v.Value}
	}
	out["parameters"] = params
	succ := map[string]any{}
	for k, v := range c.SuccessActions {
		succ[k] = map[string]any{"name": v.Name, "type": v.Type}
	}
	out["successActions"] = succ
	fail := map[string]any{}
	for k, v := range c.FailureActions {
		fail[k] = map[string]any{"name": v.Name, "type": v.Type}
	}
	out["failureActions"] = fail
	return out
}

// wfState is the state of one workflow execution.
type wfState struct {
	wf      *arazzo.Workflow
	inputs  map[string]any
	outputs map[string]map[string]any // stepId -> outputs
	depth   int
}

func (x *run) baseContext(st *wfState) *expr.Context {
	return &expr.Context{
		Inputs:             st.inputs,
		Steps:              x.p.ids.steps(st.outputs),
		Workflows:          x.p.ids.workflows(x.workflowValues()),
		SourceDescriptions: x.srcFields,
		Components:         x.comps,
		Self:               x.p.doc.Self,
	}
}

// runWorkflow executes wf and returns its result; it never returns nil.
func (x *run) runWorkflow(ctx context.Context, wf *arazzo.Workflow, inputs map[string]any, depth int) *WorkflowResult {
	start := time.Now()
	wr := &WorkflowResult{WorkflowID: wf.WorkflowID, Outputs: map[string]any{}, Steps: []*StepResult{}}
	defer func() { wr.DurationMs = ms(time.Since(start)) }()
	if owner := x.p.owner(wf); owner != x.p {
		// A workflow of an Arazzo source runs with its own document's sources and components.
		defer x.enter(owner)()
	}
	x.stack = append(x.stack, wf.WorkflowID)
	defer func() { x.stack = x.stack[:len(x.stack)-1] }()
	if depth > x.p.opts.MaxDepth {
		wr.Error = fmt.Sprintf("workflow %q: %v (%d) in the calls %s: look for workflows that call each other",
			wf.WorkflowID, ErrMaxDepth, x.p.opts.MaxDepth, loopOf(x.stack))
		return wr
	}
	if inputs == nil {
		inputs = map[string]any{}
	}
	st := &wfState{wf: wf, inputs: inputs, outputs: map[string]map[string]any{}, depth: depth}
	x.setWorkflow(wf.WorkflowID, expr.WorkflowValues{Inputs: inputs, Outputs: map[string]any{}})

	success, errMsg := true, ""
	order := x.p.stepOrder(wf) // positions of the steps in execution order (STEP-17)
	var trail []string         // the steps run so far, to name a loop
	i := 0
	for i < len(order) {
		step := wf.Steps[order[i]]
		if ctx.Err() != nil {
			success, errMsg = false, fmt.Sprintf("interrupted before step %q", step.StepID)
			break
		}
		trail = append(trail, step.StepID)
		if x.steps >= x.p.opts.MaxSteps {
			success = false
			errMsg = fmt.Sprintf("step %q: %v (%d) in the loop %s: give the loop an exit, or raise --max-steps if it is meant",
				step.StepID, ErrMaxSteps, x.p.opts.MaxSteps, loopOf(trail))
			break
		}
		x.steps++
		var (
			sr   *StepResult
			next next
		)
		if err := x.checkStepDependsOn(st, step); err != nil {
			sr = &StepResult{StepID: step.StepID, Outputs: map[string]any{}, Attempts: 0, Error: err.Error()}
			next.kind = failWorkflow
		} else {
			sr, next = x.runStep(ctx, st, step)
		}
		if sr.Success {
			x.done[wf.WorkflowID+"\x00"+step.StepID] = true
		}
		wr.Steps = append(wr.Steps, sr)
		if x.p.opts.Observer != nil {
			x.p.opts.Observer(wf.WorkflowID, sr)
		}
		switch next.kind {
		case nextStep:
			i++
		case gotoStep:
			i = indexOfInt(order, wf.StepIndex(next.target))
		case endWorkflow:
			i = len(order)
			if !sr.Success {
				success, errMsg = false, sr.Error
			}
		case gotoWorkflow:
			// A one-way transfer (AMB-05): the target's status and outputs become this workflow's.
			target := x.p.workflowRef(next.target)
			sub := x.runWorkflow(ctx, target, next.inputs, depth+1)
			wr.Steps = append(wr.Steps, sub.Steps...)
			wr.TransferredTo = target.WorkflowID
			wr.Outputs = sub.Outputs
			wr.Success, wr.Error = sub.Success, sub.Error
			x.setWorkflow(wf.WorkflowID, expr.WorkflowValues{Inputs: inputs, Outputs: wr.Outputs})
			return wr
		case failWorkflow:
			success, errMsg = false, sr.Error
			i = len(order)
		}
	}
	wr.Success = success
	wr.Error = errMsg
	// Outputs are evaluated even after a failure (AMB-04); a value that refers to a step that
	// never ran is left out, not an error.
	c := x.baseContext(st)
	for _, o := range wf.Outputs {
		v, err := x.evalValue(o.Value, c)
		if err != nil {
			if success && !errors.Is(err, expr.ErrNotFound) {
				wr.Success = false
				wr.Error = fmt.Sprintf("workflow output %q: %v", o.Name, err)
			}
			continue
		}
		wr.Outputs[o.Name] = v
	}
	x.setWorkflow(wf.WorkflowID, expr.WorkflowValues{Inputs: inputs, Outputs: wr.Outputs})
	return wr
}

// loopOf names the loop at the end of a trail of ids: from the previous visit of the last id
// to it, e.g. "poll -> wait -> poll"; without a repeat, the last few ids.
func loopOf(trail []string) string {
	if len(trail) == 0 {
		return ""
	}
	last := trail[len(trail)-1]
	from := max(0, len(trail)-5)
	for j := len(trail) - 2; j >= 0; j-- {
		if trail[j] == last {
			from = j
			break
		}
	}
	return strings.Join(trail[from:], " -> ")
}

func indexOfInt(s []int, v int) int {
	for i, e := range s {
		if e == v {
			return i
		}
	}
	return len(s)
}

// checkStepDependsOn checks that the steps a 1.1 step dependsOn have completed (STEP-16): it
// only checks, it never runs them.
func (x *run) checkStepDependsOn(st *wfState, step *arazzo.Step) error {
	for _, dep := range step.DependsOn {
		wfID, stepID := st.wf.WorkflowID, dep
		if rest, ok := strings.CutPrefix(dep, "$workflows."); ok {
			w, s, found := strings.Cut(rest, ".steps.")
			if !found {
				return fmt.Errorf("step %q: dependsOn %q must be a stepId or $workflows.WORKFLOW.steps.STEP", step.StepID, dep)
			}
			wfID, stepID = w, s
		} else if strings.HasPrefix(dep, "$sourceDescriptions.") {
			return fmt.Errorf("step %q: dependsOn %q names a step of another Arazzo document, which this runner does not run", step.StepID, dep)
		}
		if !x.done[wfID+"\x00"+stepID] {
			if wfID == st.wf.WorkflowID {
				return fmt.Errorf("step %q: dependsOn step %q, which has not completed", step.StepID, stepID)
			}
			return fmt.Errorf("step %q: dependsOn step %q of workflow %q, which has not completed: add %q to the workflow's dependsOn", step.StepID, stepID, wfID, wfID)
		}
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type nextKind int

const (
	nextStep nextKind = iota
	gotoStep
	gotoWorkflow
	endWorkflow
	failWorkflow
)

type next struct {
	kind   nextKind
	target string
	inputs map[string]any
}

// outcome is what one attempt of a step produced, for criteria and outputs.
type outcome struct {
	ctx     *expr.Context
	failure *StepError
}

// runStep executes one step, with its retries, and decides where the workflow goes next.
func (x *run) runStep(ctx context.Context, st *wfState, step *arazzo.Step) (*StepResult, next) {
	start := time.Now()
	sr := &StepResult{StepID: step.StepID, Outputs: map[string]any{}}
	defer func() { sr.DurationMs = ms(time.Since(start)) }()
	retries := map[string]int{} // retry counts per failure action, reset on each entry (AMB-03)
	for {
		sr.Attempts++
		oc := x.attempt(ctx, st, step, sr)
		if ctx.Err() != nil {
			sr.Success = false
			if sr.Error == "" {
				sr.Error = fmt.Sprintf("step %q: interrupted: %v", step.StepID, ctx.Err())
			}
			return sr, next{kind: failWorkflow}
		}
		if oc.failure == nil {
			sr.Success = true
			sr.Error = ""
			x.stepOutputs(st, step, sr, oc.ctx)
			if sr.Error != "" {
				sr.Success = false
				return sr, next{kind: failWorkflow}
			}
			a, err := x.chooseSuccessAction(st, step, oc.ctx)
			if err != nil {
				sr.Success, sr.Error = false, fmt.Sprintf("step %q: %v", step.StepID, err)
				return sr, next{kind: failWorkflow}
			}
			if a == nil {
				return sr, next{kind: nextStep}
			}
			sr.Action = a.Type
			if n, ok := x.jump(ctx, st, sr, a.Type, a.StepID, a.WorkflowID, a.Parameters, oc.ctx); ok {
				return sr, n
			}
			return sr, next{kind: nextStep}
		}
		sr.Success = false
		sr.Error = oc.failure.Error()
		a, err := x.chooseFailureAction(st, step, oc.ctx, retries)
		if err != nil {
			sr.Error = fmt.Sprintf("%s; and %v", sr.Error, err)
			return sr, next{kind: failWorkflow}
		}
		if a == nil {
			return sr, next{kind: failWorkflow}
		}
		sr.Action = a.Type
		if n, ok := x.jump(ctx, st, sr, a.Type, a.StepID, a.WorkflowID, a.Parameters, oc.ctx); ok {
			return sr, n
		}
		switch a.Type {
		case "retry":
			retries[a.Name]++
			wait := time.Duration(a.RetryAfter * float64(time.Second))
			if d, ok := retryAfterHeader(oc.ctx, time.Now()); ok {
				wait = min(d, x.r.maxRetryAfter)
			}
			// A retry naming the step itself is a plain retry: running it as a "target" first
			// would nest a retry loop inside each attempt (issue 10: corpus polling loops).
			if (a.StepID != "" && a.StepID != step.StepID) || a.WorkflowID != "" {
				// Run the named target before retrying (spec: context transfers back after it).
				if fail := x.runRetryTarget(ctx, st, a, oc.ctx); fail != "" {
					sr.Error = fmt.Sprintf("%s; retry target: %s", sr.Error, fail)
					return sr, next{kind: failWorkflow}
				}
			}
			if err := x.r.sleep(ctx, wait); err != nil {
				sr.Error = fmt.Sprintf("%s; interrupted while waiting to retry: %v", sr.Error, err)
				return sr, next{kind: failWorkflow}
			}
			continue
		}
		return sr, next{kind: failWorkflow}
	}
}

// jump applies an action that leaves the step's sequence: end, or goto a step or a workflow
// (which may fail the step, in sr). ok is false for the other action types.
func (x *run) jump(ctx context.Context, st *wfState, sr *StepResult, typ, stepID, workflowID string, params []*arazzo.Parameter, c *expr.Context) (n next, ok bool) {
	switch typ {
	case "end":
		return next{kind: endWorkflow}, true
	case "goto":
		return x.gotoNext(ctx, st, sr, stepID, workflowID, params, c), true
	}
	return next{}, false
}

// gotoNext moves to a step of this workflow, or transfers to a workflow with its parameters as
// inputs (AMB-05); an unknown target or bad parameters fail the step, in sr.
func (x *run) gotoNext(ctx context.Context, st *wfState, sr *StepResult, stepID, workflowID string, params []*arazzo.Parameter, c *expr.Context) next {
	if stepID != "" {
		if st.wf.StepIndex(stepID) < 0 {
			sr.Success, sr.Error = false, fmt.Sprintf("step %q: goto unknown step %q in workflow %q", sr.StepID, stepID, st.wf.WorkflowID)
			return next{kind: failWorkflow}
		}
		sr.Action = "goto:" + stepID
		return next{kind: gotoStep, target: stepID}
	}
	target := resolveWorkflowRef(workflowID)
	w := x.p.workflowRef(workflowID)
	if w == nil {
		sr.Success, sr.Error = false, fmt.Sprintf("step %q: goto unknown workflow %q", sr.StepID, workflowID)
		return next{kind: failWorkflow}
	}
	in, err := x.workflowInputs(st, params, c)
	if err == nil && len(params) == 0 && x.p.doc.MinorVersion() == "1.0" {
		// AMB-05: 1.0 has no action parameters, so the target gets the current workflow's
		// inputs by name; in 1.1 its inputs are exactly the action's parameters (SACT-06).
		in = st.inputs
	}
	if err == nil {
		err = x.checkCalledInputs(w, in)
	}
	if err != nil {
		sr.Success, sr.Error = false, fmt.Sprintf("step %q: goto workflow %q: %v", sr.StepID, target, err)
		return next{kind: failWorkflow}
	}
	sr.Action = "goto:" + target
	return next{kind: gotoWorkflow, target: workflowID, inputs: in}
}

// runRetryTarget runs the step or workflow a retry action names before the retry.
func (x *run) runRetryTarget(ctx context.Context, st *wfState, a *arazzo.FailureAction, c *expr.Context) string {
	if a.StepID != "" {
		s := st.wf.Step(a.StepID)
		if s == nil {
			return fmt.Sprintf("unknown step %q", a.StepID)
		}
		if x.steps >= x.p.opts.MaxSteps {
			return fmt.Sprintf("%v (%d) before retry target %q: give the loop an exit, or raise --max-steps", ErrMaxSteps, x.p.opts.MaxSteps, a.StepID)
		}
		x.steps++
		sub, _ := x.runStep(ctx, st, s)
		if !sub.Success {
			return sub.Error
		}
		return ""
	}
	w := x.p.workflowRef(a.WorkflowID)
	if w == nil {
		return fmt.Sprintf("unknown workflow %q", a.WorkflowID)
	}
	in, err := x.workflowInputs(st, a.Parameters, c)
	if err == nil && len(a.Parameters) == 0 && x.p.doc.MinorVersion() == "1.0" {
		in = st.inputs // as for goto (AMB-05)
	}
	if err == nil {
		err = x.checkCalledInputs(w, in)
	}
	if err != nil {
		return err.Error()
	}
	sub := x.runWorkflow(ctx, w, in, st.depth+1)
	if !sub.Success {
		return sub.Error
	}
	return ""
}

func resolveWorkflowRef(id string) string {
	if rest, ok := strings.CutPrefix(id, "$sourceDescriptions."); ok {
		_, wf, _ := strings.Cut(rest, ".")
		return wf
	}
	return id
}

// stepOutputs evaluates a step's declared outputs into sr and the workflow state.
func (x *run) stepOutputs(st *wfState, step *arazzo.Step, sr *StepResult, c *expr.Context) {
	out := map[string]any{}
	if step.WorkflowID != "" && len(step.Outputs) == 0 && c.Outputs != nil {
		for k, v := range c.Outputs {
			out[k] = v
		}
	}
	for _, o := range step.Outputs {
		v, err := x.evalValue(o.Value, c)
		if err != nil {
			sr.Error = fmt.Sprintf("step %q: output %q: %v", step.StepID, o.Name, err)
			continue
		}
		out[o.Name] = v
	}
	sr.Outputs = out
	st.outputs[step.StepID] = out
}

// evalValue evaluates an output, parameter or payload value: a template string, a literal, or
// a structure holding templates.
func (x *run) evalValue(v any, c *expr.Context) (any, error) {
	switch t := v.(type) {
	case *arazzo.Selector:
		return evalSelector(t, c)
	case string:
		src := x.p.ids.rewrite(t)
		if exp, found := expr.ExpandStepsShorthand(src, x.p.stepDeclares); found != nil {
			if err := x.shorthand(t, found); err != nil {
				return nil, err
			}
			src = exp
		}
		tpl, err := expr.ParseTemplateLenient(src)
		if err != nil {
			return nil, err
		}
		if len(tpl.Unbraced()) > 0 {
			if err := x.unbraced(t); err != nil {
				return nil, err
			}
		}
		if tpl.IsLiteral() {
			return t, nil // as written, never with an id's stand-in
		}
		return tpl.Eval(c)
	case map[string]any:
		if sel, ok := asSelector(t); ok {
			return evalSelector(sel, c)
		}
		if hasSelector(t) {
			out := make(map[string]any, len(t))
			for k, e := range t {
				r, err := x.evalValue(e, c)
				if err != nil {
					return nil, fmt.Errorf("at %s: %w", k, err)
				}
				out[k] = r
			}
			return out, nil
		}
		return x.evalStructure(t, c)
	case []any:
		if hasSelector(t) {
			out := make([]any, len(t))
			for i, e := range t {
				r, err := x.evalValue(e, c)
				if err != nil {
					return nil, fmt.Errorf("at %d: %w", i, err)
				}
				out[i] = r
			}
			return out, nil
		}
		return x.evalStructure(t, c)
	}
	return v, nil
}

// hasSelector reports whether a payload holds a Selector Object at any depth (SEL-04).
func hasSelector(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		if _, ok := asSelector(t); ok {
			return true
		}
		for _, e := range t {
			if hasSelector(e) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if hasSelector(e) {
				return true
			}
		}
	}
	return false
}

// evalStructure evaluates the templates inside a map or slice, reading unbraced expressions
// the way evalValue does.
func (x *run) evalStructure(v any, c *expr.Context) (any, error) {
	var strictErr error
	// Shared: results are only read and serialised; buildBody copies a payload before its
	// replacements change it.
	out, err := expr.EvalValueWith(v, c, expr.EvalOptions{Lenient: true, Shared: true, Unbraced: func(text string) {
		if e := x.unbraced(text); e != nil && strictErr == nil {
			strictErr = e
		}
	}, Rewrite: x.p.ids.rewrite, StepOutput: x.p.stepDeclares, Shorthand: func(text string, found []string) {
		if e := x.shorthand(text, found); e != nil && strictErr == nil {
			strictErr = e
		}
	}})
	if strictErr != nil {
		return nil, strictErr
	}
	return out, err
}

// RuleUnbracedExpression is the id of the warning for an expression written in text without
// braces (WILD-06); the validator reports the same rule.
const RuleUnbracedExpression = "bare-embedded-expression"

// unbraced handles text holding an expression without braces: under RunOptions.Strict it is an
// error; otherwise the expression is evaluated as if braced and the run warns once per text.
func (x *run) unbraced(text string) error {
	if x.p.opts.Strict {
		return fmt.Errorf("%q holds a runtime expression without braces: write it as {$…} (strict mode sends such text literally only by refusing it) [%s]", text, RuleUnbracedExpression)
	}
	x.note(fmt.Sprintf("%q holds a runtime expression without braces; it was evaluated as if braced: write {$…} [%s]", text, RuleUnbracedExpression))
	return nil
}

// shorthand handles text that writes a step's declared output without `.outputs.` (WILD-02):
// under RunOptions.Strict it is an error; otherwise it was read as `$steps.S.outputs.NAME` and
// the run warns once per text.
func (x *run) shorthand(text string, found []string) error {
	msg, err := shorthandNote(text, found, x.p.opts.Strict)
	if err != nil {
		return fmt.Errorf("%w [%s]", err, arazzo.RuleStepsShorthand)
	}
	x.note(msg)
	return nil
}

// shorthandNote is the warning for text holding the shorthands found, or under strict the error
// (without the rule id, which the caller adds).
func shorthandNote(text string, found []string, strict bool) (string, error) {
	full := make([]string, len(found))
	for i, f := range found {
		full[i] = expr.StepsOutputForm(f)
	}
	if strict {
		return "", fmt.Errorf("%q leaves out .outputs. in %s: write %s (strict mode refuses it)", text, strings.Join(found, ", "), strings.Join(full, ", "))
	}
	return fmt.Sprintf("%q leaves out .outputs. in %s; it was read as %s: write that [%s]", text, strings.Join(found, ", "), strings.Join(full, ", "), arazzo.RuleStepsShorthand), nil
}

// setWorkflow records the inputs and outputs of workflow id of the current document.
func (x *run) setWorkflow(id string, v expr.WorkflowValues) {
	doc := x.p.doc
	if x.docWorkflows == nil {
		x.docWorkflows = map[*arazzo.Document]map[string]expr.WorkflowValues{}
	}
	own := x.docWorkflows[doc]
	if own == nil {
		own = map[string]expr.WorkflowValues{}
		x.docWorkflows[doc] = own
	}
	own[id] = v
	if doc == x.rootDoc || x.rootDoc == nil || x.rootDoc.Workflow(id) == nil {
		x.workflows[id] = v
	}
}

// workflowValues returns what $workflows reads in the current document: its own workflows'
// values over those of every workflow that has run.
func (x *run) workflowValues() map[string]expr.WorkflowValues {
	own := x.docWorkflows[x.p.doc]
	if len(x.docWorkflows) <= 1 || len(own) == 0 {
		return x.workflows
	}
	merged := make(map[string]expr.WorkflowValues, len(x.workflows)+len(own))
	for k, v := range x.workflows {
		merged[k] = v
	}
	for k, v := range own {
		merged[k] = v
	}
	return merged
}
