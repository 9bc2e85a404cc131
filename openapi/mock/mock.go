// Package mock serves an OpenAPI description as an HTTP API that answers
// every documented operation with its documented example, or with a value
// generated from its schema. It lets a workflow run with no network
// (arazzo run --mock, arazzo mock).
//
// Answers are deterministic: the same request always gets the same bytes.
// The mock does not validate requests. It imports only package openapi (and
// kin-openapi, through openapi's internal accessor), never the runtime.
package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/openapi/internal/kin"
)

// HeaderMock is set to "true" on every response of the mock, so a client can
// tell a mocked answer from a real one.
const HeaderMock = "X-Arazzo-Mock"

// Option configures New.
type Option func(*config) error

type config struct {
	logger *slog.Logger
}

// WithLogger sets the logger of the handler: one Debug record per request.
// The default discards everything.
func WithLogger(logger *slog.Logger) Option {
	return func(c *config) error {
		if logger == nil {
			return errors.New("nil logger")
		}
		c.logger = logger
		return nil
	}
}

// route is one path template of the description.
type route struct {
	template string
	re       *regexp.Regexp
	params   int // number of {params}
	literal  int // number of literal characters
	ops      map[string]*operation
}

// operation is the precomputed answer of one operation.
type operation struct {
	id          string
	status      int
	contentType string
	body        []byte
	headers     map[string]string
}

type handler struct {
	basePath string
	routes   []*route
	logger   *slog.Logger
}

// New returns a handler serving d. Requests are routed by the path template
// and method of each operation, below the base path of d's first server
// (a server https://api.example.com/v1 is served at /v1/...).
//
// Each operation answers with its lowest documented 2xx response (else its
// first documented response, else 200 with no body). The body is the media
// type's example, else its first example by name, else a value generated from
// its schema; JSON media types are served as JSON. A response without
// content has an empty body. Responses are computed once, here, so serving
// is cheap and deterministic.
//
// A path no operation matches gets 404, and a known path with another method
// gets 405, both with an application/problem+json body. Every response has
// the header X-Arazzo-Mock: true.
func New(d *openapi.Description, opts ...Option) (http.Handler, error) {
	if d == nil {
		return nil, errors.New("mock: nil description")
	}
	cfg := config{logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("mock: %w", err)
		}
	}
	h := &handler{basePath: d.BasePath(), logger: cfg.logger}
	byTemplate := map[string]*route{}
	for _, op := range d.Operations() {
		r, ok := byTemplate[op.Path]
		if !ok {
			re, params, literal, err := compileTemplate(op.Path)
			if err != nil {
				return nil, fmt.Errorf("mock: path %q: %w", op.Path, err)
			}
			r = &route{template: op.Path, re: re, params: params, literal: literal, ops: map[string]*operation{}}
			byTemplate[op.Path] = r
			h.routes = append(h.routes, r)
		}
		_, kop := kin.Operation(op)
		answer, err := prepare(op, kop)
		if err != nil {
			return nil, fmt.Errorf("mock: %s %s: %w", op.Method, op.Path, err)
		}
		r.ops[op.Method] = answer
	}
	// Most specific first: fewer parameters, then more literal text.
	sort.SliceStable(h.routes, func(i, j int) bool {
		a, b := h.routes[i], h.routes[j]
		if a.params != b.params {
			return a.params < b.params
		}
		if a.literal != b.literal {
			return a.literal > b.literal
		}
		return a.template < b.template
	})
	return h, nil
}

