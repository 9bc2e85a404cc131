package runtime

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
)

// evalCriteria evaluates criteria in order; all must hold. It returns each outcome and the first
// that failed (nil when all held).
func (x *run) evalCriteria(cs []*arazzo.Criterion, c *expr.Context) ([]CriterionResult, *CriterionResult) {
	results := make([]CriterionResult, 0, len(cs))
	var failed *CriterionResult
	for _, cr := range cs {
		res := x.evalCriterion(cr, c)
		results = append(results, res)
		if !res.Passed && failed == nil {
			failed = &results[len(results)-1]
		}
	}
	if failed != nil {
		f := *failed
		return results, &f
	}
	return results, nil
}

// evalCriterion evaluates one criterion. A criterion that cannot be evaluated fails with the
// reason, never a panic (CRIT-09).
func (x *run) evalCriterion(cr *arazzo.Criterion, c *expr.Context) CriterionResult {
	res := CriterionResult{Condition: cr.Condition, Type: cr.Type}
	switch cr.Type {
	case "", "simple":
		cond, err := x.p.condition(cr.Condition)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		ok, err := cond.Eval(c)
		res.Passed = ok && err == nil
		if err != nil {
			res.Error = err.Error()
		}
		if !res.Passed {
			res.Seen = cond.Explain(c)
		}
		return res
	case "regex":
		subject, err := criterionContext(cr, c)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		re, err := regexp.Compile(cr.Condition)
		if err != nil {
			res.Error = fmt.Sprintf("regex %q is not valid RE2 syntax (look-around and back-references are not supported): %v", cr.Condition, err)
			return res
		}
		s := stringify(subject)
		res.Passed = re.MatchString(s)
		if !res.Passed {
			res.Seen = fmt.Sprintf("%s = %s", cr.Context, preview(s))
		}
		return res
	default:
		res.Error = fmt.Sprintf("criterion type %q is not supported yet", cr.Type)
		return res
	}
}

func criterionContext(cr *arazzo.Criterion, c *expr.Context) (any, error) {
	if cr.Context == "" {
		return nil, fmt.Errorf("a %s criterion needs a context such as $response.body", cr.Type)
	}
	e, err := expr.Parse(cr.Context)
	if err != nil {
		return nil, fmt.Errorf("context %q: %w", cr.Context, err)
	}
	return e.Eval(c)
}

func preview(s string) string {
	const max = 120
	if len(s) > max {
		return fmt.Sprintf("%q…", s[:max])
	}
	return fmt.Sprintf("%q", s)
}

// effectiveSuccessActions merges the step's actions with the workflow's (AMB-02): the step's
// entries in order, then the workflow's whose name the step did not take.
func (x *run) effectiveSuccessActions(st *wfState, step *arazzo.Step) ([]*arazzo.SuccessAction, error) {
	var out []*arazzo.SuccessAction
	seen := map[string]bool{}
	for _, list := range [][]*arazzo.SuccessAction{step.OnSuccess, st.wf.SuccessActions} {
		for _, a := range list {
			r, err := x.resolveSuccessAction(a)
			if err != nil {
				return nil, err
			}
			if seen[r.Name] {
				continue
			}
			seen[r.Name] = true
			out = append(out, r)
		}
	}
	return out, nil
}

func (x *run) effectiveFailureActions(st *wfState, step *arazzo.Step) ([]*arazzo.FailureAction, error) {
	var out []*arazzo.FailureAction
	seen := map[string]bool{}
	for _, list := range [][]*arazzo.FailureAction{step.OnFailure, st.wf.FailureActions} {
		for _, a := range list {
			r, err := x.resolveFailureAction(a)
			if err != nil {
				return nil, err
			}
			if seen[r.Name] {
				continue
			}
			seen[r.Name] = true
			out = append(out, r)
		}
	}
	return out, nil
}

func componentKey(ref, kind string) (string, bool) {
	ref = strings.TrimSpace(ref)
	ref = strings.TrimSuffix(strings.TrimPrefix(ref, "{"), "}")
	return strings.CutPrefix(ref, "$components."+kind+".")
}

func (x *run) resolveSuccessAction(a *arazzo.SuccessAction) (*arazzo.SuccessAction, error) {
	if a.Ref == nil {
		return a, nil
	}
	key, ok := componentKey(a.Ref.Reference, "successActions")
	c := x.p.doc.Components
	if !ok || c == nil || c.SuccessActions[key] == nil {
		return nil, fmt.Errorf("success action reference %q does not name an entry of components.successActions", a.Ref.Reference)
	}
	return c.SuccessActions[key], nil
}

func (x *run) resolveFailureAction(a *arazzo.FailureAction) (*arazzo.FailureAction, error) {
	if a.Ref == nil {
		return a, nil
	}
	key, ok := componentKey(a.Ref.Reference, "failureActions")
	c := x.p.doc.Components
	if !ok || c == nil || c.FailureActions[key] == nil {
		return nil, fmt.Errorf("failure action reference %q does not name an entry of components.failureActions", a.Ref.Reference)
	}
	return c.FailureActions[key], nil
}

// chooseSuccessAction returns the first success action whose criteria all hold against the
// current response, or nil (then the next step runs).
func (x *run) chooseSuccessAction(st *wfState, step *arazzo.Step, c *expr.Context) (*arazzo.SuccessAction, error) {
	actions, err := x.effectiveSuccessActions(st, step)
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		if _, failed := x.evalCriteria(a.Criteria, c); failed == nil {
			return a, nil
		}
	}
	return nil, nil
}

// chooseFailureAction returns the first failure action whose criteria hold; a retry whose
// budget is spent is passed over so later actions apply (AMB-03). retryLimit defaults to 1.
func (x *run) chooseFailureAction(st *wfState, step *arazzo.Step, c *expr.Context, retries map[string]int) (*arazzo.FailureAction, error) {
	actions, err := x.effectiveFailureActions(st, step)
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		if _, failed := x.evalCriteria(a.Criteria, c); failed != nil {
			continue
		}
		if a.Type == "retry" {
			limit := 1
			if a.HasRetryLimit {
				limit = a.RetryLimit
			}
			if retries[a.Name] >= limit {
				continue
			}
		}
		return a, nil
	}
	return nil, nil
}
