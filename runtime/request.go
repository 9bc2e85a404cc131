package runtime

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/openapi/mock"
)

// Exchange is one HTTP request and its response, kept for reports.
type Exchange struct {
	Started        time.Time
	Duration       time.Duration
	Method         string
	URL            string
	RequestHeader  http.Header
	RequestBody    []byte
	StatusCode     int
	Proto          string
	ResponseHeader http.Header
	ResponseBody   []byte
	Err            string
	// Secrets are the credential values this request carried; reports must redact them.
	Secrets []string
}

// request is a request being built.
type request struct {
	method  string
	url     *url.URL
	header  http.Header
	body    []byte
	path    map[string]string
	query   map[string]string
	bodyVal any
	// stream, when set, opens a reader of a JSON body encoded as it is sent (body is then nil),
	// streamLen long; see jsonBody.open.
	stream    func() io.ReadCloser
	streamLen int64
	secrets   []string
	client    *http.Client // the source's own client (RunOptions.Clients), nil for the Runner's
	// shape asks the workflow-aware mock for an answer (mock.HeaderShape); it is sent but
	// never recorded in the exchange.
	shape string
}

// attempt runs one attempt of a step: the request (or the called workflow) and its success
// criteria.
func (x *run) attempt(ctx context.Context, st *wfState, step *arazzo.Step, sr *StepResult) outcome {
	if step.WorkflowID != "" {
		return x.attemptWorkflow(ctx, st, step, sr)
	}
	b := x.p.bound[step]
	c := x.baseContext(st)
	fail := func(err error) outcome {
		return outcome{ctx: c, failure: &StepError{WorkflowID: st.wf.WorkflowID, StepID: step.StepID, Err: err}}
	}
	req, err := x.buildRequest(st, step, b, c)
	if err != nil {
		return fail(err)
	}
	req.client = x.p.opts.Clients[b.src.sd.Name]
	if b.src.mocked && x.p.opts.MockMode != MockSchema {
		if sh := x.shapeFor(st, step, b, c); sh != nil {
			req.shape = shapeHeader(sh)
		}
	}
	sr.Method, sr.URL = req.method, req.url.String()
	c.Method, c.URL = req.method, req.url.String()
	c.Request = &expr.Message{Header: req.header, Query: req.query, Path: req.path, Body: req.bodyVal}

	timeout := x.p.opts.Timeout
	if step.Timeout > 0 {
		timeout = time.Duration(step.Timeout) * time.Millisecond
	}
	ex, resp, err := x.send(ctx, req, timeout)
	if x.p.opts.KeepExchanges {
		sr.Exchanges = append(sr.Exchanges, ex)
	}
	x.r.logger.Debug("exchange", "workflow", st.wf.WorkflowID, "step", step.StepID, "attempt", sr.Attempts,
		"method", req.method, "url", ex.URL, "status", ex.StatusCode, "duration", ex.Duration)
	if err != nil {
		return fail(err)
	}
	if req.shape != "" {
		x.shapeWarnings(step.StepID, resp.header.Values(mock.HeaderWarning))
	}
	sr.StatusCode = resp.status
	c.StatusCode = resp.status
	c.Response = &expr.Message{Header: resp.header, Body: resp.body}
	x.last = c

	offDescription := x.checkResponse(step, b, resp)

	results, failed := x.evalCriteria(step.SuccessCriteria, c)
	sr.Criteria = results
	if failed != nil {
		return outcome{ctx: c, failure: &StepError{WorkflowID: st.wf.WorkflowID, StepID: step.StepID,
			Criterion: failed.Condition, Seen: failed.Seen, StatusCode: resp.status,
			Err: withProblemDetail(errorOrNil(failed.Error), resp)}}
	}
	if offDescription != nil {
		return fail(offDescription)
	}
	return outcome{ctx: c}
}

// RuleResponseOffDescription is the id of the warning for a real response that differs from the
// operation's OpenAPI description (WILD-07); with RunOptions.StrictResponses it fails the step.
const RuleResponseOffDescription = "response-off-description"

