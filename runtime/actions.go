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
func (x *run) evalCriterion(cr *arazzo.Criterion, c *expr.Context) (res CriterionResult) {
	res = CriterionResult{Condition: cr.Condition, Type: cr.Type}
	defer func() {
		if r := recover(); r != nil { // a library bug must fail the criterion, not the run
			res.Passed, res.Error = false, fmt.Sprintf("criterion could not be evaluated: %v", r)
		}
	}()
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
	case "regex", langJSONPath, langXPath:
		return x.evalQueryCriterion(cr, c, res)
	default:
		res.Error = fmt.Sprintf("criterion type %q is not one of simple, regex, jsonpath, xpath", cr.Type)
		return res
	}
}

// evalQueryCriterion evaluates a regex, jsonpath or xpath criterion against its context
// (CRIT-04 to CRIT-08). Embedded `{$…}` expressions are substituted first; a null or absent
// context, an invalid query or a context of the wrong kind fails the criterion with the reason.
//
// Regular expressions are Go RE2, not ECMA-262 (AMB-10): look-around ((?=…), (?!…), (?<=…),
// (?<!…)), back-references (\1, \k<name>), possessive and atomic groups are rejected with a
// message; named groups written (?<name>…) are accepted. The pattern matches anywhere in the
// text unless anchored with ^ and $.
func (x *run) evalQueryCriterion(cr *arazzo.Criterion, c *expr.Context, res CriterionResult) CriterionResult {
	if err := checkVersion(cr.Type, cr.Version); err != nil {
		res.Error = err.Error()
		return res
	}
	subject, err := criterionContext(cr, c)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	cond, err := substituteEmbedded(cr.Condition, c)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	switch cr.Type {
	case "regex":
		re, err := regexp.Compile(cond)
		if err != nil {
			res.Error = fmt.Sprintf("regex %q is not valid RE2 syntax (look-around and back-references are not supported): %v", cond, err)
			return res
		}
		s := stringify(subject)
		res.Passed = re.MatchString(s)
		if !res.Passed {
			res.Seen = fmt.Sprintf("%s = %s", cr.Context, preview(s))
		}
	case langJSONPath:
		if arazzo.IsJavaScriptLikeJSONPath(cond) {
			if x.p.opts.Strict {
				res.Error = fmt.Sprintf("jsonpath condition %q is a JavaScript-like comparison, not JSONPath (strict mode) [%s]", cond, RuleJSONPathCondition)
				return res
			}
			x.note(fmt.Sprintf("jsonpath condition %q is a JavaScript-like comparison, not JSONPath; it was evaluated by translation: write a simple condition such as $response.body#/items/0 != null [%s]", cond, RuleJSONPathCondition))
			ok, seen, err := jsCondition(cond, subject)
			res.Passed = ok && err == nil
			if err != nil {
				res.Error = err.Error()
			}
			if !res.Passed {
				res.Seen = seen
			}
			return res
		}
		p, err := compileJSONPath(cond)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		tree := jsonTree(subject)
		switch tree.(type) {
		case map[string]any, []any:
		default:
			res.Error = fmt.Sprintf("jsonpath needs a JSON object or array as its context, but %s is %s", cr.Context, kindOf(tree))
			return res
		}
		res.Passed = len(matchJSONPath(p, cond, tree)) > 0
		if !res.Passed {
			res.Seen = fmt.Sprintf("%s selects nothing in %s = %s", cond, cr.Context, preview(stringify(tree)))
		}
	case langXPath:
		doc, err := parseXML(subject)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		xe, err := compileXPath(cond)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		v, err := evalXPath(xe, doc)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		res.Passed = effectiveBoolean(v)
		if !res.Passed {
			res.Seen = fmt.Sprintf("%s gave %v on %s", cond, v, cr.Context)
		}
	}
	return res
}

// criterionContext evaluates a criterion's context; null and absent values are errors, since
// a query on nothing fails (CRIT-02, CRIT-04 to CRIT-06).
func criterionContext(cr *arazzo.Criterion, c *expr.Context) (any, error) {
	if cr.Context == "" {
		return nil, fmt.Errorf("a %s criterion needs a context such as $response.body (CRIT-02)", cr.Type)
	}
	e, err := expr.Parse(cr.Context)
	if err != nil {
		return nil, fmt.Errorf("context %q: %w", cr.Context, err)
	}
	v, err := e.Eval(c)
	if err != nil {
		return nil, fmt.Errorf("context %w: %w", errNoContext, err)
	}
	if v == nil {
		return nil, fmt.Errorf("context %s is null: %w", cr.Context, errNoContext)
	}
	return v, nil
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
	return mergeActions(step.OnSuccess, st.wf.SuccessActions, x.resolveSuccessAction,
		func(a *arazzo.SuccessAction) string { return a.Name })
}

// effectiveFailureActions is effectiveSuccessActions for failure actions.
func (x *run) effectiveFailureActions(st *wfState, step *arazzo.Step) ([]*arazzo.FailureAction, error) {
	return mergeActions(step.OnFailure, st.wf.FailureActions, x.resolveFailureAction,
		func(a *arazzo.FailureAction) string { return a.Name })
}

// mergeActions resolves Reusable Objects and keeps the first action of each name, step entries
// before workflow entries.
func mergeActions[A any](stepList, wfList []*A, resolve func(*A) (*A, error), name func(*A) string) ([]*A, error) {
	var out []*A
	seen := map[string]bool{}
	for _, list := range [][]*A{stepList, wfList} {
		for _, a := range list {
			r, err := resolve(a)
			if err != nil {
				return nil, err
			}
			if seen[name(r)] {
				continue
			}
			seen[name(r)] = true
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
