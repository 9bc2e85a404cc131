package runtime_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// A dry run builds every request of the first pass and sends none: values that need a response
// become placeholders, criteria that read one are skipped, and a called workflow is walked too.
func TestRunDryRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data, err := os.ReadFile("../examples/pets/pets.openapi.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pets.openapi.yaml"), data, 0o600))
	doc, err := arazzo.Parse(filepath.Join(dir, "flow.arazzo.yaml"), []byte(`arazzo: 1.0.1
info: {title: t, version: "1"}
sourceDescriptions: [{name: pets, url: pets.openapi.yaml, type: openapi}]
workflows:
  - workflowId: adopt
    inputs: {type: object, properties: {status: {type: string}}}
    steps:
      - stepId: findPet
        operationId: findPets
        parameters: [{name: status, in: query, value: $inputs.status}]
        successCriteria: [{condition: $statusCode == 200}, {condition: $inputs.status == 'available'}]
        outputs: {petId: $response.body#/0/id, asked: $inputs.status}
      - stepId: adopt
        operationId: adoptPet
        parameters: [{name: petId, in: path, value: $steps.findPet.outputs.petId}]
    outputs: {asked: $steps.findPet.outputs.asked, petId: $steps.findPet.outputs.petId}
  - workflowId: outer
    steps:
      - stepId: call
        workflowId: adopt
        parameters: [{name: status, value: sold}]
`))
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	var observed []string
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{
		Inputs:   map[string]any{"adopt": map[string]any{"status": "available"}, "outer": map[string]any{}},
		Servers:  map[string]string{"": "http://127.0.0.1:9/v1"},
		Auth:     []runtime.Credential{{Scheme: "petsKey", Value: "k-123"}},
		DryRun:   true,
		Observer: func(wf string, s *runtime.StepResult) { observed = append(observed, wf+"/"+s.StepID) },
	})
	require.NoError(t, err)
	assert.True(t, res.Success)
	assert.True(t, res.DryRun)
	require.Len(t, res.Workflows, 2)

	wf := res.Workflows[0]
	find, adopt := wf.Steps[0], wf.Steps[1]
	assert.Equal(t, "http://127.0.0.1:9/v1/pets?status=available", find.URL)
	require.Len(t, find.Exchanges, 1)
	assert.Equal(t, 0, find.Exchanges[0].StatusCode, "nothing was sent")
	assert.Equal(t, []string{"k-123"}, find.Exchanges[0].Secrets)
	assert.Equal(t, []runtime.CriterionResult{
		{Condition: "$statusCode == 200", Skipped: true},
		{Condition: "$inputs.status == 'available'", Passed: true},
	}, find.Criteria)
	assert.Equal(t, map[string]any{"petId": "<$steps.findPet.outputs.petId>", "asked": "available"}, find.Outputs)
	assert.Equal(t, "POST", adopt.Method)
	assert.Equal(t, "http://127.0.0.1:9/v1/pets/<$steps.findPet.outputs.petId>/adoptions", adopt.URL)
	assert.Equal(t, map[string]any{"asked": "available", "petId": "<$steps.findPet.outputs.petId>"}, wf.Outputs)

	assert.Equal(t, []string{"adopt/findPet", "adopt/adopt", "adopt/findPet", "adopt/adopt", "outer/call"}, observed)
	assert.Equal(t, map[string]any{"asked": "sold", "petId": "<$steps.findPet.outputs.petId>"}, res.Workflows[1].Steps[0].Outputs)
}
