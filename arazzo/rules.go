package arazzo

// Rule ids of Validate. Like the parser's, they are part of the public contract: never rename
// one once released. docs/validate-rules.md explains each.
const (
	RuleSchema            = "schema"
	RuleRootSchemaKey     = "root-schema-key"
	RuleDuplicateID       = "duplicate-id"
	RuleUnknownStep       = "unknown-step"
	RuleUnknownWorkflow   = "unknown-workflow"
	RuleUnknownSource     = "unknown-source"
	RuleUnknownComponent  = "unknown-component"
	RuleDependsOnCycle    = "depends-on-cycle"
	RuleExpressionSyntax  = "expression-syntax"
	RuleUndeclaredInput   = "undeclared-input"
	RuleUnknownOutput     = "unknown-output"
	RuleStepOrder         = "step-order"
	RuleCriterionContext  = "criterion-without-context"
	RuleBareExpression    = "bare-embedded-expression"
	RuleJSONPathCondition = "jsonpath-js-condition"
	RuleStepsShorthand    = "steps-output-shorthand"
	RuleLiteralOutput     = "literal-output"
	RuleIDCharacters      = "id-characters"
	RuleGotoLoop          = "goto-loop"
	RuleUnreachableStep   = "unreachable-step"
	RuleUnusedInput       = "unused-input"
)

// RuleInfo describes a rule for documentation and report formats such as SARIF.
type RuleInfo struct {
	ID string `json:"id"`
	// Severity is the rule's usual severity; step-order is an error in 1.1 and a warning in 1.0.
	Severity Severity `json:"severity"`
	// Summary says what the rule catches, Fix how to fix a finding.
	Summary string `json:"summary"`
	Fix     string `json:"fix"`
}

// Rules lists the rules of Parse and Validate, in documentation order.
func Rules() []RuleInfo {
	return []RuleInfo{
		{RuleYAMLSyntax, SeverityError, "the file is not well-formed YAML or JSON", "fix the syntax at the position given"},
		{RuleDocumentTooLarge, SeverityError, "the document is larger than 16 MiB", "split the document"},
		{RuleDocumentTooComplex, SeverityError, "the document nests deeper than 512 levels, or its YAML aliases expand it beyond 100,000 nodes (or twice its written size)", "flatten the nesting, or write the repeated parts out instead of using aliases"},
		{RuleNotAnObject, SeverityError, "the root is not an object with an `arazzo` field", "make the root a mapping that starts with `arazzo: 1.0.1` or `1.1.0`"},
		{RuleUnsupportedVer, SeverityError, "the `arazzo` version is neither 1.0.x nor 1.1.x", "use 1.0.1 or 1.1.0"},
		{RuleRequiredField, SeverityError, "a required field is missing or an required list is empty", "add the field"},
		{RuleInvalidType, SeverityError, "a field has the wrong type (a list where an object belongs, say)", "give the type the message names"},
		{RuleInvalidValue, SeverityError, "a field has a value outside its allowed set", "use one of the values the message lists"},
		{RuleDuplicateKey, SeverityError, "an object has the same key twice", "keep one"},
		{RuleUnknownField, SeverityError, "an object has a field the specification does not define: an error for validate (the official schema forbids it), a warning for run, which ignores it", "remove it, or prefix it with `x-`"},
		{RuleReservedExtKey, SeverityWarning, "an extension uses a prefix reserved by the OpenAPI Initiative (`x-oai-`, `x-oas-`, `x-arazzo`)", "rename the extension"},
		{RuleSchema, SeverityError, "the document breaks the official JSON Schema of its version (1.0 or 1.1)", "change the node the message points at as it says"},
		{RuleRootSchemaKey, SeverityWarning, "a root `$schema` key, which the official schema forbids (WILD-01)", "remove `$schema`"},
		{RuleDuplicateID, SeverityError, "two workflows, two steps of one workflow or two source descriptions share an id", "rename one"},
		{RuleUnknownStep, SeverityError, "a `goto`/`retry` stepId, a step `dependsOn` or a `$steps.X` expression names a step the workflow does not have", "fix the step id"},
		{RuleUnknownWorkflow, SeverityError, "a step, action, `dependsOn` or `$workflows.X` names a workflow the document does not have", "fix the workflow id, or write `$sourceDescriptions.NAME.ID` for one in another document"},
		{RuleUnknownSource, SeverityError, "a `$sourceDescriptions.NAME` reference names no source description", "fix the name or add the source description"},
		{RuleUnknownComponent, SeverityError, "a `$components.*` reference or a Reusable Object names no component of that kind", "fix the key or add the component"},
		{RuleDependsOnCycle, SeverityError, "workflows depend on each other in a cycle", "remove one dependency of the cycle"},
		{RuleExpressionSyntax, SeverityError, "a runtime expression, template or condition does not parse", "fix it as the message says"},
		{RuleUndeclaredInput, SeverityError, "`$inputs.X` or `$workflows.W.inputs.X` names an input the workflow's inputs schema does not declare", "declare X under the workflow's `inputs.properties`, or fix the name"},
		{RuleUnknownOutput, SeverityError, "`$steps.S.outputs.Y` or `$workflows.W.outputs.Y` names an output the step or workflow does not declare", "declare the output or fix its name"},
		{RuleStepOrder, SeverityError, "an expression reads the outputs of a step that has not run yet (a later step, or the step itself in its request); a warning in 1.0 documents (STEP-18)", "move the step after the one it reads, or add `dependsOn`"},
		{RuleCriterionContext, SeverityError, "a regex, jsonpath or xpath criterion has no `context` (CRIT-02)", "add `context`, e.g. `$response.body`"},
		{RuleBareExpression, SeverityWarning, "a string holds a runtime expression without braces, such as \"Bearer $inputs.token\", which is sent literally (WILD-06)", "wrap the expression in braces: \"Bearer {$inputs.token}\""},
		{RuleStepsShorthand, SeverityWarning, "`$steps.S.NAME` leaves out `.outputs.` for an output step S declares (WILD-02); it is read as `$steps.S.outputs.NAME`", "write `$steps.S.outputs.NAME`"},
		{RuleLiteralOutput, SeverityWarning, "an output's value is a literal (a number, a boolean, null) rather than a runtime expression (WILD-04); runs use the literal as the value", "compute the value with a runtime expression, or take it from an input"},
		{RuleIDCharacters, SeverityWarning, "a workflowId or stepId holds characters outside `[A-Za-z0-9_-]` (WILD-05); runs, `-w` and runtime expressions find it by its exact text, other tools may not", "rename it with letters, digits, `_` and `-`"},
		{RuleJSONPathCondition, SeverityWarning, "a jsonpath criterion is a JavaScript-like comparison such as `$.items.length > 0`, which is not JSONPath (WILD-06)", "write a simple condition (`$response.body#/items/0 != null`) or a JSONPath that selects nodes (`$.items[0]`)"},
		{RuleGotoLoop, SeverityWarning, "a `goto` jumps back to the same or an earlier step with nothing to bound the loop", "give the action criteria that stop matching, or use `type: retry` with `retryLimit`"},
		{RuleUnreachableStep, SeverityWarning, "no path of sequence, `goto` or `retry` reaches the step", "remove the step or add a path to it"},
		{RuleUnusedInput, SeverityWarning, "a declared input is never read by `$inputs.X`, `$workflows.W.inputs.X` or the credential conventions", "remove the input or use it"},
	}
}
