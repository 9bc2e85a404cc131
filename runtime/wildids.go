package runtime

import (
	"fmt"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
)

// idAliases names, for a document whose workflowIds or stepIds hold characters outside
// [A-Za-z0-9_-] (WILD-05), each such id by a stand-in the expression grammar accepts, so that
// `$steps.list all.outputs.count` and `$workflows.my flow.outputs.x` find them by their exact
// text: expressions are rewritten to the stand-ins before they are parsed, and contexts hold
// the values under both names.
type idAliases struct {
	byID    map[string]string // odd id -> stand-in
	byAlias map[string]string // stand-in -> odd id
	ids     []string          // the odd ids, longest first (arazzo.Document.NonConformingIDs)
	aliases []string          // their stand-ins, in the same order
}

// newIDAliases returns the aliases of doc's odd ids, or nil when it has none.
func newIDAliases(doc *arazzo.Document) *idAliases {
	odd := doc.NonConformingIDs()
	if len(odd) == 0 {
		return nil
	}
	taken := map[string]bool{}
	for _, wf := range doc.Workflows {
		taken[wf.WorkflowID] = true
		for _, s := range wf.Steps {
			taken[s.StepID] = true
		}
	}
	a := &idAliases{byID: map[string]string{}, byAlias: map[string]string{}, ids: odd}
	for i, id := range odd {
		var b strings.Builder
		for _, r := range id {
			if r < 128 && arazzo.ValidID(string(r)) {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
		alias := fmt.Sprintf("%s--wild-id-%d", b.String(), i)
		for taken[alias] {
			alias += "-"
		}
		taken[alias] = true
		a.byID[id], a.byAlias[alias] = alias, id
		a.aliases = append(a.aliases, alias)
	}
	return a
}

// rewrite replaces the odd ids that text names after `$steps.` or `$workflows.` by their
// stand-ins.
func (a *idAliases) rewrite(text string) string {
	if a == nil {
		return text
	}
	out, _ := expr.RenameIDs(text, a.ids, a.aliases)
	return out
}

// original returns the id a stand-in stands for, or id itself.
func (a *idAliases) original(id string) string {
	if a == nil {
		return id
	}
	if o, ok := a.byAlias[id]; ok {
		return o
	}
	return id
}

// steps returns m with each odd id's entry also under its stand-in (m itself when there is
// nothing to add).
func (a *idAliases) steps(m map[string]map[string]any) map[string]map[string]any {
	if a == nil {
		return m
	}
	out := make(map[string]map[string]any, len(m)+len(a.byID))
	for k, v := range m {
		out[k] = v
		if alias, ok := a.byID[k]; ok {
			out[alias] = v
		}
	}
	return out
}

// workflows is steps for the $workflows values.
func (a *idAliases) workflows(m map[string]expr.WorkflowValues) map[string]expr.WorkflowValues {
	if a == nil {
		return m
	}
	out := make(map[string]expr.WorkflowValues, len(m)+len(a.byID))
	for k, v := range m {
		out[k] = v
		if alias, ok := a.byID[k]; ok {
			out[alias] = v
		}
	}
	return out
}
