package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
)

// maxDocumentDepth bounds how deeply Arazzo source descriptions may nest: the entry document
// is at depth 0, an Arazzo source of it at 1, and so on.
const maxDocumentDepth = 8

// docSet is what the plans of one run share: every Arazzo document loaded so far, by location
// and by `$self`, and which plan owns each workflow.
type docSet struct {
	byLoc  map[string]*plan
	bySelf map[string]*plan
	owner  map[*arazzo.Workflow]*plan
}

func (s *docSet) register(p *plan) {
	if key := docKey(p.doc.File); key != "" && key != "-" {
		s.byLoc[key] = p
	}
	if self := p.selfBase(); self != "" {
		s.bySelf[docKey(self)] = p
	}
	for _, w := range p.doc.Workflows {
		s.owner[w] = p
	}
}

// docKey normalises a location: an http(s) URL as it is, a path made absolute.
func docKey(loc string) string {
	if isRemote(loc) || loc == "" || loc == "-" {
		return loc
	}
	if abs, err := filepath.Abs(strings.TrimPrefix(loc, "file://")); err == nil {
		return abs
	}
	return loc
}

func isRemote(loc string) bool {
	u, err := url.Parse(loc)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https")
}

// owner returns the plan whose document holds wf (p itself for a workflow it does not know).
func (p *plan) owner(wf *arazzo.Workflow) *plan {
	if p.set != nil {
		if o := p.set.owner[wf]; o != nil {
			return o
		}
	}
	return p
}

// workflowRef finds the workflow a workflowId names: the plain id of one in this document, or
// `$sourceDescriptions.NAME.ID` for one in the Arazzo source NAME (STEP-07, SACT-04, WF-05).
func (p *plan) workflowRef(ref string) *arazzo.Workflow {
	if rest, ok := strings.CutPrefix(ref, "$sourceDescriptions."); ok {
		name, id, _ := strings.Cut(rest, ".")
		if c := p.children[name]; c != nil {
			return c.doc.Workflow(id)
		}
	}
	return p.doc.Workflow(resolveWorkflowRef(ref))
}

// hasSourceAnywhere reports whether name is a source description of any loaded document, so that
// --server, --source and --auth may name a source of an Arazzo source description too.
func (p *plan) hasSourceAnywhere(name string) bool {
	if p.doc.SourceDescription(name) != nil {
		return true
	}
	if p.set == nil {
		return false
	}
	for _, o := range p.set.byLoc {
		if o.doc.SourceDescription(name) != nil {
			return true
		}
	}
	for _, o := range p.set.bySelf {
		if o.doc.SourceDescription(name) != nil {
			return true
		}
	}
	return false
}

// namesArazzoWorkflow reports whether a workflowId or dependsOn of the document names a workflow
// of source name, which makes a source without a type worth probing for an `arazzo` root.
func (p *plan) namesArazzoWorkflow(name string) bool {
	prefix := "$sourceDescriptions." + name + "."
	has := func(ref string) bool { return strings.HasPrefix(ref, prefix) }
	for _, w := range p.doc.Workflows {
		for _, d := range w.DependsOn {
			if has(d) {
				return true
			}
		}
		for _, a := range w.SuccessActions {
			if has(a.WorkflowID) {
				return true
			}
		}
		for _, a := range w.FailureActions {
			if has(a.WorkflowID) {
				return true
			}
		}
		for _, s := range w.Steps {
			if has(s.WorkflowID) {
				return true
			}
			for _, a := range s.OnSuccess {
				if has(a.WorkflowID) {
					return true
				}
			}
			for _, a := range s.OnFailure {
				if has(a.WorkflowID) {
					return true
				}
			}
		}
	}
	return false
}

// loadArazzoSources loads the Arazzo source descriptions of p's document (`type: arazzo`, or no
// type and a root with an `arazzo` key) and plans each as its own document, with its own sources
// and components (STEP-07, COMP-07). Sources with a relative url are loaded first, so that an
// absolute url is matched by identity against their `$self` before anything is fetched (GEN-11);
// a document met again (itself, or one already loaded) is reused, which also ends cycles.
func (r *Runner) loadArazzoSources(ctx context.Context, p *plan) error {
	var diags arazzo.Diagnostics
	for pass := 0; pass < 2; pass++ {
		for _, sd := range p.doc.SourceDescriptions {
			if sd.Type != "arazzo" && (sd.Type != "" || !p.namesArazzoWorkflow(sd.Name)) {
				continue
			}
			_, given := p.opts.Sources[sd.Name]
			if abs := isRemote(sd.URL) && !given; abs != (pass == 1) {
				continue
			}
			c, err := r.loadArazzoSource(ctx, p, sd)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if se := (*SetupError)(nil); errors.As(err, &se) {
					return se
				}
				diags = append(diags, p.diag(sd.Pos, RuleSourceLoad, "source description %q: %v: fix its url or pass --source %s=PATH", sd.Name, err, sd.Name))
				continue
			}
			if c != nil {
				p.children[sd.Name] = c
			}
		}
	}
	if len(diags) > 0 {
		return &SetupError{Err: diags}
	}
	return nil
}

