package runtime

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/openapi"
)

// Rule ids of Check, besides RuleSourceLoad, RuleUnknownOperation and RuleAmbiguousOp. Never
// rename one once released.
const (
	RuleUnknownParameter   = "unknown-parameter"
	RuleMissingParameter   = "missing-parameter"
	RuleMissingRequestBody = "missing-request-body"
	RuleNoCredentials      = "no-credentials"
)

// CheckRules describes the rules of Check, for documentation and reports.
func CheckRules() []arazzo.RuleInfo {
	return []arazzo.RuleInfo{
		{ID: RuleSourceLoad, Severity: arazzo.SeverityError, Summary: "an OpenAPI source description does not load (missing file, bad URL, invalid OpenAPI)", Fix: "fix its `url`, or pass --source NAME=PATH"},
		{ID: RuleUnknownOperation, Severity: arazzo.SeverityError, Summary: "a step's operationId or operationPath resolves to no operation of the sources", Fix: "fix the id (case matters) or the JSON Pointer; qualify it as $sourceDescriptions.NAME.ID"},
		{ID: RuleAmbiguousOp, Severity: arazzo.SeverityError, Summary: "a plain operationId is found in two sources (STEP-05)", Fix: "qualify it as $sourceDescriptions.NAME.ID"},
		{ID: RuleUnknownParameter, Severity: arazzo.SeverityWarning, Summary: "a step sets a parameter the operation does not declare (PARAM-01)", Fix: "fix the name or `in`, or remove the parameter"},
		{ID: RuleMissingParameter, Severity: arazzo.SeverityWarning, Summary: "the operation requires a parameter the step does not supply and no security scheme covers", Fix: "add the parameter to the step (or the workflow's parameters)"},
		{ID: RuleMissingRequestBody, Severity: arazzo.SeverityWarning, Summary: "the operation requires a request body the step does not give", Fix: "add `requestBody` with a `payload`"},
		{ID: RuleNoCredentials, Severity: arazzo.SeverityWarning, Summary: "a workflow's operations need credentials (OpenAPI security) and it has no input, parameter or x-security to receive them", Fix: "declare an input named by the credential convention (token, apiKey, username/password), set the header in the step, or pass --auth when running"},
	}
}

// CheckOptions are the per-call settings of Check.
type CheckOptions struct {
	// Sources replaces the location of a source description by name, as --source does.
	Sources map[string]string
}

// Check loads the OpenAPI source descriptions of doc and checks the steps against them: each
// source loads, each operationId/operationPath resolves (a plain id in two sources is an
// error), the parameters a step sets exist, required parameters and bodies are supplied, and
// every workflow can receive the credentials its operations need. It sends no request other
// than fetching remote sources through the Runner's loader. Findings carry positions in doc.
// Sources of type arazzo are parsed to check that the workflows named in them exist; asyncapi
// sources are not loaded.
func (r *Runner) Check(ctx context.Context, doc *arazzo.Document, opts CheckOptions) arazzo.Diagnostics {
	p := &plan{doc: doc, opts: &RunOptions{Sources: opts.Sources}, sources: map[string]*source{},
		bound: map[*arazzo.Step]*boundStep{}}
	var diags arazzo.Diagnostics
	diags = append(diags, r.checkArazzoSources(ctx, p)...)
	for _, sd := range doc.SourceDescriptions {
		if sd.Type != "" && sd.Type != "openapi" {
			continue
		}
		if err := p.checkSourceURL(sd); err != nil {
			diags = append(diags, p.diag(sd.Pos, RuleSourceLoad, "source description %q: %v", sd.Name, err))
			continue
		}
		desc, err := r.loader.Load(ctx, p.sourceLocation(sd))
		if err != nil {
			if ctx.Err() != nil {
				return diags
			}
			diags = append(diags, p.diag(sd.Pos, RuleSourceLoad, "source description %q: %v: fix its url or pass --source %s=PATH", sd.Name, err, sd.Name))
			continue
		}
		if desc == nil {
			continue
		}
		// Validation never sends requests, so where they would go does not matter: a placeholder
		// base keeps bindOperation from requiring servers (that is a run-time concern).
		p.sources[sd.Name] = &source{sd: sd, desc: desc, base: "http://validate.invalid"}
	}
	for _, wf := range doc.Workflows {
		diags = append(diags, p.checkWorkflow(wf)...)
	}
	return diags
}