// checkResponse compares a real response with the operation's documentation (the mock's answers
// are reported by the mock itself). A difference is a warning naming the step, or under
// StrictResponses the error returned.
func (x *run) checkResponse(step *arazzo.Step, b *boundStep, resp *response) error {
	if b.src.mocked {
		return nil
	}
	findings := b.op.CheckResponse(resp.status, resp.header.Get("Content-Type"), resp.raw)
	if len(findings) == 0 {
		return nil
	}
	what := fmt.Sprintf("the response differs from the OpenAPI description of %s %s: %s", b.op.Method, b.op.Path, strings.Join(findings, "; "))
	if x.p.opts.StrictResponses {
		return fmt.Errorf("%s (--strict-responses) [%s]", what, RuleResponseOffDescription)
	}
	x.note(fmt.Sprintf("step %q: %s [%s]", step.StepID, what, RuleResponseOffDescription))
	return nil
}

// maxProblemDetail caps the problem detail a StepError quotes.
const maxProblemDetail = 300

// withProblemDetail adds to err the detail of an application/problem+json response (RFC 9457),
// such as the mock answers a request that breaks its OpenAPI description with, so that a failed
// step says why the server refused it. The detail is kept to one line of bounded length.
func withProblemDetail(err error, resp *response) error {
	mt, _, _ := mime.ParseMediaType(resp.header.Get("Content-Type"))
	obj, ok := resp.body.(map[string]any)
	if mt != "application/problem+json" || !ok {
		return err
	}
	detail, _ := obj["detail"].(string)
	if detail == "" {
		detail, _ = obj["title"].(string)
	}
	detail, _, _ = strings.Cut(strings.TrimSpace(detail), "\n")
	if len(detail) > maxProblemDetail {
		detail = strings.ToValidUTF8(detail[:maxProblemDetail], "") + "…"
	}
	switch {
	case detail == "":
		return err
	case err == nil:
		return fmt.Errorf("the server answered: %s", detail)
	default:
		return fmt.Errorf("%w; the server answered: %s", err, detail)
	}
}

func errorOrNil(s string) error {
	if s == "" {
		return nil
	}
	return errors.New(s)
}

// attemptWorkflow runs the workflow a step calls. While its criteria and outputs are evaluated
// $outputs is the called workflow's outputs, also reachable as $workflows.<id>.outputs (AMB-06).
func (x *run) attemptWorkflow(ctx context.Context, st *wfState, step *arazzo.Step, sr *StepResult) outcome {
	c := x.baseContext(st)
	sr.WorkflowID = step.WorkflowID
	target := x.p.workflowRef(step.WorkflowID)
	in, err := x.workflowInputs(st, x.inputParams(st, step), c)
	if err == nil {
		err = x.checkCalledInputs(target, in)
	}
	if err != nil {
		return outcome{ctx: c, failure: &StepError{WorkflowID: st.wf.WorkflowID, StepID: step.StepID, Err: err}}
	}
	wctx := ctx
	if step.Timeout > 0 { // STEP-15: the whole called workflow must finish in time
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, time.Duration(step.Timeout)*time.Millisecond)
		defer cancel()
	}
	x.last = nil
	sub := x.runWorkflow(wctx, target, in, st.depth+1)
	c.Outputs = sub.Outputs
	// AMB-06: $statusCode and $response are those of the called workflow's last HTTP exchange,
	// so criteria such as the pet-coupons example's `$statusCode == 200` read something real.
	if x.last != nil {
		c.StatusCode, c.Response, c.Request, c.URL, c.Method = x.last.StatusCode, x.last.Response, x.last.Request, x.last.URL, x.last.Method
	}
	if ctx.Err() == nil && wctx.Err() != nil {
		return outcome{ctx: c, failure: &StepError{WorkflowID: st.wf.WorkflowID, StepID: step.StepID,
			Err: fmt.Errorf("workflow %q did not finish within the step timeout of %dms", target.WorkflowID, step.Timeout)}}
	}
	if !sub.Success {
		return outcome{ctx: c, failure: &StepError{WorkflowID: st.wf.WorkflowID, StepID: step.StepID,
			Err: fmt.Errorf("workflow %q failed: %s", target.WorkflowID, sub.Error)}}
	}
	results, failed := x.evalCriteria(step.SuccessCriteria, c)
	sr.Criteria = results
	if failed != nil {
		return outcome{ctx: c, failure: &StepError{WorkflowID: st.wf.WorkflowID, StepID: step.StepID,
			Criterion: failed.Condition, Seen: failed.Seen, Err: errorOrNil(failed.Error)}}
	}
	return outcome{ctx: c}
}

