package mock

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

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

// WithLogger sets the logger of the handler: one Debug record per request,
// with the problem's detail when the request was refused. The default
// discards everything.
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
	names    []string // the template's {params}, in order
	literal  int      // number of literal characters
	// ops lists the operations of each method; several share a method when the description
	// writes query strings into its path keys (/{Bucket}?acl, /{Bucket}?list-type=2).
	ops map[string][]*operation
}

// operation is one operation of the description, ready to validate requests
// and to answer them.
type operation struct {
	op    *openapi.Operation
	kop   *openapi3.Operation
	route *routers.Route
	// query holds what the path key's query string requires: a name with a value, or with
	// "" when only its presence is required.
	query map[string]string
}

// splitPathKey separates a path key such as /{Bucket}?list-type=2 into the path template,
// without a trailing slash, and what its query string requires.
func splitPathKey(key string) (string, map[string]string) {
	path, rawQuery, _ := strings.Cut(key, "?")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	var query map[string]string
	for _, kv := range strings.Split(rawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(v, "{") {
			v = ""
		}
		if query == nil {
			query = map[string]string{}
		}
		query[k] = v
	}
	return path, query
}

// matches reports whether a request's query satisfies what the operation's path key requires.
func (o *operation) matches(q url.Values) bool {
	for k, v := range o.query {
		if !q.Has(k) || (v != "" && q.Get(k) != v) {
			return false
		}
	}
	return true
}

// pick chooses among the operations of one method the one whose query requirements the request
// meets, the most demanding first.
func pick(ops []*operation, q url.Values) *operation {
	var best *operation
	for _, o := range ops {
		if o.matches(q) && (best == nil || len(o.query) > len(best.query)) {
			best = o
		}
	}
	if best == nil {
		best = ops[0]
	}
	return best
}

type handler struct {
	desc      *openapi.Description
	basePaths []string // longest first
	routes    []*route
	logger    *slog.Logger

	mu      sync.Mutex
	answers map[answerKey]*answer
}

// New returns a handler serving d, safe for concurrent use.
//
// Requests are routed by the path templates and methods of d's operations,
// below the path of any of d's document-level servers (their variables set
// to their defaults): a server https://api.example.com/v1 is served at
// /v1/..., and with no server, or one without a path, operations are served
// at their own paths. Operation- and path-level servers are not consulted.
// A path no operation matches gets 404, and a known path with another method
// gets 405.
//
// Each request is validated against its operation (see the package
// documentation); an invalid one is answered with a Problem. Properties
// marked readOnly are tolerated in request bodies, and media types
// kin-openapi cannot decode are accepted unchecked, so that no request a real
// API would accept is refused.
//
// A valid request gets the documented response its Prefer header chooses
// (code=NNN picks that status, else its range such as 4XX, else default;
// example=NAME picks a named example), else the lowest documented 2xx, else
// the first documented response. The media type is the first of the
// response's that the Accept header allows, JSON first. The body is the
// example, else the first example by name, else a value generated from the
// schema; a response without content, or a 204 or 304, has an empty body.
// Documented response headers are sent, with their example or a generated
// value. Answers are computed once per operation, response and example, and
// cached.
//
// Every response, the problems included, has the header X-Arazzo-Mock: true.
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
	doc := kin.Document(d)
	if doc == nil {
		return nil, errors.New("mock: description was not loaded by openapi.Loader")
	}
	h := &handler{
		desc:      d,
		basePaths: basePaths(d),
		logger:    cfg.logger,
		answers:   map[answerKey]*answer{},
	}
	byTemplate := map[string]*route{}
	for _, op := range d.Operations() {
		tpl, query := splitPathKey(op.Path)
		r, ok := byTemplate[tpl]
		if !ok {
			re, names, literal, err := compileTemplate(tpl)
			if err != nil {
				return nil, fmt.Errorf("mock: path %q: %w", op.Path, err)
			}
			r = &route{template: tpl, re: re, names: names, literal: literal, ops: map[string][]*operation{}}
			byTemplate[tpl] = r
			h.routes = append(h.routes, r)
		}
		item, kop := kin.Operation(op)
		if item == nil || kop == nil {
			return nil, fmt.Errorf("mock: %s %s: operation was not loaded by openapi.Loader", op.Method, op.Path)
		}
		r.ops[op.Method] = append(r.ops[op.Method], &operation{
			op:    op,
			kop:   kop,
			query: query,
			route: &routers.Route{
				Spec: doc, Path: op.Path, PathItem: item, Method: op.Method, Operation: formsTyped(kop),
			},
		})
	}
	// Most specific first: fewer parameters, then more literal text.
	sort.SliceStable(h.routes, func(i, j int) bool {
		a, b := h.routes[i], h.routes[j]
		if len(a.names) != len(b.names) {
			return len(a.names) < len(b.names)
		}
		if a.literal != b.literal {
			return a.literal > b.literal
		}
		return a.template < b.template
	})
	return h, nil
}