func (p *plan) checkWorkflow(wf *arazzo.Workflow) arazzo.Diagnostics {
	var diags arazzo.Diagnostics
	warn := func(pos arazzo.Pos, rule, format string, args ...any) {
		d := p.diag(pos, rule, format, args...)
		d.Severity = arazzo.SeverityWarning
		diags = append(diags, d)
	}
	type need struct {
		src    *source
		scheme *openapi.SecurityScheme
		step   *arazzo.Step
	}
	var needs []need
	for _, s := range wf.Steps {
		if s.OperationID == "" && s.OperationPath == "" || s.ChannelPath != "" || s.Action != "" {
			continue
		}
		if !p.sourcesLoadedFor(s) {
			continue // the source's own finding says why
		}
		b, d := p.bindOperation(s)
		if d != nil {
			diags = append(diags, *d)
			continue
		}
		params := p.stepParams(wf, s)
		covered := securityCovered(b)
		for _, prm := range params {
			if prm.In == "" || findParam(b.op, prm.Name, prm.In) != nil || covered[strings.ToLower(prm.In+":"+prm.Name)] {
				continue
			}
			if prm.In == "header" && strings.EqualFold(prm.Name, "Authorization") && len(b.op.Security) > 0 {
				continue
			}
			if prm.In == "path" && strings.Contains(b.op.Path, "{"+prm.Name+"}") {
				continue // the path template names it, even where the description forgot to declare it
			}
			warn(prm.Pos, RuleUnknownParameter, "step %q sets %s parameter %q, which operation %s %s does not declare: fix the name or `in`, or remove it", s.StepID, prm.In, prm.Name, b.op.Method, b.op.Path)
		}
		for _, op := range b.op.Parameters {
			if !op.Required || covered[strings.ToLower(op.In+":"+op.Name)] || suppliedParam(params, op) || op.Ignored() {
				continue
			}
			if v, from, ok := op.Schema.Implied(); ok {
				warn(s.Pos, RuleMissingParameter, "step %q does not set required %s parameter %q of %s %s; runs send the description's %s %s in its place: add it to the step's parameters", s.StepID, op.In, op.Name, b.op.Method, b.op.Path, from, impliedText(v))
				continue
			}
			warn(s.Pos, RuleMissingParameter, "step %q does not set required %s parameter %q of %s %s: add it to the step's parameters", s.StepID, op.In, op.Name, b.op.Method, b.op.Path)
		}
		if rb := b.op.RequestBody; rb != nil && rb.Required && (s.RequestBody == nil || !s.RequestBody.HasPayload) {
			warn(s.Pos, RuleMissingRequestBody, "step %q gives no request body, which %s %s requires: add requestBody with a payload", s.StepID, b.op.Method, b.op.Path)
		}
		if _, ok := s.Extensions["x-security"]; ok || len(b.op.Security) == 0 {
			continue
		}
		if stepSetsCredentials(b, params) {
			continue
		}
		met := false
		for _, req := range b.op.Security {
			if len(req) == 0 {
				met = true // anonymous access is allowed
				break
			}
		}
		if met {
			continue
		}
		for _, ref := range b.op.Security[0] {
			if sc := b.src.desc.SecuritySchemes[ref.Name]; sc != nil {
				needs = append(needs, need{b.src, sc, s})
			}
		}
	}
	inputs := declaredInputValues(p.doc, wf)
	seen := map[string]bool{}
	for _, n := range needs {
		key := n.src.sd.Name + "." + n.scheme.Name
		if seen[key] {
			continue
		}
		seen[key] = true
		if n.scheme.Type == "mutualTLS" || inputCredential(inputs, n.scheme) != nil {
			continue
		}
		warn(wf.Pos, RuleNoCredentials, "workflow %q calls operations that need security scheme %q (%s) of source %q, and has no input to take it from: declare an input named %s, or pass --auth %s.%s=VALUE when running",
			wf.WorkflowID, n.scheme.Name, schemeKind(n.scheme), n.src.sd.Name, conventionName(n.scheme), n.src.sd.Name, n.scheme.Name)
	}
	return diags
}

// sourcesLoadedFor reports whether the source(s) a step's operation may live in loaded, so a
// source that failed to load is reported once instead of once per step.
func (p *plan) sourcesLoadedFor(s *arazzo.Step) bool {
	var name string
	if s.OperationPath != "" {
		n, _, _, ok := splitOperationPath(s.OperationPath, p)
		if !ok {
			return true
		}
		name = n
	} else if rest, ok := strings.CutPrefix(s.OperationID, "$sourceDescriptions."); ok {
		name, _, _ = strings.Cut(rest, ".")
	}
	if name != "" {
		sd := p.doc.SourceDescription(name)
		return sd == nil || p.sources[name] != nil || (sd.Type != "" && sd.Type != "openapi")
	}
	for _, sd := range p.doc.SourceDescriptions {
		if (sd.Type == "" || sd.Type == "openapi") && p.sources[sd.Name] == nil {
			return false
		}
	}
	return true
}

// stepParams is what the step sends: its own parameters, then the workflow's it does not
// override (AMB-02), with Reusable Objects resolved.
func (p *plan) stepParams(wf *arazzo.Workflow, s *arazzo.Step) []*arazzo.Parameter {
	var out []*arazzo.Parameter
	seen := map[string]bool{}
	for _, list := range [][]*arazzo.Parameter{s.Parameters, wf.Parameters} {
		for _, prm := range list {
			if prm.Ref != nil {
				key, ok := strings.CutPrefix(prm.Ref.Reference, "$components.parameters.")
				if !ok || p.doc.Components == nil || p.doc.Components.Parameters[key] == nil {
					continue
				}
				resolved := *p.doc.Components.Parameters[key]
				resolved.Pos = prm.Pos
				prm = &resolved
			}
			id := prm.In + ":" + prm.Name
			if seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, prm)
		}
	}
	return out
}