// workflowInputs maps parameters (by name) to the inputs of a called workflow.
func (x *run) workflowInputs(st *wfState, params []*arazzo.Parameter, c *expr.Context) (map[string]any, error) {
	in := map[string]any{}
	for _, prm := range params {
		p, v, err := x.paramValue(prm, c)
		if err != nil {
			return nil, err
		}
		in[p.Name] = v
	}
	return in, nil
}

// inputParams lists the parameters that become a called workflow's inputs (PARAM-03): the
// step's, then the workflow-level ones without `in` whose name the step did not set. AMB-02:
// workflow-level parameters that carry an `in` are meant for HTTP operations and are not
// passed to a called workflow.
func (x *run) inputParams(st *wfState, step *arazzo.Step) []*arazzo.Parameter {
	out := append([]*arazzo.Parameter(nil), step.Parameters...)
	seen := map[string]bool{}
	for _, p := range step.Parameters {
		if r, err := x.resolveParam(p); err == nil {
			seen[r.Name] = true
		}
	}
	for _, p := range st.wf.Parameters {
		r, err := x.resolveParam(p)
		if err != nil {
			out = append(out, p) // reported when used
			continue
		}
		if r.In == "" && !seen[r.Name] {
			out = append(out, p)
		}
	}
	return out
}

// checkCalledInputs checks the inputs a step or action passes to a workflow against that
// workflow's inputs schema, as top-level inputs are checked before the run.
func (x *run) checkCalledInputs(wf *arazzo.Workflow, in map[string]any) error {
	if problems := checkInputs(x.p.doc, wf, in); len(problems) > 0 {
		return &InputError{WorkflowID: wf.WorkflowID, Problems: problems}
	}
	return nil
}

// paramValue resolves a parameter (a reusable one from the components) and evaluates its value.
func (x *run) paramValue(prm *arazzo.Parameter, c *expr.Context) (*arazzo.Parameter, any, error) {
	p, err := x.resolveParam(prm)
	if err != nil {
		return nil, nil, err
	}
	v, err := x.evalValue(p.Value, c)
	if err != nil {
		return nil, nil, fmt.Errorf("parameter %q: %w", p.Name, err)
	}
	return p, v, nil
}

// resolveParam follows a Reusable Object to its component parameter, applying its value override.
func (x *run) resolveParam(prm *arazzo.Parameter) (*arazzo.Parameter, error) {
	if prm.Ref == nil {
		return prm, nil
	}
	key, ok := componentKey(prm.Ref.Reference, "parameters")
	c := x.p.doc.Components
	if !ok || c == nil || c.Parameters[key] == nil {
		return nil, fmt.Errorf("parameter reference %q does not name an entry of components.parameters", prm.Ref.Reference)
	}
	p := *c.Parameters[key]
	if prm.Ref.HasValue {
		p.Value = prm.Ref.Value
	}
	return &p, nil
}

// effectiveParams merges the step's parameters with the workflow's (AMB-02): the step's
// entries, then the workflow's whose name and location the step did not set.
func (x *run) effectiveParams(st *wfState, step *arazzo.Step) []*arazzo.Parameter {
	out := append([]*arazzo.Parameter(nil), step.Parameters...)
	if len(st.wf.Parameters) == 0 {
		return out
	}
	seen := map[string]bool{}
	for _, p := range step.Parameters {
		if r, err := x.resolveParam(p); err == nil {
			seen[paramKey(r)] = true
		}
	}
	for _, p := range st.wf.Parameters {
		r, err := x.resolveParam(p)
		if err != nil {
			out = append(out, p) // reported when used
			continue
		}
		if !seen[paramKey(r)] {
			out = append(out, p)
		}
	}
	return out
}

// paramKey is a parameter's identity: name and location, with header names compared without
// case (PARAM-02, PARAM-07).
func paramKey(p *arazzo.Parameter) string {
	if p.In == "header" {
		return p.In + "\x00" + strings.ToLower(p.Name)
	}
	return p.In + "\x00" + p.Name
}

