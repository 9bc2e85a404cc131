package runtime

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
)

// A dry run (RunOptions.DryRun) walks the first pass of every workflow: each step once, in
// document order, with no action followed, since choosing an action needs a response. Each
// request is built exactly as a real run would build it, credentials included, and kept as an
// Exchange with no response. Nothing is sent.
//
// A value that needs a response cannot be known, so it becomes a placeholder naming where it
// would come from: a step output is "<$steps.find.outputs.id>", and a later request that uses it
// shows that text. Criteria that read a response, or values that may be placeholders, are
// reported as skipped. A step fails only when its request cannot be built.

// dryRunner is a run that builds requests without sending them.
type dryRunner struct {
	*run
	placeholders []string // every placeholder handed out, to show them unescaped in URLs
}

func (r *Runner) dryRun(ctx context.Context, p *plan) (*Result, error) {
	res := &Result{Document: p.doc.File, Success: true, Workflows: []*WorkflowResult{}, Mocked: p.opts.Mock, DryRun: true}
	x := &dryRunner{run: &run{r: r, p: p, result: res, workflows: map[string]expr.WorkflowValues{}, rootDoc: p.doc}}
	x.srcFields = map[string]map[string]any{}
	for _, sd := range p.doc.SourceDescriptions {
		x.srcFields[sd.Name] = map[string]any{"name": sd.Name, "url": sd.URL, "type": sd.Type}
	}
	x.comps = componentValues(p.doc.Components)
	defer func() { res.Warnings = append(res.Warnings, p.warnings...) }()
	for _, wf := range p.order {
		wr := x.dryWorkflow(ctx, wf, p.inputs[wf.WorkflowID], 0)
		res.Workflows = append(res.Workflows, wr)
		if !wr.Success {
			res.Success = false
		}
		if ctx.Err() != nil {
			res.Success = false
			return res, ctx.Err()
		}
	}
	return res, nil
}

// dryWorkflow builds the requests of each step of wf in order.
func (x *dryRunner) dryWorkflow(ctx context.Context, wf *arazzo.Workflow, inputs map[string]any, depth int) *WorkflowResult {
	start := time.Now()
	wr := &WorkflowResult{WorkflowID: wf.WorkflowID, Success: true, Outputs: map[string]any{}, Steps: []*StepResult{}}
	defer func() { wr.DurationMs = ms(time.Since(start)) }()
	if owner := x.p.owner(wf); owner != x.p {
		defer x.enter(owner)()
	}
	if depth > x.p.opts.MaxDepth {
		wr.Success = false
		wr.Error = fmt.Sprintf("workflow %q: %v (%d): look for workflows that call each other", wf.WorkflowID, ErrMaxDepth, x.p.opts.MaxDepth)
		return wr
	}
	if inputs == nil {
		inputs = map[string]any{}
	}
	st := &wfState{wf: wf, inputs: inputs, outputs: map[string]map[string]any{}, depth: depth}
	x.setWorkflow(wf.WorkflowID, expr.WorkflowValues{Inputs: inputs, Outputs: map[string]any{}})
	for _, step := range wf.Steps {
		if ctx.Err() != nil {
			wr.Success, wr.Error = false, fmt.Sprintf("interrupted before step %q", step.StepID)
			break
		}
		sr := x.dryStep(ctx, st, step)
		wr.Steps = append(wr.Steps, sr)
		if x.p.opts.Observer != nil {
			x.p.opts.Observer(wf.WorkflowID, sr)
		}
		if !sr.Success && wr.Success {
			wr.Success, wr.Error = false, sr.Error
		}
	}
	c := x.baseContext(st)
	for _, o := range wf.Outputs {
		wr.Outputs[o.Name] = x.dryValue(o.Value, c, "")
	}
	x.setWorkflow(wf.WorkflowID, expr.WorkflowValues{Inputs: inputs, Outputs: wr.Outputs})
	return wr
}