// basePaths returns the paths of d's servers, longest first, without
// duplicates; "" stands for the root.
func basePaths(d *openapi.Description) []string {
	var out []string
	for _, s := range d.Servers {
		raw, err := s.Resolve(nil)
		if err != nil {
			raw = s.URL
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		p := strings.TrimRight(u.Path, "/")
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		out = []string{""}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// compileTemplate turns /pets/{id}.json into ^/pets/([^/]+)\.json$ and
// returns the parameter names in order.
func compileTemplate(tpl string) (*regexp.Regexp, []string, int, error) {
	var b strings.Builder
	b.WriteString("^")
	var names []string
	literal := 0
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
			return nil, nil, 0, errors.New("unbalanced '{'")
		}
		b.WriteString(regexp.QuoteMeta(rest[:open]))
		literal += open
		b.WriteString("([^/]+)")
		names = append(names, rest[open+1:open+closing])
		rest = rest[open+closing+1:]
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return re, names, literal, err
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(HeaderMock, "true")
	path, ok := h.stripBase(r.URL.EscapedPath())
	if ok && r.URL.Path != path && !h.routed(path) {
		// A path key with characters that need escaping (a space, say) is matched unescaped.
		path, ok = h.stripBase(r.URL.Path)
	}
	if !ok {
		h.problem(w, r, &Problem{Status: http.StatusNotFound, Title: http.StatusText(http.StatusNotFound),
			Detail: fmt.Sprintf("no operation for %s %s: the API is served under %s", r.Method, r.URL.Path, strings.Join(h.basePaths, ", "))})
		return
	}

	var allowed []string
	matched := false
	for _, rt := range h.routes {
		m := rt.re.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		matched = true
		if ops, ok := rt.ops[r.Method]; ok {
			h.serveOperation(w, r, pick(ops, r.URL.Query()), pathParams(rt.names, m[1:]))
			return
		}
		for method := range rt.ops {
			if !slices.Contains(allowed, method) {
				allowed = append(allowed, method)
			}
		}
	}
	if !matched {
		h.problem(w, r, &Problem{Status: http.StatusNotFound, Title: http.StatusText(http.StatusNotFound),
			Detail: fmt.Sprintf("no operation for %s %s", r.Method, r.URL.Path)})
		return
	}
	slices.Sort(allowed)
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	h.problem(w, r, &Problem{Status: http.StatusMethodNotAllowed, Title: http.StatusText(http.StatusMethodNotAllowed),
		Detail: fmt.Sprintf("no operation for %s %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allowed, ", "))})
}

// routed reports whether some route matches path.
func (h *handler) routed(path string) bool {
	for _, rt := range h.routes {
		if rt.re.MatchString(path) {
			return true
		}
	}
	return false
}

// stripBase removes the longest server base path that prefixes path, and
// normalises the rest: "/" when empty, no trailing slash.
func (h *handler) stripBase(path string) (string, bool) {
	for _, base := range h.basePaths {
		rest, ok := strings.CutPrefix(path, base)
		if !ok || (rest != "" && rest[0] != '/') {
			continue
		}
		if rest == "" {
			rest = "/"
		}
		if len(rest) > 1 {
			rest = strings.TrimSuffix(rest, "/")
		}
		return rest, true
	}
	return "", false
}

// pathParams pairs the template's names with the matched (still escaped)
// segments, unescaped.
func pathParams(names, values []string) map[string]string {
	out := make(map[string]string, len(names))
	for i, name := range names {
		v := values[i]
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
		out[name] = v
	}
	return out
}

func (h *handler) serveOperation(w http.ResponseWriter, r *http.Request, op *operation, params map[string]string) {
	if p := validateRequest(r, op, params); p != nil {
		h.problem(w, r, p)
		return
	}
	shape, p := parseShape(r)
	if p != nil {
		h.problem(w, r, p)
		return
	}
	prefer := r.Header.Values("Prefer")
	documented := true
	if shape != nil && shape.Status != 0 {
		var keys []string
		if op.kop.Responses != nil {
			keys = op.kop.Responses.Keys()
		}
		prefer = nil
		if codeResponse(keys, shape.Status) != "" {
			prefer = []string{"code=" + strconv.Itoa(shape.Status)}
		} else {
			documented = false
		}
	}
	a, p := h.answerFor(op, prefer, r.Header.Values("Accept"))
	if p != nil {
		h.problem(w, r, p)
		return
	}
	if shape != nil {
		var warnings []string
		a, warnings = shaped(a, shape, documented, responseSchema(op, a))
		for _, msg := range warnings {
			w.Header().Add(HeaderWarning, msg)
		}
	}
	a.write(w, r)
	h.logger.Debug("mock answered", "method", r.Method, "url", r.URL.String(), "status", a.status, "operation", op.op.ID)
}

func (h *handler) problem(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.Status == http.StatusUnauthorized {
		for _, c := range p.challenges {
			w.Header().Add("WWW-Authenticate", c)
		}
	}
	w.Header().Set("Content-Type", ContentTypeProblem)
	w.WriteHeader(p.Status)
	_, _ = w.Write(p.body())
	h.logger.Debug("mock refused", "method", r.Method, "url", r.URL.String(), "status", p.Status, "detail", p.Detail)
}
