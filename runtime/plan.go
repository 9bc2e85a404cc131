package runtime

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
	"github.com/arazzo-runner/arazzo/openapi"
)

// Rule ids of findings the runtime reports while planning a run.
const (
	RuleSourceLoad        = "source-unloadable"
	RuleUnknownOperation  = "unknown-operation"
	RuleAmbiguousOp       = "ambiguous-operation"
	RuleUnknownWorkflow   = "unknown-workflow"
	RuleDependsOnCycle    = "depends-on-cycle"
	RuleExpressionSyntax  = "expression-syntax"
	RuleNoServer          = "no-server"
	RuleUnsupportedSource = "unsupported-source"
	RuleAsyncStep         = "async-not-supported"
	RuleNoTarget          = "step-without-target"
	// RuleUnsupportedVersion, RuleSelfFragment, RuleStepOrder and RuleForwardReference are
	// findings of checkDocument and of step ordering.
	RuleUnsupportedVersion = "unsupported-version"
	RuleSelfFragment       = "self-fragment"
	RuleStepOrder          = "step-depends-on-cycle"
	RuleForwardReference   = "forward-step-reference"
)

// source is one loaded source description.
type source struct {
	sd   *arazzo.SourceDescription
	desc *openapi.Description
	// base overrides the operation servers (from --server or the mock); empty uses them.
	base string
	// mocked says the source's requests go to the in-process mock.
	mocked bool
}

// boundStep is a step tied to what it calls.
type boundStep struct {
	op      *openapi.Operation
	src     *source
	baseURL string
}

type plan struct {
	doc      *arazzo.Document
	opts     *RunOptions
	ids      *idAliases // stand-ins for ids outside [A-Za-z0-9_-] (WILD-05), nil when none
	sources  map[string]*source
	order    []*arazzo.Workflow
	bound    map[*arazzo.Step]*boundStep
	inputs   map[string]map[string]any
	conds    map[string]*expr.Condition
	warnings []string
	closers  []func()
	// generated holds the inputs generated per workflow (RunOptions.GenerateInputs).
	generated map[string]map[string]any
	// orders holds the execution order of each workflow's steps, as positions in Steps, when it
	// differs from the array order (1.1 dependsOn, STEP-17).
	orders map[*arazzo.Workflow][]int
	// children are the plans of the Arazzo source descriptions, by source name; set is shared
	// by every plan of the run and level is how deep this document nests (0 for the entry one).
	children map[string]*plan
	set      *docSet
	level    int
}

func newPlan(doc *arazzo.Document, opts *RunOptions) *plan {
	return &plan{doc: doc, opts: opts, ids: newIDAliases(doc), sources: map[string]*source{}, bound: map[*arazzo.Step]*boundStep{},
		conds: map[string]*expr.Condition{}, inputs: map[string]map[string]any{}, orders: map[*arazzo.Workflow][]int{},
		children: map[string]*plan{}}
}

// stepOrder returns the positions of wf's steps in the order they run.
func (p *plan) stepOrder(wf *arazzo.Workflow) []int {
	if o, ok := p.orders[wf]; ok {
		return o
	}
	o := make([]int, len(wf.Steps))
	for i := range o {
		o[i] = i
	}
	return o
}

func (p *plan) close() {
	closers := p.closers
	p.closers = nil // a plan reached twice (GEN-11 reuse, a cycle) closes once
	for _, c := range closers {
		c()
	}
}

func (p *plan) diag(pos arazzo.Pos, rule, format string, args ...any) arazzo.Diagnostic {
	return arazzo.Diagnostic{File: p.doc.File, Line: pos.Line, Col: pos.Col, Severity: arazzo.SeverityError,
		Rule: rule, Message: fmt.Sprintf(format, args...)}
}

