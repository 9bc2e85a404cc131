package arazzo

import (
	"sort"

	"gopkg.in/yaml.v3"
)

// Extensions holds the `x-` fields of an object, decoded as plain values.
type Extensions map[string]any

// Document is the root Arazzo Specification Object.
type Document struct {
	File               string // path or URL the document was read from
	Arazzo             string // the version string, e.g. "1.0.1"
	Self               string // 1.1 `$self`
	Info               Info
	SourceDescriptions []*SourceDescription
	Workflows          []*Workflow
	Components         *Components
	Extensions         Extensions
	Pos                Pos
	// Warnings are the non-fatal findings of parsing (unknown fields, reserved keys).
	Warnings Diagnostics

	// node is the parsed YAML tree, kept for Validate's schema check and positions.
	node *yaml.Node
}

// Info is the Info Object.
type Info struct {
	Title       string
	Summary     string
	Description string
	Version     string
	Extensions  Extensions
	Pos         Pos
}

// SourceDescription is a Source Description Object.
type SourceDescription struct {
	Name       string
	URL        string
	Type       string // "openapi", "asyncapi", "arazzo" or "" when omitted
	Extensions Extensions
	Pos        Pos
}

// Workflow is a Workflow Object.
type Workflow struct {
	WorkflowID     string
	Summary        string
	Description    string
	Inputs         any // a JSON Schema, as decoded values; nil when absent
	InputsPos      Pos
	DependsOn      []string
	Steps          []*Step
	SuccessActions []*SuccessAction
	FailureActions []*FailureAction
	Outputs        []*Output
	Parameters     []*Parameter
	Extensions     Extensions
	Pos            Pos
}

// Step is a Step Object.
type Step struct {
	Description     string
	StepID          string
	OperationID     string
	OperationPath   string
	WorkflowID      string
	ChannelPath     string // 1.1, AsyncAPI
	Parameters      []*Parameter
	RequestBody     *RequestBody
	SuccessCriteria []*Criterion
	OnSuccess       []*SuccessAction
	OnFailure       []*FailureAction
	Outputs         []*Output
	Timeout         int    // 1.1, milliseconds; 0 when absent
	CorrelationID   string // 1.1, AsyncAPI
	Action          string // 1.1, AsyncAPI: "send" or "receive"
	DependsOn       []string
	Extensions      Extensions
	Pos             Pos
}

// Output is one entry of an `outputs` map: a runtime expression, a literal, or (1.1) a Selector.
type Output struct {
	Name  string
	Value any // string (expression or template), a literal, or *Selector
	Pos   Pos
}

// Parameter is a Parameter Object, or a Reusable Object pointing at one when Ref is set.
type Parameter struct {
	Name       string
	In         string // "path", "query", "header", "cookie", 1.1 "querystring"; "" for workflow inputs
	Value      any    // literal, expression string, or *Selector
	Ref        *Reusable
	Extensions Extensions
	Pos        Pos
	// ValuePos is where the value sits (zero when the parameter has none).
	ValuePos Pos
}

// Reusable is a Reusable Object: a reference to a component with an optional value override.
type Reusable struct {
	Reference string
	Value     any
	HasValue  bool
	Pos       Pos
	ValuePos  Pos // where the value override sits
}

// SuccessAction is a Success Action Object, or a Reusable Object when Ref is set.
type SuccessAction struct {
	Name       string
	Type       string // "end" or "goto"
	WorkflowID string
	StepID     string
	Parameters []*Parameter // 1.1
	Criteria   []*Criterion
	Ref        *Reusable
	Extensions Extensions
	Pos        Pos
}

// FailureAction is a Failure Action Object, or a Reusable Object when Ref is set.
type FailureAction struct {
	Name          string
	Type          string // "end", "goto" or "retry"
	WorkflowID    string
	StepID        string
	Parameters    []*Parameter // 1.1
	RetryAfter    float64      // seconds
	HasRetryAfter bool
	RetryLimit    int
	HasRetryLimit bool
	Criteria      []*Criterion
	Ref           *Reusable
	Extensions    Extensions
	Pos           Pos
}

// Criterion is a Criterion Object.
type Criterion struct {
	Context   string
	Condition string
	// Type is "simple", "regex", "jsonpath", "xpath" or "" (simple); when the document gives an
	// Expression Type Object, Type holds its type and Version its version.
	Type       string
	Version    string
	Extensions Extensions
	Pos        Pos
	// ConditionPos is where the condition string itself sits.
	ConditionPos Pos
}

// Selector is the 1.1 Selector Object.
type Selector struct {
	Context  string
	Selector string
	Type     string // "jsonpath", "xpath" or "jsonpointer"
	Version  string
	Pos      Pos
}

// RequestBody is a Request Body Object.
type RequestBody struct {
	ContentType  string
	Payload      any
	HasPayload   bool
	Replacements []*PayloadReplacement
	Extensions   Extensions
	Pos          Pos
	PayloadPos   Pos // where the payload sits
}

// PayloadReplacement is a Payload Replacement Object.
type PayloadReplacement struct {
	Target             string
	TargetSelectorType string // 1.1: "jsonpointer" (default), "jsonpath" or "xpath"
	Version            string
	Value              any
	Extensions         Extensions
	Pos                Pos
	ValuePos           Pos // where the value sits
}

// Components is the Components Object.
type Components struct {
	Inputs         map[string]any
	Parameters     map[string]*Parameter
	SuccessActions map[string]*SuccessAction
	FailureActions map[string]*FailureAction
	Extensions     Extensions
	Pos            Pos
}

// Workflow returns the workflow with the given id, or nil.
func (d *Document) Workflow(id string) *Workflow {
	for _, w := range d.Workflows {
		if w.WorkflowID == id {
			return w
		}
	}
	return nil
}

// SourceDescription returns the source description with the given name, or nil.
func (d *Document) SourceDescription(name string) *SourceDescription {
	for _, s := range d.SourceDescriptions {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Step returns the step with the given id, or nil.
func (w *Workflow) Step(id string) *Step {
	for _, s := range w.Steps {
		if s.StepID == id {
			return s
		}
	}
	return nil
}

// NonConformingIDs lists the distinct workflowIds and stepIds of the document outside the form
// the specification recommends, `[A-Za-z0-9_-]+` (WILD-05), longest first (then in byte order),
// so that renaming them in expression text never touches one id inside a longer one.
func (d *Document) NonConformingIDs() []string {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if id != "" && !ValidID(id) && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, wf := range d.Workflows {
		add(wf.WorkflowID)
		for _, s := range wf.Steps {
			add(s.StepID)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j]
	})
	return out
}

// DeclaresOutput reports whether the step declares an output of that name.
func (s *Step) DeclaresOutput(name string) bool {
	for _, o := range s.Outputs {
		if o.Name == name {
			return true
		}
	}
	return false
}

// StepIndex returns the position of the step with the given id, or -1.
func (w *Workflow) StepIndex(id string) int {
	for i, s := range w.Steps {
		if s.StepID == id {
			return i
		}
	}
	return -1
}

// MinorVersion returns "1.0" or "1.1" from the document's `arazzo` field (patch ignored, GEN-01).
func (d *Document) MinorVersion() string {
	v := d.Arazzo
	parts := 0
	for i := 0; i < len(v); i++ {
		if v[i] == '.' {
			parts++
			if parts == 2 {
				return v[:i]
			}
		}
	}
	return v
}