// compileTemplate turns /pets/{id}.json into ^/pets/[^/]+\.json$.
func compileTemplate(tpl string) (*regexp.Regexp, int, int, error) {
	var b strings.Builder
	b.WriteString("^")
	params, literal := 0, 0
	rest := tpl
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(regexp.QuoteMeta(rest))
			literal += len(rest)
			break
		}
		closing := strings.IndexByte(rest[open:], '}')
		if closing < 0 {
			return nil, 0, 0, errors.New("unbalanced '{'")
		}
		b.WriteString(regexp.QuoteMeta(rest[:open]))
		literal += open
		b.WriteString("[^/]+")
		params++
		rest = rest[open+closing+1:]
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return re, params, literal, err
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(HeaderMock, "true")
	path := r.URL.Path
	if h.basePath != "" {
		rest, ok := strings.CutPrefix(path, h.basePath)
		if !ok || (rest != "" && rest[0] != '/') {
			h.problem(w, r, http.StatusNotFound, fmt.Sprintf("no operation for %s %s: the API is served under %s", r.Method, path, h.basePath))
			return
		}
		path = rest
	}
	if path == "" {
		path = "/"
	}
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}

	var allowed []string
	matched := false
	for _, rt := range h.routes {
		if !rt.re.MatchString(path) {
			continue
		}
		matched = true
		if op, ok := rt.ops[r.Method]; ok {
			h.answer(w, r, op)
			return
		}
		for m := range rt.ops {
			if !slices.Contains(allowed, m) {
				allowed = append(allowed, m)
			}
		}
	}
	if !matched {
		h.problem(w, r, http.StatusNotFound, fmt.Sprintf("no operation for %s %s", r.Method, r.URL.Path))
		return
	}
	slices.Sort(allowed)
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	h.problem(w, r, http.StatusMethodNotAllowed, fmt.Sprintf("no operation for %s %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allowed, ", ")))
}

func (h *handler) answer(w http.ResponseWriter, r *http.Request, op *operation) {
	for name, value := range op.headers {
		w.Header().Set(name, value)
	}
	if op.contentType != "" && len(op.body) > 0 {
		w.Header().Set("Content-Type", op.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(op.body)))
	}
	w.WriteHeader(op.status)
	if len(op.body) > 0 && r.Method != http.MethodHead && bodyAllowed(op.status) {
		_, _ = w.Write(op.body)
	}
	h.logger.Debug("mock answered", "method", r.Method, "url", r.URL.String(), "status", op.status, "operation", op.id)
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

func (h *handler) problem(w http.ResponseWriter, r *http.Request, status int, detail string) {
	body, _ := json.Marshal(struct {
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}{http.StatusText(status), status, detail})
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	h.logger.Debug("mock answered", "method", r.Method, "url", r.URL.String(), "status", status)
}

// prepare computes the answer of one operation.
func prepare(op *openapi.Operation, kop *openapi3.Operation) (*operation, error) {
	out := &operation{id: op.ID, status: http.StatusOK}
	if kop == nil || kop.Responses == nil {
		return out, nil
	}
	key, status := chooseResponse(kop.Responses.Keys())
	if key == "" {
		return out, nil
	}
	out.status = status
	ref := kop.Responses.Value(key)
	if ref == nil || ref.Value == nil {
		return out, nil
	}
	resp := ref.Value
	g := &generator{}

	for _, name := range sortedKeys(resp.Headers) {
		hr := resp.Headers[name]
		if hr == nil || hr.Value == nil || strings.EqualFold(name, "Content-Type") || strings.EqualFold(name, "Content-Length") {
			continue
		}
		v := hr.Value.Example
		if v == nil {
			v = g.value(hr.Value.Schema, 0)
		}
		if v == nil {
			continue
		}
		if out.headers == nil {
			out.headers = map[string]string{}
		}
		out.headers[name] = scalarString(v)
	}

	if len(resp.Content) == 0 {
		return out, nil
	}
	var ct string
	for _, r := range op.Responses {
		if r.Status == key && len(r.ContentTypes) > 0 {
			ct = r.ContentTypes[0]
		}
	}
	mt := resp.Content[ct]
	if mt == nil {
		return out, nil
	}
	value, ok := example(mt)
	if !ok {
		if mt.Schema == nil {
			return out, nil
		}
		value = g.value(mt.Schema, 0)
	}
	body, contentType, err := encode(ct, value)
	if err != nil {
		return nil, err
	}
	out.body, out.contentType = body, contentType
	return out, nil
}

// chooseResponse picks the lowest documented 2xx status, else a 2XX range
// (answered as 200), else the first documented key, else nothing. keys are
// sorted.
func chooseResponse(keys []string) (string, int) {
	best, bestStatus := "", 0
	for _, k := range keys {
		status, err := strconv.Atoi(k)
		if err == nil && status >= 200 && status < 300 && (best == "" || status < bestStatus) {
			best, bestStatus = k, status
		}
	}
	if best != "" {
		return best, bestStatus
	}
	for _, k := range keys {
		if strings.EqualFold(k, "2XX") {
			return k, http.StatusOK
		}
	}
	for _, k := range keys {
		if k != "default" {
			return k, statusOf(k)
		}
	}
	if len(keys) > 0 {
		return keys[0], http.StatusOK
	}
	return "", http.StatusOK
}

// statusOf reads "404" as 404, "4XX" as 400 and anything else as 200.
func statusOf(key string) int {
	if n, err := strconv.Atoi(key); err == nil && n >= 100 && n <= 599 {
		return n
	}
	if len(key) == 3 && strings.EqualFold(key[1:], "XX") && key[0] >= '1' && key[0] <= '5' {
		return int(key[0]-'0') * 100
	}
	return http.StatusOK
}

// example returns the media type's example, else its first example by name.
func example(mt *openapi3.MediaType) (any, bool) {
	if mt.Example != nil {
		return mt.Example, true
	}
	for _, name := range sortedKeys(mt.Examples) {
		ex := mt.Examples[name]
		if ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value, true
		}
	}
	return nil, false
}

// encode serialises value for the media type ct: JSON for JSON types (and
// for wildcards, served as application/json), the string itself for a
// string under any other type, else JSON.
func encode(ct string, value any) ([]byte, string, error) {
	if strings.Contains(ct, "*") {
		ct = "application/json"
	}
	if s, ok := value.(string); ok && !isJSON(ct) {
		return []byte(s), ct, nil
	}
	body, err := json.Marshal(value)
	if err != nil {
		return nil, "", fmt.Errorf("encode %s body: %w", ct, err)
	}
	return body, ct, nil
}

func isJSON(ct string) bool {
	mediaType, _, _ := strings.Cut(ct, ";")
	mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

func scalarString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
