package runtime

// Result is the outcome of one run. Its JSON form is the `-o json` contract of cli.md.
type Result struct {
	Document  string            `json:"document"`
	Success   bool              `json:"success"`
	Mocked    bool              `json:"mocked,omitempty"`
	Workflows []*WorkflowResult `json:"workflows"`
	// Warnings are notes a user should read: credentials taken from inputs by convention,
	// descriptions that loaded with problems, tolerated near-misses.
	Warnings []string `json:"warnings,omitempty"`
	// DryRun says no request was sent: the steps hold the requests that would have been.
	DryRun bool `json:"dryRun,omitempty"`
	// GeneratedInputs holds, per workflowId, the inputs a mock run generated from the inputs
	// schema because they were not given (RunOptions.GenerateInputs).
	GeneratedInputs map[string]map[string]any `json:"generatedInputs,omitempty"`
}

// WorkflowResult is the outcome of one workflow.
type WorkflowResult struct {
	WorkflowID string         `json:"workflowId"`
	Success    bool           `json:"success"`
	Error      string         `json:"error"`
	Outputs    map[string]any `json:"outputs"`
	DurationMs float64        `json:"durationMs"`
	Steps      []*StepResult  `json:"steps"`
	// TransferredTo names the workflow a `goto` handed control to (a one-way transfer).
	TransferredTo string `json:"transferredTo,omitempty"`
}

// StepResult is one execution of a step; a step reached twice by goto appears twice, and the
// retries of one execution are counted in Attempts.
type StepResult struct {
	StepID     string         `json:"stepId"`
	Success    bool           `json:"success"`
	Attempts   int            `json:"attempts"`
	Method     string         `json:"method,omitempty"`
	URL        string         `json:"url,omitempty"`
	StatusCode int            `json:"statusCode,omitempty"`
	DurationMs float64        `json:"durationMs"`
	Outputs    map[string]any `json:"outputs"`
	Error      string         `json:"error"`
	// WorkflowID is set for a step that calls a workflow.
	WorkflowID string `json:"workflowId,omitempty"`
	// Action names the action that was taken after the step, e.g. "goto:poll" or "retry".
	Action string `json:"action,omitempty"`
	// Criteria lists each success criterion with whether it held; kept for reports.
	Criteria []CriterionResult `json:"criteria,omitempty"`
	// Exchanges holds every HTTP exchange of the step's attempts, for reports (HAR, -v).
	Exchanges []*Exchange `json:"-"`
}

// CriterionResult is the outcome of one criterion.
type CriterionResult struct {
	Condition string `json:"condition"`
	Type      string `json:"type,omitempty"`
	Passed    bool   `json:"passed"`
	// Skipped is set in a dry run for a criterion that needs a response.
	Skipped bool `json:"skipped,omitempty"`
	// Seen describes the values the condition read, e.g. "$statusCode = 500".
	Seen  string `json:"seen,omitempty"`
	Error string `json:"error,omitempty"`
}
