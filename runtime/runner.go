package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/openapi"
)

// Defaults of a Runner and of RunOptions.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxSteps         = 1000
	DefaultMaxDepth         = 32
	DefaultMaxResponseBytes = 64 << 20
	DefaultMaxRetryAfter    = 5 * time.Minute
)

// Runner executes Arazzo documents. It is safe for concurrent use: each Run keeps its own state.
type Runner struct {
	client        *http.Client
	logger        *slog.Logger
	loader        *openapi.Loader
	maxRetryAfter time.Duration
	sleep         func(ctx context.Context, d time.Duration) error
}

// Option configures a Runner.
type Option func(*Runner) error

// WithHTTPClient sets the client used for every request (default: a client with no overall
// timeout; per-request timeouts come from RunOptions.Timeout). Redirects are followed as the
// client does.
func WithHTTPClient(c *http.Client) Option {
	return func(r *Runner) error {
		if c == nil {
			return errors.New("http client is nil")
		}
		r.client = c
		return nil
	}
}

// WithLogger sets the logger (default: discard). Requests are logged at Debug with secrets
// redacted by the caller's handler; the runtime never logs credential values.
func WithLogger(l *slog.Logger) Option {
	return func(r *Runner) error {
		if l == nil {
			return errors.New("logger is nil")
		}
		r.logger = l
		return nil
	}
}

// WithLoader sets the OpenAPI loader, so several runs share its cache (default: a new loader
// that does not follow remote $refs).
func WithLoader(l *openapi.Loader) Option {
	return func(r *Runner) error {
		if l == nil {
			return errors.New("loader is nil")
		}
		r.loader = l
		return nil
	}
}

// WithMaxRetryAfter caps how long a server's Retry-After header may make a retry wait
// (default 5 minutes).
func WithMaxRetryAfter(d time.Duration) Option {
	return func(r *Runner) error {
		if d < 0 {
			return fmt.Errorf("max retry-after %s is negative", d)
		}
		r.maxRetryAfter = d
		return nil
	}
}

// WithSleep replaces how the Runner waits between retries (default: a timer that stops early
// when the context is cancelled). The function gets the wait a retry asks for, after a server's
// Retry-After has been applied and capped; it must return ctx.Err() when ctx ends first. Tests
// use it to observe waits without sleeping.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(r *Runner) error {
		if sleep == nil {
			return errors.New("sleep function is nil")
		}
		r.sleep = sleep
		return nil
	}
}