func (r *Runner) plan(ctx context.Context, doc *arazzo.Document, opts *RunOptions) (_ *plan, err error) {
	p := newPlan(doc, opts)
	p.set = &docSet{byLoc: map[string]*plan{}, bySelf: map[string]*plan{}, owner: map[*arazzo.Workflow]*plan{}}
	p.set.register(p)
	defer func() {
		if err != nil {
			p.close()
		}
	}()
	for _, w := range doc.Warnings {
		p.warnings = append(p.warnings, w.Error())
	}
	if err := p.checkDocument(); err != nil {
		return nil, err
	}
	if err := r.loadArazzoSources(ctx, p); err != nil {
		return nil, err
	}
	if err := p.checkOptions(); err != nil {
		return nil, err
	}
	order, err := p.workflowOrder()
	if err != nil {
		return nil, err
	}
	p.order = order
	// Generated inputs are made after the steps are bound, so that an input the workflow's
	// schema leaves loose can follow the schema of the parameter or body field it feeds.
	if !opts.GenerateInputs {
		if err := p.bindInputs(); err != nil {
			return nil, err
		}
	} else if !opts.Mock {
		return nil, setupErrorf("generated inputs are only for mock runs: pass --mock, or give every input")
	}
	needed := p.neededSources()
	if err := r.loadSources(ctx, p, needed); err != nil {
		p.close()
		return nil, err
	}
	var diags arazzo.Diagnostics
	for _, wf := range p.reachable() {
		if p.owner(wf) == p { // the plans of Arazzo sources bound all of theirs
			diags = append(diags, p.bindWorkflow(wf)...)
		}
	}
	if len(diags) > 0 {
		p.close()
		return nil, &SetupError{Err: diags}
	}
	if opts.GenerateInputs {
		if err := p.bindInputs(); err != nil {
			p.close()
			return nil, err
		}
	}
	return p, nil
}

// checkDocument refuses documents whose version this runner does not implement (GEN-02,
// DOC-01) and a `$self` with a fragment (DOC-06), before anything is loaded.
func (p *plan) checkDocument() error {
	switch p.doc.MinorVersion() {
	case "1.0", "1.1":
	default:
		return &SetupError{Err: arazzo.Diagnostics{p.diag(p.doc.Pos, RuleUnsupportedVersion,
			"arazzo version %q is not supported: use 1.0.x or 1.1.x", p.doc.Arazzo)}}
	}
	if strings.Contains(p.doc.Self, "#") {
		return &SetupError{Err: arazzo.Diagnostics{p.diag(p.doc.Pos, RuleSelfFragment,
			"$self %q must not contain a fragment: remove the part from #", p.doc.Self)}}
	}
	return nil
}

func (p *plan) checkOptions() error {
	for name := range p.opts.Servers {
		if name != "" && !p.hasSourceAnywhere(name) {
			return setupErrorf("--server %s=…: the document has no source description %q (it has %s)", name, name, p.sourceNames())
		}
	}
	for name := range p.opts.Sources {
		if !p.hasSourceAnywhere(name) {
			return setupErrorf("--source %s=…: the document has no source description %q (it has %s)", name, name, p.sourceNames())
		}
	}
	for _, c := range p.opts.Auth {
		if c.Source != "" && !p.hasSourceAnywhere(c.Source) {
			return setupErrorf("--auth %s.%s=…: the document has no source description %q (it has %s)", c.Source, c.Scheme, c.Source, p.sourceNames())
		}
	}
	return nil
}