func (x *run) buildRequest(st *wfState, step *arazzo.Step, b *boundStep, c *expr.Context) (*request, error) {
	op := b.op
	req := &request{method: op.Method, header: http.Header{}, path: map[string]string{}, query: map[string]string{}}
	pathStr := op.Path
	query := url.Values{}
	rawQuery := "" // a querystring parameter that is not form text
	var cookies []string
	set := map[string]bool{} // in+name set by the step, never overridden by credentials
	// place serialises one parameter value where its `in` says.
	place := func(name, in string, v any, spec *openapi.Parameter) error {
		style, explode := defaultStyle(in)
		if spec != nil && spec.Style != "" {
			style, explode = spec.Style, spec.Explode
		}
		set[in+"\x00"+strings.ToLower(name)] = true
		switch in {
		case "path":
			s := serializePath(name, v, style, explode)
			req.path[name] = stringify(v)
			if !strings.Contains(pathStr, "{"+name+"}") {
				return fmt.Errorf("path parameter %q is not in the operation path %s", name, op.Path)
			}
			pathStr = strings.ReplaceAll(pathStr, "{"+name+"}", s)
		case "query":
			serializeQuery(query, name, v, style, explode)
			req.query[name] = stringify(v)
		case "querystring":
			// PARAM-09: the value is the whole query string. Form text (a=1&b=2) and objects are
			// sent as form fields; any other text (JSON such as {"filter":"active"}) is sent
			// percent-encoded as the entire query.
			if m, ok := v.(map[string]any); ok {
				for _, k := range sortedKeys(m) {
					serializeQuery(query, k, m[k], "form", true)
				}
				break
			}
			qs := strings.TrimPrefix(stringify(v), "?")
			if t := strings.TrimSpace(qs); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
				rawQuery = url.QueryEscape(qs)
				break
			}
			parsed, err := url.ParseQuery(qs)
			if err != nil {
				return fmt.Errorf("querystring parameter %q is not form-encoded text: %w", name, err)
			}
			for k, vs := range parsed {
				query[k] = append(query[k], vs...)
			}
		case "header":
			req.header.Set(name, serializeSimple(v, explode))
		case "cookie":
			cookies = append(cookies, name+"="+url.QueryEscape(stringify(v)))
		default:
			return fmt.Errorf("parameter %q: unknown location %q", name, in)
		}
		return nil
	}
	for _, prm := range x.effectiveParams(st, step) {
		p, v, err := x.paramValue(prm, c)
		if err != nil {
			return nil, err
		}
		in := p.In
		spec := findParam(op, p.Name, in)
		if in == "" {
			if spec == nil {
				return nil, fmt.Errorf("parameter %q has no `in` and operation %s has no parameter of that name: add in: path|query|header|cookie", p.Name, op.ID)
			}
			in = spec.In
		}
		if err := place(p.Name, in, v, spec); err != nil {
			return nil, err
		}
	}
	implied, err := x.impliedParams(step, b, set)
	if err != nil {
		return nil, err
	}
	for _, ip := range implied {
		if err := place(ip.spec.Name, ip.spec.In, ip.value, ip.spec); err != nil {
			return nil, err
		}
	}
	pathStr = queryTemplatesFilled(pathStr, query)
	if strings.Contains(pathStr, "{") {
		missing := pathParamsLeft(pathStr)
		return nil, fmt.Errorf("path parameter %s of %s %s has no value: add it to the step's parameters with in: path", strings.Join(missing, ", "), op.Method, op.Path)
	}
	u, err := url.Parse(b.baseURL + pathStr)
	if err != nil {
		return nil, fmt.Errorf("request url %q: %w", b.baseURL+pathStr, err)
	}
	if len(query) > 0 {
		q := u.Query()
		for k, vs := range query {
			q[k] = append(q[k], vs...)
		}
		u.RawQuery = q.Encode()
	}
	if rawQuery != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += rawQuery
	}
	req.url = u
	if err := x.applySecurity(st, step, b, req, set, &cookies); err != nil {
		return nil, err
	}
	if len(cookies) > 0 {
		req.header.Set("Cookie", strings.Join(cookies, "; "))
	}
	if step.RequestBody != nil {
		if err := x.buildBody(step.RequestBody, op, req, c); err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
	}
	return req, nil
}

