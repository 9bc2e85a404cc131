package arazzo_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
)

var update = flag.Bool("update", false, "rewrite golden files")

const specDir = "../../shared/arazzo-spec"

func specFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(specDir, pattern))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skipf("%s not found: the shared Arazzo spec copy is absent", specDir)
	}
	return files
}

func validateFile(t *testing.T, path string) (*arazzo.Document, arazzo.Diagnostics) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return arazzo.ValidateBytes(path, data)
}

// The OAI schema test fixtures: a pass file breaks neither the parser nor the official schema;
// a fail file gets at least one error. Pass files may still hold reference mistakes (the bnpl
// example's undeclared outputs), which are other rules' findings.
func TestValidateSchemaFixtures(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"v1.0", "v1.1"} {
		for _, f := range specFiles(t, "tests/"+v+"/pass/*") {
			t.Run(v+"/pass/"+filepath.Base(f), func(t *testing.T) {
				doc, diags := validateFile(t, f)
				require.NotNil(t, doc, diags.Error())
				for _, d := range diags.Errors() {
					assert.NotEqual(t, arazzo.RuleSchema, d.Rule, d.Error())
				}
			})
		}
		for _, f := range specFiles(t, "tests/"+v+"/fail/*") {
			t.Run(v+"/fail/"+filepath.Base(f), func(t *testing.T) {
				_, diags := validateFile(t, f)
				assert.True(t, diags.HasErrors(), "no error for %s", f)
			})
		}
	}
}

