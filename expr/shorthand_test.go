package expr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arazzo-runner/arazzo/expr"
)

// WILD-02: `$steps.S.NAME` becomes `$steps.S.outputs.NAME` only where the step declares NAME.
func TestExpandStepsShorthand(t *testing.T) {
	t.Parallel()
	declared := func(step, name string) bool {
		return step == "find" && (name == "petId" || name == "tags" || name == "outputsX")
	}
	for _, tc := range []struct {
		in, want string
		found    []string
	}{
		{"$steps.find.petId", "$steps.find.outputs.petId", []string{"$steps.find.petId"}},
		{"$steps.find.petId#/0 == 'x' && $steps.find.tags != null", "$steps.find.outputs.petId#/0 == 'x' && $steps.find.outputs.tags != null", []string{"$steps.find.petId", "$steps.find.tags"}},
		{"id {$steps.find.petId}", "id {$steps.find.outputs.petId}", []string{"$steps.find.petId"}},
		{"$steps.find.outputs.petId", "$steps.find.outputs.petId", nil},
		{"$steps.find.other", "$steps.find.other", nil},
		{"$steps.adopt.petId", "$steps.adopt.petId", nil},
		{"$workflows.w.steps.find.outputs.petId", "$workflows.w.steps.find.outputs.petId", nil},
		{"no expression", "no expression", nil},
		{"$steps.find.outputs#/0", "$steps.find.outputs#/0", nil},
		{"$steps.find.outputsX", "$steps.find.outputs.outputsX", []string{"$steps.find.outputsX"}},
		{"$steps.find.outputs.tags and $steps.find.tags", "$steps.find.outputs.tags and $steps.find.outputs.tags", []string{"$steps.find.tags"}},
	} {
		got, found := expr.ExpandStepsShorthand(tc.in, declared)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.found, found, tc.in)
	}
	got, found := expr.ExpandStepsShorthand("$steps.find.petId", nil)
	assert.Equal(t, "$steps.find.petId", got)
	assert.Nil(t, found)
}