// queryTemplatesFilled drops from the query string of a path key such as
// /{Bucket}/{Key+}?uploadId={uploadId} each templated pair whose name the step sends as a query
// parameter. Such keys are not OpenAPI path templating, but descriptions written from AWS
// models use them, declaring the names `in: query`; the step's query parameter then says the
// same thing, and keeping the pair would send the name twice or leave "{uploadId}" unfilled.
// Literal pairs (?list-type=2) are kept: they select the operation.
func queryTemplatesFilled(pathStr string, query url.Values) string {
	path, keyQuery, ok := strings.Cut(pathStr, "?")
	if !ok || !strings.Contains(keyQuery, "{") {
		return pathStr
	}
	var kept []string
	for _, pair := range strings.Split(keyQuery, "&") {
		name, value, _ := strings.Cut(pair, "=")
		if strings.HasPrefix(value, "{") && strings.HasSuffix(value, "}") && query.Has(name) {
			continue
		}
		kept = append(kept, pair)
	}
	if len(kept) == 0 {
		return path
	}
	return path + "?" + strings.Join(kept, "&")
}

func pathParamsLeft(p string) []string {
	var out []string
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, fmt.Sprintf("%q", p[i+1:i+j]))
		p = p[i+j+1:]
	}
}

func findParam(op *openapi.Operation, name, in string) *openapi.Parameter {
	for _, p := range op.Parameters {
		if in != "" && p.In != in {
			continue
		}
		if p.Name == name || (p.In == "header" && strings.EqualFold(p.Name, name)) {
			return p
		}
	}
	return nil
}

func defaultStyle(in string) (string, bool) {
	switch in {
	case "query", "cookie":
		return "form", true
	}
	return "simple", false
}

// stringify renders a value as text: strings as they are, other values as JSON.
func stringify(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case int:
		return strconv.Itoa(t)
	case bool:
		return strconv.FormatBool(t)
	case json.Number:
		return t.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// serializeSimple renders a value in the OpenAPI simple style (header values, path segments).
func serializeSimple(v any, explode bool) string {
	switch t := v.(type) {
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = stringify(e)
		}
		return strings.Join(parts, ",")
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(t) {
			if explode {
				parts = append(parts, k+"="+stringify(t[k]))
			} else {
				parts = append(parts, k, stringify(t[k]))
			}
		}
		return strings.Join(parts, ",")
	}
	return stringify(v)
}

func serializePath(name string, v any, style string, explode bool) string {
	esc := func(s string) string { return url.PathEscape(s) }
	switch style {
	case "label":
		sep := ","
		if explode {
			sep = "."
		}
		return "." + strings.ReplaceAll(esc(serializeSimple(v, explode)), "%2C", sep)
	case "matrix":
		if arr, ok := v.([]any); ok && explode {
			var b strings.Builder
			for _, e := range arr {
				b.WriteString(";" + name + "=" + esc(stringify(e)))
			}
			return b.String()
		}
		if m, ok := v.(map[string]any); ok && explode {
			var b strings.Builder
			for _, k := range sortedKeys(m) {
				b.WriteString(";" + esc(k) + "=" + esc(stringify(m[k])))
			}
			return b.String()
		}
		return ";" + name + "=" + esc(serializeSimple(v, explode))
	}
	switch t := v.(type) {
	case []any, map[string]any:
		parts := strings.Split(serializeSimple(t, explode), ",")
		for i := range parts {
			parts[i] = esc(parts[i])
		}
		return strings.Join(parts, ",")
	}
	return esc(stringify(v))
}

func serializeQuery(q url.Values, name string, v any, style string, explode bool) {
	switch t := v.(type) {
	case []any:
		if explode && style == "form" {
			for _, e := range t {
				q.Add(name, stringify(e))
			}
			return
		}
		sep := ","
		switch style {
		case "spaceDelimited":
			sep = " "
		case "pipeDelimited":
			sep = "|"
		}
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = stringify(e)
		}
		q.Add(name, strings.Join(parts, sep))
	case map[string]any:
		switch {
		case style == "deepObject":
			for _, k := range sortedKeys(t) {
				q.Add(name+"["+k+"]", stringify(t[k]))
			}
		case explode:
			for _, k := range sortedKeys(t) {
				q.Add(k, stringify(t[k]))
			}
		default:
			q.Add(name, serializeSimple(t, false))
		}
	default:
		q.Add(name, stringify(v))
	}
}

