package runtime

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/openapi"
)

// RuleParameterDefault is the id of the warning for a required parameter that a step leaves out
// and the runner sends with the value the OpenAPI description implies for it (its const, its only
// enum member or its default). The validator's missing-parameter finding names the same value.
const RuleParameterDefault = "parameter-default"

// impliedParam is an operation parameter the runner fills from its schema.
type impliedParam struct {
	spec  *openapi.Parameter
	value any
	from  string
}

// impliedParams lists the required parameters of the step's operation that the step does not
// set (set holds "in\x00lower-case name" of those it does), no security scheme fills and whose
// schema implies a value. Constant headers such as X-HTTP-Method-Override: GET or an API
// version are written this way in real descriptions, and generated clients send them unasked.
// Each fill is a warning; under RunOptions.Strict it is an error instead.
func (x *run) impliedParams(step *arazzo.Step, b *boundStep, set map[string]bool) ([]impliedParam, error) {
	var out []impliedParam
	var covered map[string]bool
	for _, p := range b.op.Parameters {
		if !p.Required || set[p.In+"\x00"+strings.ToLower(p.Name)] || p.Ignored() {
			continue
		}
		v, from, ok := p.Schema.Implied()
		if !ok {
			continue
		}
		if p.In == "query" && setsQuerystring(set) {
			continue // the step's querystring parameter is the whole query
		}
		if covered == nil {
			covered = securityCovered(b)
		}
		if covered[strings.ToLower(p.In+":"+p.Name)] {
			continue // credentials fill it
		}
		what := fmt.Sprintf("step %q does not set required %s parameter %q of %s %s", step.StepID, p.In, p.Name, b.op.Method, b.op.Path)
		if x.p.opts.Strict {
			return nil, fmt.Errorf("%s, and strict mode does not send the description's %s %s in its place: add it to the step's parameters [%s]", what, from, impliedText(v), RuleParameterDefault)
		}
		x.note(fmt.Sprintf("%s; it was sent with the description's %s %s: add it to the step's parameters [%s]", what, from, impliedText(v), RuleParameterDefault))
		out = append(out, impliedParam{spec: p, value: v, from: from})
	}
	return out, nil
}

func setsQuerystring(set map[string]bool) bool {
	for k := range set {
		if strings.HasPrefix(k, "querystring\x00") {
			return true
		}
	}
	return false
}

// impliedText renders an implied value for a message: JSON, so that "GET" reads as a string.
func impliedText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