func (p *plan) sourceNames() string {
	names := make([]string, len(p.doc.SourceDescriptions))
	for i, s := range p.doc.SourceDescriptions {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

func (p *plan) workflowIDs() string {
	ids := make([]string, len(p.doc.Workflows))
	for i, w := range p.doc.Workflows {
		ids[i] = w.WorkflowID
	}
	return strings.Join(ids, ", ")
}

// workflowOrder lists the workflows to run at top level: the selected one after its
// dependencies, or all of them, each after what it dependsOn. A cycle is a setup error naming it.
func (p *plan) workflowOrder() ([]*arazzo.Workflow, error) {
	var order []*arazzo.Workflow
	state := map[*arazzo.Workflow]int{} // 1 visiting, 2 done
	var visit func(w *arazzo.Workflow, path []string) error
	visit = func(w *arazzo.Workflow, path []string) error {
		switch state[w] {
		case 2:
			return nil
		case 1:
			cycle := append(path[indexOf(path, w.WorkflowID):], w.WorkflowID)
			return &SetupError{Err: arazzo.Diagnostics{p.diag(w.Pos, RuleDependsOnCycle,
				"workflow dependsOn cycle %s: remove one of these dependencies", strings.Join(cycle, " -> "))}}
		}
		state[w] = 1
		owner := p.owner(w) // a workflow of an Arazzo source resolves its dependsOn in its document
		for _, dep := range w.DependsOn {
			dw := owner.doc.Workflow(dep)
			if strings.HasPrefix(dep, "$sourceDescriptions.") {
				dw = owner.workflowRef(dep)
			}
			if dw == nil {
				if name, _, ok := arazzoSourceRef(owner, dep); ok {
					return &SetupError{Err: arazzo.Diagnostics{owner.diag(w.Pos, RuleUnknownWorkflow,
						"workflow %q dependsOn %q, which the Arazzo source %q does not have", w.WorkflowID, dep, name)}}
				}
				return &SetupError{Err: arazzo.Diagnostics{owner.diag(w.Pos, RuleUnknownWorkflow,
					"workflow %q dependsOn unknown workflow %q (the document has %s)", w.WorkflowID, dep, owner.workflowIDs())}}
			}
			if err := visit(dw, append(path, w.WorkflowID)); err != nil {
				return err
			}
		}
		state[w] = 2
		order = append(order, w)
		return nil
	}
	if p.opts.WorkflowID != "" {
		w := p.doc.Workflow(p.opts.WorkflowID)
		if w == nil {
			return nil, setupErrorf("workflow %q not found: the document has %s", p.opts.WorkflowID, p.workflowIDs())
		}
		return order, visit(w, nil)
	}
	for _, w := range p.doc.Workflows {
		if err := visit(w, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func indexOf(s []string, v string) int {
	for i, e := range s {
		if e == v {
			return i
		}
	}
	return 0
}

// reachable lists the workflows a run may execute: the top-level ones and every workflow a step
// or an action of theirs calls, transitively.
func (p *plan) reachable() []*arazzo.Workflow {
	seen := map[*arazzo.Workflow]bool{}
	var out []*arazzo.Workflow
	var add func(w *arazzo.Workflow)
	add = func(w *arazzo.Workflow) {
		if w == nil || seen[w] {
			return
		}
		seen[w] = true
		out = append(out, w)
		// References are followed into Arazzo sources and back, so that a workflow of this
		// document reached only through another document is bound too.
		ref := p.owner(w).workflowRef
		for _, s := range w.Steps {
			if s.WorkflowID != "" {
				add(ref(s.WorkflowID))
			}
			for _, a := range s.OnSuccess {
				add(ref(a.WorkflowID))
			}
			for _, a := range s.OnFailure {
				add(ref(a.WorkflowID))
			}
		}
		for _, a := range w.SuccessActions {
			add(ref(a.WorkflowID))
		}
		for _, a := range w.FailureActions {
			add(ref(a.WorkflowID))
		}
	}
	for _, w := range p.order {
		add(w)
	}
	return out
}

// neededSources names the source descriptions the reachable steps may call. A document with one
// source needs it whatever the steps say.
func (p *plan) neededSources() map[string]bool {
	need := map[string]bool{}
	for _, sd := range p.doc.SourceDescriptions {
		if sd.Type == "" || sd.Type == "openapi" {
			need[sd.Name] = true
		}
	}
	return need
}

// sourceLocation resolves a source url against the document's own location.
func (p *plan) sourceLocation(sd *arazzo.SourceDescription) string {
	return p.resolveSource(sd, true)
}

// resolveSource resolves a source url against `$self` (when useSelf and the document has one)
// or else the document's own location. It never changes the document, which concurrent runs
// share.
func (p *plan) resolveSource(sd *arazzo.SourceDescription, useSelf bool) string {
	loc := sd.URL
	if o, ok := p.opts.Sources[sd.Name]; ok {
		return o
	}
	if u, err := url.Parse(loc); err == nil && u.Scheme != "" && u.Scheme != "file" {
		return loc
	}
	base := p.doc.File
	if self := p.selfBase(); useSelf && self != "" {
		base = self
	}
	if bu, err := url.Parse(base); err == nil && (bu.Scheme == "http" || bu.Scheme == "https") {
		if ref, err := url.Parse(loc); err == nil {
			return bu.ResolveReference(ref).String()
		}
	}
	loc = strings.TrimPrefix(loc, "file://")
	if filepath.IsAbs(loc) || base == "" || base == "-" {
		return loc
	}
	return filepath.Join(filepath.Dir(base), filepath.FromSlash(loc))
}

// selfBase is the base URI `$self` gives (GEN-12): an absolute `$self` as is, a relative one
// resolved against the document's location. Empty when the document has no `$self`.
func (p *plan) selfBase() string {
	if p.doc.Self == "" {
		return ""
	}
	self, err := url.Parse(p.doc.Self)
	if err != nil {
		return ""
	}
	if self.IsAbs() {
		if self.Scheme == "file" {
			return self.Path
		}
		return self.String()
	}
	file := p.doc.File
	if fu, err := url.Parse(file); err == nil && (fu.Scheme == "http" || fu.Scheme == "https") {
		return fu.ResolveReference(self).String()
	}
	if file == "" || file == "-" {
		return filepath.FromSlash(self.Path)
	}
	return filepath.Join(filepath.Dir(file), filepath.FromSlash(self.Path))
}

// retrievalLocation resolves a source url against the document's own location, ignoring
// `$self`: the fallback GEN-11 allows when the `$self`-based location does not load.
func (p *plan) retrievalLocation(sd *arazzo.SourceDescription) string {
	return p.resolveSource(sd, false)
}

func (r *Runner) loadSources(ctx context.Context, p *plan, need map[string]bool) error {
	var diags arazzo.Diagnostics
	for _, sd := range p.doc.SourceDescriptions {
		if !need[sd.Name] || p.children[sd.Name] != nil {
			continue
		}
		if err := p.checkSourceURL(sd); err != nil {
			diags = append(diags, p.diag(sd.Pos, RuleSourceLoad, "source description %q: %v", sd.Name, err))
			continue
		}
		loc := p.sourceLocation(sd)
		desc, err := r.loader.Load(ctx, loc)
		if alt := p.retrievalLocation(sd); err != nil && ctx.Err() == nil && p.doc.Self != "" && alt != loc {
			if d2, err2 := r.loader.Load(ctx, alt); err2 == nil {
				p.warnings = append(p.warnings, fmt.Sprintf("source %q did not load from %s (its url resolved against $self): loaded %s instead", sd.Name, loc, alt))
				desc, err = d2, nil
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			diags = append(diags, p.diag(sd.Pos, RuleSourceLoad, "source description %q: %v: fix its url or pass --source %s=PATH", sd.Name, err, sd.Name))
			continue
		}
		if sd.Type == "" && desc == nil {
			continue
		}
		for _, w := range desc.Warnings {
			p.warnings = append(p.warnings, fmt.Sprintf("source %q: %s", sd.Name, w))
		}
		src := &source{sd: sd, desc: desc}
		if u, ok := p.opts.Servers[sd.Name]; ok {
			src.base = u
		} else if u, ok := p.opts.Servers[""]; ok {
			src.base = u
		}
		p.sources[sd.Name] = src
	}
	if len(diags) > 0 {
		return &SetupError{Err: diags}
	}
	if p.opts.Mock {
		if err := startMocks(p); err != nil {
			return &SetupError{Err: err}
		}
	}
	return nil
}

func (p *plan) bindWorkflow(wf *arazzo.Workflow) arazzo.Diagnostics {
	diags := p.nearMisses(wf)
	for _, s := range wf.Steps {
		switch {
		case p.isAsyncStep(s):
			// ASYNC-01 to ASYNC-09: AsyncAPI steps are parsed and validated, but this runner
			// has no message broker client, so a run that would reach one stops before any
			// request is sent.
			diags = append(diags, p.diag(s.Pos, RuleAsyncStep, "step %q of workflow %q is an AsyncAPI step (action %q), which this runner does not execute: run a workflow without AsyncAPI steps", s.StepID, wf.WorkflowID, s.Action))
		case s.WorkflowID != "":
			if name, id, ok := arazzoSourceRef(p, s.WorkflowID); ok {
				if p.workflowRef(s.WorkflowID) == nil {
					diags = append(diags, p.diag(s.Pos, RuleUnknownWorkflow, "step %q calls workflow %q, which the Arazzo source %q does not have (it has %s)", s.StepID, id, name, p.children[name].workflowIDs()))
				}
			} else if p.doc.Workflow(s.WorkflowID) == nil {
				diags = append(diags, p.diag(s.Pos, RuleUnknownWorkflow, "step %q calls unknown workflow %q (the document has %s)", s.StepID, s.WorkflowID, p.workflowIDs()))
			}
		case s.OperationID != "" || s.OperationPath != "":
			b, d := p.bindOperation(s)
			if d != nil {
				diags = append(diags, *d)
				continue
			}
			p.bound[s] = b
		default:
			diags = append(diags, p.diag(s.Pos, RuleNoTarget, "step %q has none of operationId, operationPath or workflowId: give it one", s.StepID))
		}
		diags = append(diags, p.compileCriteria(s)...)
	}
	if d := p.orderSteps(wf); d != nil {
		diags = append(diags, *d)
	}
	return diags
}

// nearMisses notes the ids outside `[A-Za-z0-9_-]` (WILD-05) and the literal outputs (WILD-04)
// of wf, which run as written; under strict mode each is an error instead.
func (p *plan) nearMisses(wf *arazzo.Workflow) arazzo.Diagnostics {
	read := map[string]string{
		arazzo.RuleIDCharacters:  "it runs, and expressions find it by its exact text",
		arazzo.RuleLiteralOutput: "it was used as the value",
	}
	var diags arazzo.Diagnostics
	for _, m := range wf.NearMisses() {
		if p.opts.Strict {
			diags = append(diags, p.diag(m.Pos, m.Rule, "%s: %s (strict mode refuses it)", m.What, m.Fix))
			continue
		}
		if w := m.What + "; " + read[m.Rule] + ": " + m.Fix + " [" + m.Rule + "]"; !slices.Contains(p.warnings, w) {
			p.warnings = append(p.warnings, w)
		}
	}
	return diags
}

// arazzoSourceRef reads `$sourceDescriptions.NAME.ID` where NAME is a loaded Arazzo source.
func arazzoSourceRef(p *plan, ref string) (name, id string, ok bool) {
	rest, found := strings.CutPrefix(ref, "$sourceDescriptions.")
	if !found {
		return "", "", false
	}
	name, id, _ = strings.Cut(rest, ".")
	return name, id, p.children[name] != nil
}

// isAsyncStep reports whether a step targets an AsyncAPI operation: it has a channelPath or an
// action, or its operationId names an asyncapi source.
func (p *plan) isAsyncStep(s *arazzo.Step) bool {
	if s.ChannelPath != "" || s.Action != "" || s.CorrelationID != "" {
		return true
	}
	if rest, ok := strings.CutPrefix(s.OperationID, "$sourceDescriptions."); ok {
		name, _, _ := strings.Cut(rest, ".")
		if sd := p.doc.SourceDescription(name); sd != nil && sd.Type == "asyncapi" {
			return true
		}
	}
	return false
}

var stepRefRe = regexp.MustCompile(`\$steps\.([A-Za-z0-9_\-]+)\.`)

// stepRefs lists the steps of wf whose outputs a step reads through $steps.<id>.outputs (its
// implicit dependencies, STEP-17), by position, leaving out the step itself.
func stepRefs(wf *arazzo.Workflow, s *arazzo.Step) []int {
	var out []int
	seen := map[int]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case string:
			for _, m := range stepRefRe.FindAllStringSubmatch(t, -1) {
				if i := wf.StepIndex(m[1]); i >= 0 && m[1] != s.StepID && !seen[i] {
					seen[i] = true
					out = append(out, i)
				}
			}
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		case *arazzo.Selector:
			walk(t.Context)
		}
	}
	for _, prm := range s.Parameters {
		walk(prm.Value)
		if prm.Ref != nil {
			walk(prm.Ref.Value)
		}
	}
	if s.RequestBody != nil {
		walk(s.RequestBody.Payload)
		for _, r := range s.RequestBody.Replacements {
			walk(r.Value)
		}
	}
	for _, c := range s.SuccessCriteria {
		walk(c.Condition)
		walk(c.Context)
	}
	return out
}

// orderSteps decides the order of wf's steps (STEP-16, STEP-17). Without any step dependsOn
// the array order stands (STEP-18), and in a 1.1 document a step that reads the outputs of a
// later step is reported as a warning. With dependsOn, steps run in array order except that
// each runs after the steps it dependsOn and the steps whose outputs it reads; a cycle is an
// error naming it.
func (p *plan) orderSteps(wf *arazzo.Workflow) *arazzo.Diagnostic {
	uses := false
	for _, s := range wf.Steps {
		if len(s.DependsOn) > 0 {
			uses = true
		}
	}
	if !uses {
		if p.doc.MinorVersion() == "1.1" {
			for i, s := range wf.Steps {
				for _, j := range stepRefs(wf, s) {
					if j > i {
						p.warnings = append(p.warnings, fmt.Sprintf("workflow %q: step %q reads the outputs of the later step %q: move it after that step or add dependsOn [%s] [%s]",
							wf.WorkflowID, s.StepID, wf.Steps[j].StepID, wf.Steps[j].StepID, RuleForwardReference))
					}
				}
			}
		}
		return nil
	}
	deps := make([][]int, len(wf.Steps))
	for i, s := range wf.Steps {
		deps[i] = stepRefs(wf, s)
		for _, d := range s.DependsOn {
			if j := wf.StepIndex(d); j >= 0 && j != i {
				deps[i] = append(deps[i], j)
			}
		}
	}
	order := make([]int, 0, len(wf.Steps))
	placed := make([]bool, len(wf.Steps))
	for len(order) < len(wf.Steps) {
		progress := false
		for i := range wf.Steps {
			if placed[i] {
				continue
			}
			ready := true
			for _, j := range deps[i] {
				if !placed[j] {
					ready = false
					break
				}
			}
			if ready {
				placed[i], progress = true, true
				order = append(order, i)
				break // restart from the first step, so the array order wins among ready steps
			}
		}
		if !progress {
			var stuck []string
			for i, s := range wf.Steps {
				if !placed[i] {
					stuck = append(stuck, s.StepID)
				}
			}
			d := p.diag(wf.Pos, RuleStepOrder, "workflow %q: steps %s depend on each other in a cycle (dependsOn or $steps references): break the cycle",
				wf.WorkflowID, strings.Join(stuck, ", "))
			return &d
		}
	}
	p.orders[wf] = order
	return nil
}

func (p *plan) bindOperation(s *arazzo.Step) (*boundStep, *arazzo.Diagnostic) {
	var (
		op  *openapi.Operation
		src *source
	)
	if s.OperationPath != "" {
		name, ptr, nearMiss, ok := splitOperationPath(s.OperationPath, p)
		if !ok {
			d := p.diag(s.Pos, RuleUnknownOperation, "step %q: operationPath %q must look like {$sourceDescriptions.NAME.url}#/paths/~1path/method", s.StepID, s.OperationPath)
			return nil, &d
		}
		if nearMiss {
			msg := fmt.Sprintf("step %q: operationPath %q names the source without the url expression; write {$sourceDescriptions.%s.url}#%s", s.StepID, s.OperationPath, name, ptr)
			if p.opts.Strict {
				d := p.diag(s.Pos, RuleUnbracedExpression, "%s (strict mode refuses it)", msg)
				return nil, &d
			}
			msg += " [" + RuleUnbracedExpression + "]"
			if !slices.Contains(p.warnings, msg) {
				p.warnings = append(p.warnings, msg)
			}
		}
		src = p.sources[name]
		if src == nil {
			d := p.diag(s.Pos, RuleUnknownOperation, "step %q: operationPath names source %q, which is not an OpenAPI source of this document (it has %s)", s.StepID, name, p.sourceNames())
			return nil, &d
		}
		o, err := src.desc.OperationByPointer(ptr)
		if err != nil {
			d := p.diag(s.Pos, RuleUnknownOperation, "step %q: operationPath %q: %v", s.StepID, s.OperationPath, err)
			return nil, &d
		}
		op = o
	} else {
		id := s.OperationID
		if rest, ok := strings.CutPrefix(id, "$sourceDescriptions."); ok {
			name, opID, _ := strings.Cut(rest, ".")
			src = p.sources[name]
			if src == nil {
				d := p.diag(s.Pos, RuleUnknownOperation, "step %q: operationId %q names source %q, which is not an OpenAPI source of this document (it has %s)", s.StepID, id, name, p.sourceNames())
				return nil, &d
			}
			o, ok := src.desc.OperationByID(opID)
			if !ok {
				d := p.diag(s.Pos, RuleUnknownOperation, "step %q: operationId %q not found in source %q", s.StepID, opID, name)
				return nil, &d
			}
			op = o
		} else {
			var found []string
			for _, sd := range p.doc.SourceDescriptions {
				cand := p.sources[sd.Name]
				if cand == nil {
					continue
				}
				if o, ok := cand.desc.OperationByID(id); ok {
					if op == nil {
						op, src = o, cand
					}
					found = append(found, sd.Name)
				}
			}
			switch {
			case len(found) == 0:
				d := p.diag(s.Pos, RuleUnknownOperation, "step %q: operationId %q not found in %s: check the spelling or the source description", s.StepID, id, p.sourceNames())
				return nil, &d
			case len(found) > 1:
				d := p.diag(s.Pos, RuleAmbiguousOp, "step %q: operationId %q is in sources %s: qualify it as $sourceDescriptions.%s.%s", s.StepID, id, strings.Join(found, " and "), found[0], id)
				return nil, &d
			}
		}
	}
	base, err := p.baseURL(src, op)
	if err != nil {
		d := p.diag(s.Pos, RuleNoServer, "step %q: %v", s.StepID, err)
		return nil, &d
	}
	return &boundStep{op: op, src: src, baseURL: base}, nil
}

// splitOperationPath reads `{$sourceDescriptions.NAME.url}#/paths/...` (or the source's url
// written out) and tolerates the near-misses `NAME#/paths/...` and `$sourceDescriptions.NAME#...`
// without braces (WILD-03), for which nearMiss is true.
func splitOperationPath(s string, p *plan) (name, ptr string, nearMiss, ok bool) {
	ref, ptr, found := strings.Cut(s, "#")
	if !found {
		return "", "", false, false
	}
	ref = strings.TrimSpace(ref)
	if inner, ok := strings.CutPrefix(ref, "{$sourceDescriptions."); ok {
		inner = strings.TrimSuffix(inner, "}")
		name, _, _ = strings.Cut(inner, ".")
		return name, ptr, false, true
	}
	for _, sd := range p.doc.SourceDescriptions {
		if sd.URL == ref {
			return sd.Name, ptr, false, true
		}
	}
	bare := ref
	if rest, ok := strings.CutPrefix(ref, "$sourceDescriptions."); ok {
		bare, _, _ = strings.Cut(rest, ".")
	}
	if p.doc.SourceDescription(bare) != nil {
		return bare, ptr, true, true
	}
	return "", "", false, false
}

// baseURL picks where an operation's requests go: --server (or the mock) for its source, else
// the operation's first server with its variables resolved.
func (p *plan) baseURL(src *source, op *openapi.Operation) (string, error) {
	if src.base != "" {
		return strings.TrimRight(src.base, "/"), nil
	}
	servers := op.Servers
	if len(servers) == 0 {
		servers = src.desc.Servers
	}
	if len(servers) == 0 {
		return "", fmt.Errorf("source %q declares no servers: pass --server %s=URL", src.sd.Name, src.sd.Name)
	}
	u, err := servers[0].Resolve(p.opts.ServerVars)
	if err != nil {
		return "", fmt.Errorf("source %q: %w: pass --server-var NAME=VALUE", src.sd.Name, err)
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("source %q: server url %q: %w", src.sd.Name, u, err)
	}
	if !parsed.IsAbs() {
		loc := p.sourceLocation(src.sd)
		if lu, err := url.Parse(loc); err == nil && (lu.Scheme == "http" || lu.Scheme == "https") {
			return strings.TrimRight(lu.ResolveReference(parsed).String(), "/"), nil
		}
		return "", fmt.Errorf("source %q has the relative server url %q: pass --server %s=URL", src.sd.Name, u, src.sd.Name)
	}
	return strings.TrimRight(u, "/"), nil
}

// compileCriteria compiles every simple condition of a step and its actions once, so a syntax
// error stops the run before any request.
func (p *plan) compileCriteria(s *arazzo.Step) arazzo.Diagnostics {
	var diags arazzo.Diagnostics
	check := func(cs []*arazzo.Criterion) {
		for _, c := range cs {
			if c.Type != "" && c.Type != "simple" {
				continue
			}
			if _, ok := p.conds[c.Condition]; ok {
				continue
			}
			pos := c.ConditionPos
			if pos.Line == 0 {
				pos = c.Pos
			}
			src, err := p.expandCondition(c.Condition)
			if err != nil {
				diags = append(diags, p.diag(pos, arazzo.RuleStepsShorthand, "step %q: condition %v", s.StepID, err))
				continue
			}
			cond, err := expr.CompileCondition(src)
			if err != nil {
				diags = append(diags, p.diag(pos, RuleExpressionSyntax, "step %q: condition %q: %v", s.StepID, c.Condition, err))
				continue
			}
			p.conds[c.Condition] = cond
		}
	}
	check(s.SuccessCriteria)
	for _, a := range s.OnSuccess {
		check(a.Criteria)
	}
	for _, a := range s.OnFailure {
		check(a.Criteria)
	}
	return diags
}

// condition returns the compiled condition, compiling ones met only at run time (workflow-level
// and component actions).
func (p *plan) condition(src string) (*expr.Condition, error) {
	if c, ok := p.conds[src]; ok {
		return c, nil
	}
	expanded, err := p.expandCondition(src)
	if err != nil {
		return nil, err
	}
	c, err := expr.CompileCondition(expanded)
	if err != nil {
		return nil, err
	}
	p.conds[src] = c
	return c, nil
}

// expandCondition reads `$steps.S.NAME` in a condition as `$steps.S.outputs.NAME` where step S
// declares output NAME (WILD-02), with a warning; under strict mode it is an error.
func (p *plan) expandCondition(orig string) (string, error) {
	src := p.ids.rewrite(orig)
	exp, found := expr.ExpandStepsShorthand(src, p.stepDeclares)
	if found == nil {
		return src, nil
	}
	msg, err := shorthandNote(orig, found, p.opts.Strict)
	if err != nil {
		return "", err
	}
	if !slices.Contains(p.warnings, msg) {
		p.warnings = append(p.warnings, msg)
	}
	return exp, nil
}

// stepDeclares reports whether a step with this id, in any workflow of the document, declares
// the output name.
func (p *plan) stepDeclares(id, name string) bool {
	id = p.ids.original(id)
	for _, wf := range p.doc.Workflows {
		if s := wf.Step(id); s != nil && s.DeclaresOutput(name) {
			return true
		}
	}
	return false
}