// buildBody evaluates the payload, applies replacements and serializes it by content type
// (AMB-08, AMB-13).
func (x *run) buildBody(rb *arazzo.RequestBody, op *openapi.Operation, req *request, c *expr.Context) error {
	var payload any
	if rb.HasPayload {
		v, err := x.evalValue(rb.Payload, c)
		if err != nil {
			return err
		}
		payload = v
	}
	ct := rb.ContentType
	if ct == "" {
		ct = chooseContentType(op, payload)
	}
	mt, _, _ := mime.ParseMediaType(ct)
	isJSON := mt == "application/json" || strings.HasSuffix(mt, "+json")
	if len(rb.Replacements) > 0 {
		// Replacements change the payload in place; its values may be the inputs' or an
		// earlier response's own, which later steps still read.
		payload = expr.CopyValue(payload)
	}
	if s, ok := payload.(string); ok && isJSON && len(rb.Replacements) > 0 {
		var parsed any
		if err := json.Unmarshal([]byte(s), &parsed); err == nil {
			payload = parsed
		}
	}
	for i, r := range rb.Replacements {
		v, err := x.evalValue(r.Value, c)
		if err != nil {
			return fmt.Errorf("replacement %d (%s): %w", i+1, r.Target, err)
		}
		if payload, err = replace(payload, r, v, mt); err != nil {
			return fmt.Errorf("replacement %d: target %q: %w", i+1, r.Target, err)
		}
	}
	req.bodyVal = payload
	var body []byte
	switch {
	case isJSON:
		if s, ok := payload.(string); ok && json.Valid([]byte(s)) {
			body = []byte(s)
			break
		}
		jb := newJSONBody(payload)
		if jb.streamable(minStreamedBody) && x.streamsBodies() {
			req.stream, req.streamLen = jb.open, int64(jb.n)
			break
		}
		b, err := jb.bytes()
		if err != nil {
			return fmt.Errorf("cannot encode payload as JSON: %w", err)
		}
		body = b
	case mt == "application/x-www-form-urlencoded":
		m, ok := payload.(map[string]any)
		if !ok {
			body = []byte(stringify(payload))
			break
		}
		form := url.Values{}
		for _, k := range sortedKeys(m) {
			serializeQuery(form, k, m[k], "form", true)
		}
		body = []byte(form.Encode())
	case mt == "multipart/form-data":
		m, ok := payload.(map[string]any)
		if !ok {
			return fmt.Errorf("a multipart/form-data payload must be an object of fields")
		}
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for _, k := range sortedKeys(m) {
			if err := w.WriteField(k, stringify(m[k])); err != nil {
				return err
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		body = buf.Bytes()
		ct = w.FormDataContentType()
	default:
		body = []byte(stringify(payload))
	}
	req.body = body
	if req.header.Get("Content-Type") == "" {
		req.header.Set("Content-Type", ct)
	}
	return nil
}

// minStreamedBody is the size from which a JSON body is encoded as it is sent rather than built
// whole first: a body of 10,000 records (3 MB) built whole, beside the inputs it is made of, set
// the run's peak memory (issue 8).
const minStreamedBody = 256 << 10

// streamsBodies reports whether request bodies may be sent without keeping their bytes: no dry
// run shows them and no report asked for them.
func (x *run) streamsBodies() bool {
	o := x.p.opts
	return !o.DryRun && (!o.KeepExchanges || o.OmitRequestBodies)
}

// chooseContentType applies AMB-13 when the step gives no contentType: the operation's only
// media type; of several, application/json, else the first; with none declared, JSON for
// structures and text/plain for strings.
func chooseContentType(op *openapi.Operation, payload any) string {
	if op.RequestBody != nil && len(op.RequestBody.ContentTypes) > 0 {
		for _, ct := range op.RequestBody.ContentTypes {
			if ct == "application/json" {
				return ct
			}
		}
		return op.RequestBody.ContentTypes[0]
	}
	if _, ok := payload.(string); ok {
		return "text/plain"
	}
	return "application/json"
}

// response is a received response, body read and parsed.
type response struct {
	status int
	header http.Header
	body   any
	raw    []byte // the body as received
}

// send sends req within timeout and reads the whole response, refusing bodies larger than
// MaxResponseBytes.
func (x *run) send(ctx context.Context, req *request, timeout time.Duration) (*Exchange, *response, error) {
	ex := &Exchange{Started: time.Now(), Method: req.method, URL: req.url.String(), RequestHeader: req.header,
		RequestBody: req.body, Secrets: req.secrets}
	fail := func(err error) (*Exchange, *response, error) {
		ex.Duration = time.Since(ex.Started)
		ex.Err = err.Error()
		return ex, nil, &TransportError{Method: req.method, URL: ex.URL, Err: err}
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hreq, err := http.NewRequestWithContext(rctx, req.method, ex.URL, body)
	if err != nil {
		return fail(err)
	}
	if req.stream != nil {
		// The transport closes the body, even on errors, which ends its encoding.
		hreq.Body, hreq.ContentLength = req.stream(), req.streamLen
		hreq.GetBody = func() (io.ReadCloser, error) { return req.stream(), nil }
	}
	hreq.Header = req.header.Clone()
	if req.shape != "" {
		hreq.Header.Set(mock.HeaderShape, req.shape)
	}
	if hreq.Header.Get("User-Agent") == "" {
		hreq.Header.Set("User-Agent", "arazzo-runner")
	}
	client := x.r.client
	if req.client != nil {
		client = req.client
	}
	resp, err := client.Do(hreq)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return fail(fmt.Errorf("no response within %s (raise --timeout)", timeout))
		}
		return fail(tlsHint(unwrapURLError(err)))
	}
	defer resp.Body.Close()
	limit := x.p.opts.MaxResponseBytes
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	ex.StatusCode, ex.Proto, ex.ResponseHeader = resp.StatusCode, resp.Proto, resp.Header
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return fail(fmt.Errorf("response body not received within %s (raise --timeout)", timeout))
		}
		return fail(fmt.Errorf("reading the response body: %w", err))
	}
	if int64(len(data)) > limit {
		return fail(fmt.Errorf("response body is larger than %d bytes (raise --max-response-bytes)", limit))
	}
	ex.Duration = time.Since(ex.Started)
	if x.p.opts.KeepExchanges {
		ex.ResponseBody = data
	}
	return ex, &response{status: resp.StatusCode, header: resp.Header, body: parseBody(resp.Header.Get("Content-Type"), data), raw: data}, nil
}