// dryStep builds one step's request (or dry-runs the workflow it calls) and gives its outputs
// their values or placeholders. Later steps are built even when this one fails, so every
// problem shows at once.
func (x *dryRunner) dryStep(ctx context.Context, st *wfState, step *arazzo.Step) *StepResult {
	start := time.Now()
	sr := &StepResult{StepID: step.StepID, Attempts: 1, Success: true, Outputs: map[string]any{}}
	defer func() { sr.DurationMs = ms(time.Since(start)) }()
	c := x.baseContext(st)
	fail := func(err error) {
		sr.Success = false
		sr.Error = (&StepError{WorkflowID: st.wf.WorkflowID, StepID: step.StepID, Err: err}).Error()
	}
	if step.WorkflowID != "" {
		sr.WorkflowID = step.WorkflowID
		target := x.p.workflowRef(step.WorkflowID)
		in, err := x.workflowInputs(st, x.inputParams(st, step), c)
		switch {
		case err != nil:
			fail(err)
		case target == nil:
			fail(fmt.Errorf("unknown workflow %q", step.WorkflowID))
		default:
			sub := x.dryWorkflow(ctx, target, in, st.depth+1)
			c.Outputs = sub.Outputs
			if !sub.Success {
				fail(fmt.Errorf("workflow %q: %s", target.WorkflowID, sub.Error))
			}
		}
	} else {
		req, err := x.buildRequest(st, step, x.p.bound[step], c)
		if err != nil {
			fail(err)
		} else {
			shown := x.unescapePlaceholders(req.url.String())
			sr.Method, sr.URL = req.method, shown
			c.Method, c.URL = req.method, shown
			c.Request = &expr.Message{Header: req.header, Query: req.query, Path: req.path, Body: req.bodyVal}
			sr.Exchanges = append(sr.Exchanges, &Exchange{Started: start, Method: req.method, URL: shown,
				RequestHeader: req.header, RequestBody: req.body, Secrets: req.secrets})
		}
	}
	for _, cr := range step.SuccessCriteria {
		if needsResponse(cr.Condition) || needsResponse(cr.Context) {
			sr.Criteria = append(sr.Criteria, CriterionResult{Condition: cr.Condition, Type: cr.Type, Skipped: true})
			continue
		}
		sr.Criteria = append(sr.Criteria, x.evalCriterion(cr, c))
	}
	out := map[string]any{}
	if step.WorkflowID != "" && len(step.Outputs) == 0 {
		for k, v := range c.Outputs {
			out[k] = v
		}
	}
	for _, o := range step.Outputs {
		out[o.Name] = x.dryValue(o.Value, c, "$steps."+step.StepID+".outputs."+o.Name)
	}
	sr.Outputs = out
	st.outputs[step.StepID] = out
	return sr
}

// dryValue evaluates v when it needs no response; otherwise, or when it cannot be evaluated,
// it returns a placeholder: "<name>" when name is given, else "<v>".
func (x *dryRunner) dryValue(v any, c *expr.Context, name string) any {
	text, isString := v.(string)
	if !isString || !readsResponse(text) {
		if got, err := x.evalValue(v, c); err == nil {
			return got
		}
	}
	if name == "" {
		name = fmt.Sprint(v)
		if isString {
			name = text
		}
	}
	ph := "<" + name + ">"
	x.placeholders = append(x.placeholders, ph)
	return ph
}

// unescapePlaceholders shows the placeholders of a URL as they were written, not
// percent-encoded, so a reader sees which value is missing.
func (x *dryRunner) unescapePlaceholders(u string) string {
	for _, ph := range x.placeholders {
		u = strings.ReplaceAll(u, url.PathEscape(ph), ph)
		u = strings.ReplaceAll(u, url.QueryEscape(ph), ph)
	}
	return u
}

// readsResponse reports whether an expression reads the response a dry run does not have.
func readsResponse(s string) bool {
	return strings.Contains(s, "$statusCode") || strings.Contains(s, "$response")
}

// needsResponse reports whether an expression or condition reads something a dry run cannot
// know: the response, or outputs that may be placeholders.
func needsResponse(s string) bool {
	for _, k := range []string{"$statusCode", "$response", "$outputs", "$steps.", "$workflows."} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}
