package arazzo

import (
	"regexp"
	"strings"
)

// flow checks the control flow of a workflow: loops that nothing bounds and steps that no path
// reaches. Workflow-level actions apply to every step (ACT-03), so they count for each.
func (w *wfCheck) flow() {
	wf := w.wf
	n := len(wf.Steps)
	if n == 0 {
		return
	}
	edges := make([][]int, n)
	for i, s := range wf.Steps {
		falls := true
		for _, a := range w.successActions(s) {
			if a.Type == "goto" && a.StepID != "" {
				j := wf.StepIndex(a.StepID)
				if j >= 0 {
					edges[i] = append(edges[i], j)
					if j <= i && len(a.Criteria) == 0 && containsSuccess(s.OnSuccess, a) {
						w.v.warnf(a.Pos, RuleGotoLoop, "step %q: success action %q always goes back to step %q, an endless loop: give it criteria that stop matching", s.StepID, a.Name, a.StepID)
					}
				}
			}
			if len(a.Criteria) == 0 && (a.Type == "goto" || a.Type == "end") {
				falls = false
				break
			}
		}
		if falls && i+1 < n {
			edges[i] = append(edges[i], i+1)
		}
		for _, a := range w.failureActions(s) {
			if a.StepID == "" {
				continue
			}
			j := wf.StepIndex(a.StepID)
			if j < 0 {
				continue
			}
			edges[i] = append(edges[i], j)
			if a.Type == "goto" && j <= i && containsFailure(s.OnFailure, a) {
				w.v.warnf(a.Pos, RuleGotoLoop, "step %q: failure action %q goes back to step %q with no retry limit: use `type: retry` with `retryLimit`, or criteria that stop matching", s.StepID, a.Name, a.StepID)
			}
		}
	}
	seen := make([]bool, n)
	stack := []int{0}
	seen[0] = true
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range edges[i] {
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	for i, s := range wf.Steps {
		if !seen[i] {
			w.v.warnf(s.Pos, RuleUnreachableStep, "workflow %q: no path reaches step %q (an earlier step always ends or jumps past it): remove it or add a goto to it", wf.WorkflowID, s.StepID)
		}
	}
}

func containsSuccess(list []*SuccessAction, a *SuccessAction) bool {
	for _, b := range list {
		if b == a {
			return true
		}
	}
	return false
}

func containsFailure(list []*FailureAction, a *FailureAction) bool {
	for _, b := range list {
		if b == a {
			return true
		}
	}
	return false
}

// successActions is the step's list followed by the workflow's, Reusable Objects resolved.
func (w *wfCheck) successActions(s *Step) []*SuccessAction {
	var out []*SuccessAction
	for _, list := range [][]*SuccessAction{s.OnSuccess, w.wf.SuccessActions} {
		for _, a := range list {
			if a.Ref != nil {
				a = w.v.successComponent(a.Ref.Reference)
			}
			if a != nil {
				out = append(out, a)
			}
		}
	}
	return out
}

func (w *wfCheck) failureActions(s *Step) []*FailureAction {
	var out []*FailureAction
	for _, list := range [][]*FailureAction{s.OnFailure, w.wf.FailureActions} {
		for _, a := range list {
			if a.Ref != nil {
				a = w.v.failureComponent(a.Ref.Reference)
			}
			if a != nil {
				out = append(out, a)
			}
		}
	}
	return out
}

func (v *validator) successComponent(ref string) *SuccessAction {
	key, ok := strings.CutPrefix(ref, "$components.successActions.")
	if !ok || v.doc.Components == nil {
		return nil
	}
	return v.doc.Components.SuccessActions[key]
}

func (v *validator) failureComponent(ref string) *FailureAction {
	key, ok := strings.CutPrefix(ref, "$components.failureActions.")
	if !ok || v.doc.Components == nil {
		return nil
	}
	return v.doc.Components.FailureActions[key]
}

// credentialInputs are the input names the runner reads credentials from by convention
// (cli.md, "Credentials"): declaring one is a use.
var credentialInputs = map[string]bool{
	"apikey": true, "api_key": true, "key": true, "token": true, "accesstoken": true, "access_token": true,
	"bearertoken": true, "bearer_token": true, "username": true, "password": true,
}

var inputsRefRe = regexp.MustCompile(`\$inputs\.([A-Za-z0-9_\-]+)`)

// unusedInputs warns about declared inputs nothing reads.
func (v *validator) unusedInputs() {
	for _, c := range v.crossInputs {
		if v.used[c.wf] != nil {
			v.used[c.wf][firstSegment(c.name)] = true
		}
	}
	for i, wf := range v.doc.Workflows {
		used := v.used[wf]
		for _, s := range wf.Steps {
			markExtensionInputs(s.Extensions, used)
		}
		markExtensionInputs(wf.Extensions, used)
		names, known := declaredInputs(v.doc, wf)
		if !known {
			continue
		}
		for _, name := range sortedMapKeys(names) {
			if used[name] || credentialInputs[strings.ToLower(name)] {
				continue
			}
			pos := wf.InputsPos
			if k := mappingKey(nodeFor(v.doc.node, "workflows", i, "inputs", "properties"), name); k != nil {
				pos = Pos{Line: k.Line, Col: k.Column}
			}
			v.warnf(pos, RuleUnusedInput, "workflow %q declares input %q but nothing reads it: remove it or use $inputs.%s", wf.WorkflowID, name, name)
		}
	}
}

// markExtensionInputs counts $inputs references inside extensions such as x-security.
func markExtensionInputs(ext Extensions, used map[string]bool) {
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case string:
			for _, m := range inputsRefRe.FindAllStringSubmatch(t, -1) {
				used[m[1]] = true
			}
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	for _, e := range ext {
		walk(e)
	}
}