// tlsHint adds what to do to a certificate the client does not trust.
func tlsHint(err error) error {
	var ua x509.UnknownAuthorityError
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ua) || errors.As(err, &ve) {
		return fmt.Errorf("%w (if you trust this server, pass its CA certificate with --ca-cert FILE)", err)
	}
	return err
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// parseBody parses JSON bodies (by content type, or by shape when none is given); any other
// body stays a string (RTE-16).
func parseBody(ct string, data []byte) any {
	if len(data) == 0 {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(ct)
	if mt == "application/json" || strings.HasSuffix(mt, "+json") || (mt == "" && json.Valid(data)) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err == nil {
			return v
		}
	}
	return string(data)
}

// retryAfterHeader reads a Retry-After header of the response: seconds or an HTTP-date.
func retryAfterHeader(c *expr.Context, now time.Time) (time.Duration, bool) {
	if c == nil || c.Response == nil {
		return 0, false
	}
	var v string
	for k, vs := range c.Response.Header {
		if strings.EqualFold(k, "Retry-After") && len(vs) > 0 {
			v = strings.TrimSpace(vs[0])
		}
	}
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// replace applies one payload replacement (REPL-01 to REPL-03, AMB-08). Without a
// targetSelectorType the target is a JSON Pointer, except in an XML payload, where it is an
// XPath expression (REPL-03; 1.0 allows both forms and is read the same way).
func replace(payload any, r *arazzo.PayloadReplacement, v any, mediaType string) (any, error) {
	lang := r.TargetSelectorType
	if lang == "" {
		lang = langJSONPointer
		if isXMLMediaType(mediaType) {
			lang = langXPath
		}
	}
	if err := checkVersion(lang, r.Version); err != nil {
		return nil, err
	}
	switch lang {
	case langJSONPointer:
		ptr, err := expr.ParsePointer(strings.TrimPrefix(r.Target, "#"))
		if err != nil {
			return nil, err
		}
		return ptr.Set(payload, v)
	case langJSONPath:
		return replaceJSONPath(payload, r.Target, v)
	case langXPath:
		return replaceXPath(payload, r.Target, v)
	}
	return nil, fmt.Errorf("targetSelectorType %q is not one of jsonpointer, jsonpath, xpath", lang)
}