// loadArazzoSource returns the plan of one Arazzo source, or nil when a source without a type
// turns out not to be an Arazzo document.
func (r *Runner) loadArazzoSource(ctx context.Context, p *plan, sd *arazzo.SourceDescription) (*plan, error) {
	if err := p.checkSourceURL(sd); err != nil {
		return nil, err
	}
	if _, given := p.opts.Sources[sd.Name]; !given && isRemote(sd.URL) {
		if c := p.set.bySelf[sd.URL]; c != nil { // GEN-11: identity before location
			return c, nil
		}
	}
	loc := p.sourceLocation(sd)
	if c := p.set.byLoc[docKey(loc)]; c != nil {
		return c, nil
	}
	data, err := r.readDocument(ctx, loc, p.opts.Clients[sd.Name])
	if err != nil {
		return nil, err
	}
	if sd.Type == "" && !arazzo.IsArazzo(data) {
		return nil, nil
	}
	if p.level+1 > maxDocumentDepth {
		return nil, fmt.Errorf("arazzo documents nest more than %d deep at %s", maxDocumentDepth, loc)
	}
	doc, err := arazzo.Parse(loc, data)
	if err != nil {
		return nil, &SetupError{Err: fmt.Errorf("source description %q: %w", sd.Name, err)}
	}
	return r.planSource(ctx, p, sd, doc)
}

// planSource plans doc, the Arazzo source sd of parent: every workflow of it is bound, so that
// any of them may be called.
func (r *Runner) planSource(ctx context.Context, parent *plan, sd *arazzo.SourceDescription, doc *arazzo.Document) (*plan, error) {
	c := newPlan(doc, parent.opts)
	c.set, c.level = parent.set, parent.level+1
	c.set.register(c)
	parent.closers = append(parent.closers, c.close)
	if err := c.checkDocument(); err != nil {
		return nil, err
	}
	if err := r.loadArazzoSources(ctx, c); err != nil {
		return nil, err
	}
	if err := r.loadSources(ctx, c, c.neededSources()); err != nil {
		return nil, err
	}
	var diags arazzo.Diagnostics
	for _, wf := range doc.Workflows {
		diags = append(diags, c.bindWorkflow(wf)...)
	}
	if len(diags) > 0 {
		return nil, &SetupError{Err: diags}
	}
	for _, w := range c.warnings {
		parent.warnings = append(parent.warnings, fmt.Sprintf("source %q: %s", sd.Name, w))
	}
	c.warnings = nil
	return c, nil
}

// readDocument reads an Arazzo document from a path or an http(s) URL, refusing one larger
// than arazzo.MaxDocumentBytes.
func (r *Runner) readDocument(ctx context.Context, loc string, client *http.Client) ([]byte, error) {
	if !isRemote(loc) {
		f, err := os.Open(strings.TrimPrefix(loc, "file://"))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(io.LimitReader(f, arazzo.MaxDocumentBytes+1))
	}
	if client == nil {
		client = r.client
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("GET %s: %s", loc, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, arazzo.MaxDocumentBytes+1))
}

// enter makes cp the plan the run reads (its document, sources, components) until the returned
// function restores the previous one. Warnings noted meanwhile move to the previous plan.
func (x *run) enter(cp *plan) func() {
	prev, fields, comps := x.p, x.srcFields, x.comps
	n := len(cp.warnings)
	x.p, x.srcFields, x.comps = cp, sourceFields(cp.doc), componentValues(cp.doc.Components)
	return func() {
		prev.warnings = append(prev.warnings, cp.warnings[n:]...)
		cp.warnings = cp.warnings[:n]
		x.p, x.srcFields, x.comps = prev, fields, comps
	}
}

func sourceFields(doc *arazzo.Document) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, sd := range doc.SourceDescriptions {
		out[sd.Name] = map[string]any{"name": sd.Name, "url": sd.URL, "type": sd.Type}
	}
	return out
}