func suppliedParam(params []*arazzo.Parameter, op *openapi.Parameter) bool {
	for _, prm := range params {
		if prm.In != "" && prm.In != op.In {
			continue
		}
		if prm.Name == op.Name || (op.In == "header" && strings.EqualFold(prm.Name, op.Name)) {
			return true
		}
	}
	return false
}

// securityCovered lists the parameters ("in:name", lower-case) the operation's apiKey schemes
// fill, which the runner supplies from credentials.
func securityCovered(b *boundStep) map[string]bool {
	out := map[string]bool{}
	for _, req := range b.op.Security {
		for _, ref := range req {
			sc := b.src.desc.SecuritySchemes[ref.Name]
			if sc == nil {
				continue
			}
			switch {
			case sc.Type == "apiKey":
				out[strings.ToLower(sc.In+":"+sc.ParamName)] = true
			case sc.Type == "http" || sc.Type == "oauth2" || sc.Type == "openIdConnect":
				out["header:authorization"] = true
			}
		}
	}
	return out
}

// stepSetsCredentials reports whether the step itself sets what a security scheme of the
// operation would (an Authorization header, an API key parameter).
func stepSetsCredentials(b *boundStep, params []*arazzo.Parameter) bool {
	covered := securityCovered(b)
	for _, prm := range params {
		if covered[strings.ToLower(prm.In+":"+prm.Name)] {
			return true
		}
	}
	return false
}

// declaredInputValues gives each declared input of wf a placeholder value, so the credential
// convention can be asked whether an input would serve.
func declaredInputValues(doc *arazzo.Document, wf *arazzo.Workflow) map[string]any {
	out := map[string]any{}
	schema := resolvedInputsSchema(doc, wf)
	props, _ := schema["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out[k] = "declared"
	}
	return out
}

func schemeKind(s *openapi.SecurityScheme) string {
	if s.Type == "http" {
		return "http " + s.Scheme
	}
	return s.Type
}

func conventionName(s *openapi.SecurityScheme) string {
	switch {
	case s.Type == "http" && s.Scheme == "basic":
		return "username and password"
	case s.Type == "apiKey" && s.ParamName != "":
		return fmt.Sprintf("%q or apiKey", s.ParamName)
	case s.Type == "apiKey":
		return "apiKey"
	}
	return "token"
}

// checkArazzoSources parses each `type: arazzo` source and reports references
// `$sourceDescriptions.<name>.<workflowId>` (steps, actions, dependsOn) to workflows it lacks.
func (r *Runner) checkArazzoSources(ctx context.Context, p *plan) arazzo.Diagnostics {
	var diags arazzo.Diagnostics
	ids := map[string]map[string]bool{} // source name -> its workflow ids
	for _, sd := range p.doc.SourceDescriptions {
		if sd.Type != "arazzo" {
			continue
		}
		if err := p.checkSourceURL(sd); err != nil {
			diags = append(diags, p.diag(sd.Pos, RuleSourceLoad, "source description %q: %v", sd.Name, err))
			continue
		}
		loc := p.sourceLocation(sd)
		data, err := r.readDocument(ctx, loc, nil)
		if err != nil {
			diags = append(diags, p.diag(sd.Pos, RuleSourceLoad, "source description %q: %v: fix its url or pass --source %s=PATH", sd.Name, err, sd.Name))
			continue
		}
		child, err := arazzo.Parse(loc, data)
		if err != nil {
			diags = append(diags, p.diag(sd.Pos, RuleSourceLoad, "source description %q is not a valid Arazzo document: %s", sd.Name, firstLine(err.Error())))
			continue
		}
		set := map[string]bool{}
		for _, w := range child.Workflows {
			set[w.WorkflowID] = true
		}
		ids[sd.Name] = set
	}
	check := func(ref string, pos arazzo.Pos) {
		rest, ok := strings.CutPrefix(ref, "$sourceDescriptions.")
		if !ok {
			return
		}
		name, wf, _ := strings.Cut(rest, ".")
		if set, loaded := ids[name]; loaded && !set[wf] {
			diags = append(diags, p.diag(pos, arazzo.RuleUnknownWorkflow, "workflow %q is not in source description %q: check the id", wf, name))
		}
	}
	for _, w := range p.doc.Workflows {
		for _, d := range w.DependsOn {
			check(d, w.Pos)
		}
		for _, s := range w.Steps {
			check(s.WorkflowID, s.Pos)
			for _, a := range s.OnSuccess {
				check(a.WorkflowID, a.Pos)
			}
			for _, a := range s.OnFailure {
				check(a.WorkflowID, a.Pos)
			}
		}
		for _, a := range w.SuccessActions {
			check(a.WorkflowID, a.Pos)
		}
		for _, a := range w.FailureActions {
			check(a.WorkflowID, a.Pos)
		}
	}
	return diags
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