// The official examples pass the schema; their findings (the bnpl example's known mistakes,
// for one) are pinned in a golden file.
func TestValidateOfficialExamples(t *testing.T) {
	t.Parallel()
	var got strings.Builder
	for _, f := range specFiles(t, "examples/1.0.0/*.arazzo.yaml") {
		doc, diags := validateFile(t, f)
		require.NotNil(t, doc, diags.Error())
		for _, d := range diags {
			assert.NotEqual(t, arazzo.RuleSchema, d.Rule, d.Error())
			d.File = filepath.Base(d.File)
			got.WriteString(d.Error() + "\n")
		}
	}
	for _, f := range specFiles(t, "examples/1.0.0/bnpl-arazzo.yaml") {
		_, diags := validateFile(t, f)
		for _, d := range diags {
			d.File = filepath.Base(d.File)
			got.WriteString(d.Error() + "\n")
		}
	}
	golden := filepath.Join("testdata", "examples.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got.String()), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got.String())
}

func TestRulesCatalogue(t *testing.T) {
	t.Parallel()
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for _, r := range arazzo.Rules() {
		assert.Regexp(t, kebab, r.ID)
		assert.False(t, seen[r.ID], "rule %s listed twice", r.ID)
		seen[r.ID] = true
		assert.NotEmpty(t, r.Summary, r.ID)
		assert.NotEmpty(t, r.Fix, r.ID)
		assert.Contains(t, []arazzo.Severity{arazzo.SeverityError, arazzo.SeverityWarning}, r.Severity, r.ID)
	}
	// The ids are a public contract: a rename breaks users' suppressions and CI filters.
	for _, id := range []string{
		arazzo.RuleYAMLSyntax, arazzo.RuleNotAnObject, arazzo.RuleRequiredField, arazzo.RuleInvalidType,
		arazzo.RuleUnknownField, arazzo.RuleUnsupportedVer, arazzo.RuleInvalidValue, arazzo.RuleReservedExtKey,
		arazzo.RuleDuplicateKey, arazzo.RuleDocumentTooLarge, arazzo.RuleDocumentTooComplex, arazzo.RuleSchema, arazzo.RuleRootSchemaKey,
		arazzo.RuleDuplicateID, arazzo.RuleUnknownStep, arazzo.RuleUnknownWorkflow, arazzo.RuleUnknownSource,
		arazzo.RuleUnknownComponent, arazzo.RuleDependsOnCycle, arazzo.RuleExpressionSyntax, arazzo.RuleUndeclaredInput,
		arazzo.RuleUnknownOutput, arazzo.RuleStepOrder, arazzo.RuleCriterionContext, arazzo.RuleBareExpression,
		arazzo.RuleJSONPathCondition, arazzo.RuleGotoLoop, arazzo.RuleUnreachableStep, arazzo.RuleUnusedInput, arazzo.RuleStepsShorthand,
		arazzo.RuleLiteralOutput, arazzo.RuleIDCharacters,
	} {
		assert.True(t, seen[id], "rule %s is not in Rules()", id)
	}
	assert.Equal(t, "bare-embedded-expression", arazzo.RuleBareExpression)
	assert.Equal(t, "schema", arazzo.RuleSchema)
	assert.Equal(t, "step-order", arazzo.RuleStepOrder)
}

func TestValidateSchemaPositions(t *testing.T) {
	t.Parallel()
	doc := "arazzo: 1.1.0\ninfo:\n  title: t\n  version: 1.0.0\nsourceDescriptions:\n  - name: api\n    url: ./api.yaml\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        operationId: op\n        successCriteria: []\n"
	_, diags := arazzo.ValidateBytes("doc.yaml", []byte(doc))
	require.Len(t, diags, 1, diags.Error())
	assert.Equal(t, "doc.yaml:13:26: error: schema: workflows[0].steps[0].successCriteria: must have at least 1 entry [schema]", diags[0].Error())
}

func ExampleValidateBytes() {
	doc := `arazzo: 1.0.1
info: {title: Pets, version: 1.0.0}
sourceDescriptions: [{name: pets, url: ./pets.yaml}]
workflows:
  - workflowId: list
    steps:
      - stepId: all
        operationId: listPets
        parameters: [{name: Authorization, in: header, value: "Bearer $inputs.token"}]
`
	_, diags := arazzo.ValidateBytes("doc.yaml", []byte(doc))
	for _, d := range diags {
		fmt.Println(d.Error())
	}
	// Output:
	// doc.yaml:9:63: warning: parameter Authorization: "$inputs.token" is inside text without braces and is sent literally: write {$inputs.token} [bare-embedded-expression]
}

// `$steps.S.NAME` for an output step S declares is a near-miss (WILD-02): a warning saying what
// to write, in values and conditions; for an output S does not declare it stays a syntax error.
func TestValidateStepsShorthand(t *testing.T) {
	t.Parallel()
	doc := `arazzo: 1.0.1
info: {title: t, version: 1.0.0}
sourceDescriptions: [{name: api, url: ./api.yaml}]
workflows:
  - workflowId: w
    outputs:
      id: $steps.find.petId
      bad: $steps.find.missing
    steps:
      - stepId: find
        operationId: findPets
        outputs: {petId: $response.body#/0/id}
      - stepId: adopt
        operationId: adoptPet
        parameters: [{name: petId, in: path, value: "{$steps.find.petId}"}]
        successCriteria: [{condition: $steps.find.petId != null}]
`
	_, diags := arazzo.ValidateBytes("doc.yaml", []byte(doc))
	var got []string
	for _, d := range diags {
		got = append(got, d.Error())
	}
	assert.ElementsMatch(t, []string{
		`doc.yaml:7:11: warning: workflow output id: "$steps.find.petId" leaves out .outputs. in $steps.find.petId, which runs read as $steps.find.outputs.petId: write that [steps-output-shorthand]`,
		`doc.yaml:8:12: error: workflow output bad: "$steps.find.missing": offset 12: expected "outputs.<name>" after $steps.find.: write $steps.find.outputs.missing [expression-syntax]`,
		`doc.yaml:15:53: warning: parameter petId: "{$steps.find.petId}" leaves out .outputs. in $steps.find.petId, which runs read as $steps.find.outputs.petId: write that [steps-output-shorthand]`,
		`doc.yaml:16:39: warning: condition: "$steps.find.petId != null" leaves out .outputs. in $steps.find.petId, which runs read as $steps.find.outputs.petId: write that [steps-output-shorthand]`,
	}, got)
}

// Ids outside [A-Za-z0-9_-] are a warning (WILD-05); expressions that name them by their exact
// text are not syntax errors, since runs find them.
func TestValidateOddIDs(t *testing.T) {
	t.Parallel()
	doc := `arazzo: 1.0.1
info: {title: t, version: 1.0.0}
sourceDescriptions: [{name: api, url: ./api.yaml}]
workflows:
  - workflowId: find pets
    outputs:
      n: $steps.list all.outputs.count
    steps:
      - stepId: list all
        operationId: findPets
        outputs: {count: $statusCode}
      - stepId: again
        operationId: findPets
        successCriteria: [{condition: $steps.list all.outputs.count == 200}]
        parameters: [{name: n, in: query, value: "n={$steps.list all.outputs.count}"}]
`
	_, diags := arazzo.ValidateBytes("doc.yaml", []byte(doc))
	var got []string
	for _, d := range diags {
		got = append(got, d.Rule)
	}
	assert.Equal(t, []string{arazzo.RuleIDCharacters, arazzo.RuleIDCharacters}, got, diags.Error())
}

// A finding about a leaf of a structured payload points at that leaf.
func TestValidatePayloadLeafPositions(t *testing.T) {
	t.Parallel()
	doc := `arazzo: 1.0.1
info: {title: t, version: 1.0.0}
sourceDescriptions: [{name: api, url: ./api.yaml}]
workflows:
  - workflowId: w
    inputs: {type: object, properties: {token: {type: string}}}
    steps:
      - stepId: s
        operationId: op
        requestBody:
          payload:
            outer:
              list:
                - plain
                - "Bearer $inputs.token"
            other: "{$steps.nope.outputs.x}"
`
	_, diags := arazzo.ValidateBytes("doc.yaml", []byte(doc))
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d:%d %s", d.Line, d.Col, d.Rule))
	}
	assert.ElementsMatch(t, []string{"15:19 " + arazzo.RuleBareExpression, "16:20 " + arazzo.RuleUnknownStep}, got, diags.Error())
}