// New returns a Runner configured by opts.
func New(opts ...Option) (*Runner, error) {
	r := &Runner{
		client:        &http.Client{},
		logger:        slog.New(slog.DiscardHandler),
		maxRetryAfter: DefaultMaxRetryAfter,
		sleep:         sleepContext,
	}
	for _, o := range opts {
		if err := o(r); err != nil {
			return nil, fmt.Errorf("runtime option: %w", err)
		}
	}
	if r.loader == nil {
		l, err := openapi.NewLoader(openapi.WithHTTPClient(r.client), openapi.WithLogger(r.logger))
		if err != nil {
			return nil, err
		}
		r.loader = l
	}
	return r, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Credential is one value given for a security scheme, as `--auth [SOURCE.]SCHEME=VALUE` does.
type Credential struct {
	Source string // empty: any source
	Scheme string // the security scheme's name in the OpenAPI description
	Value  string // user:pass for http basic, the token for bearer, the key for apiKey
}

// RunOptions is the per-run data.
type RunOptions struct {
	// WorkflowID selects one workflow (run after the workflows it dependsOn). Empty runs every
	// workflow of the document in dependsOn order.
	WorkflowID string
	// Inputs are the inputs of the workflow(s). When several workflows run, an object whose keys
	// are workflowIds is read as per-workflow inputs.
	Inputs map[string]any
	// Servers maps a source description name to the base URL that replaces its OpenAPI servers;
	// the key "" applies to every source. A name applies to that source in every loaded Arazzo
	// document (the entry one and its `type: arazzo` sources).
	Servers map[string]string
	// ServerVars gives values for OpenAPI server variables.
	ServerVars map[string]string
	// Sources maps a source description name to a path or URL loaded instead of its url, in
	// every loaded Arazzo document.
	Sources map[string]string
	// Auth holds credentials given explicitly; they win over every other lookup.
	Auth []Credential
	// LookupEnv reads ARAZZO_AUTH_* credentials; nil reads none. The runtime never reads the
	// process environment itself.
	LookupEnv func(string) (string, bool)
	// Timeout bounds each request (default DefaultTimeout). A 1.1 step `timeout` overrides it.
	Timeout time.Duration
	// MaxSteps bounds the step executions of a run (default DefaultMaxSteps).
	MaxSteps int
	// MaxDepth bounds nested workflow calls (default DefaultMaxDepth).
	MaxDepth int
	// MaxResponseBytes refuses larger response bodies (default DefaultMaxResponseBytes).
	MaxResponseBytes int64
	// Mock starts an in-process mock of every OpenAPI source of every loaded Arazzo document on
	// 127.0.0.1 and sends the requests there.
	Mock bool
	// MockMode chooses how the mock answers (only with Mock): MockWorkflow (the default, also
	// for "") shapes each response so the step's success criteria hold and polling loops end
	// at once; MockSchema answers from the OpenAPI description alone.
	MockMode MockMode
	// GenerateInputs fills the inputs a workflow declares but the run was not given with values
	// generated from its inputs schema, each reported in Result.GeneratedInputs and as a
	// warning. It is refused without Mock: generated values never reach a real API.
	GenerateInputs bool
	// KeepExchanges keeps every request and response (bodies included) in the StepResults, for
	// reports such as HAR.
	KeepExchanges bool
	// OmitRequestBodies leaves request bodies out of the kept exchanges, for reports that do not
	// show them: large JSON bodies are then encoded as they are sent, never held whole.
	OmitRequestBodies bool
	// Observer, when set, is told of each step as it finishes (for live progress).
	Observer func(workflowID string, step *StepResult)
	// DryRun builds every request of the first pass (each step once, in order, no actions
	// followed) without sending any; see dryrun.go. Values that need a response are shown as
	// placeholders such as "<$steps.find.outputs.id>".
	DryRun bool
	// StrictResponses fails a step whose response differs from the operation's OpenAPI
	// description (an undocumented status or media type, a body off the response schema),
	// which is otherwise a warning (WILD-07). Mocked responses are not checked.
	StrictResponses bool
	// Strict refuses the near-misses of documents in the wild that a run otherwise accepts with
	// a warning, such as an expression written in text without braces (WILD-06).
	Strict bool
	// Clients maps a source description name to the HTTP client its requests use (for example
	// one presenting a TLS client certificate); other sources use the Runner's client.
	Clients map[string]*http.Client
}

// MockMode is how the in-process mock answers a run's requests.
type MockMode string

// Mock modes of RunOptions.MockMode.
const (
	// MockWorkflow answers so that each step's success criteria hold (status code, body
	// values, JSONPath and regex criteria) and goto loops end: the happy path runs offline.
	MockWorkflow MockMode = "workflow"
	// MockSchema answers from the OpenAPI description alone: the lowest documented 2xx with
	// its example or a body generated from its schema.
	MockSchema MockMode = "schema"
)

func (o *RunOptions) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxSteps <= 0 {
		o.MaxSteps = DefaultMaxSteps
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
}

// Run executes doc. The returned error is non-nil only when the run could not start (a
// document, source, input or option problem; see SetupError); a workflow that fails is reported
// in the Result with Success false. On cancellation the partial Result is returned together
// with the context's error.
func (r *Runner) Run(ctx context.Context, doc *arazzo.Document, opts RunOptions) (*Result, error) {
	opts.defaults()
	p, err := r.plan(ctx, doc, &opts)
	if err != nil {
		return nil, err
	}
	defer p.close()
	if opts.DryRun {
		return r.dryRun(ctx, p)
	}
	return r.execute(ctx, p)
}
