package mock

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/openapi/internal/kin"
)

// answerKey identifies a computed answer: an operation's response, in one
// media type, with one example (or the default one).
type answerKey struct {
	op          *operation
	key         string
	status      int
	contentType string
	example     string
}

// answer is a response ready to write.
type answer struct {
	key         string // the response key of the description it comes from
	status      int
	headers     map[string]string
	contentType string
	body        []byte
}

func (a *answer) write(w http.ResponseWriter, r *http.Request) {
	for name, value := range a.headers {
		w.Header().Set(name, value)
	}
	withBody := len(a.body) > 0 && bodyAllowed(a.status)
	if withBody {
		w.Header().Set("Content-Type", a.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	}
	w.WriteHeader(a.status)
	if withBody && r.Method != http.MethodHead {
		_, _ = w.Write(a.body)
	}
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// preference is what a Prefer header asks of the mock.
type preference struct {
	code    int
	example string
}

// parsePrefer reads the code=NNN and example=NAME preferences of Prefer
// headers (RFC 7240: comma-separated, parameters after ';'); it ignores any
// other preference.
func parsePrefer(values []string) (preference, *Problem) {
	var p preference
	for _, v := range values {
		for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
			k, val, ok := strings.Cut(strings.TrimSpace(item), "=")
			if !ok {
				continue
			}
			val = strings.Trim(strings.TrimSpace(val), `"`)
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "code":
				n, err := strconv.Atoi(val)
				if err != nil || n < 100 || n > 599 {
					return p, preferProblem(fmt.Sprintf("code=%s is not an HTTP status: use a number from 100 to 599", val))
				}
				p.code = n
			case "example":
				p.example = val
			}
		}
	}
	return p, nil
}

func preferProblem(msg string) *Problem {
	p := &Problem{Status: http.StatusBadRequest, Title: titles[http.StatusBadRequest],
		Errors: []Violation{{Field: "header.Prefer", Rule: RulePrefer, Message: msg}}}
	p.summarise()
	return p
}

// answerFor chooses the response of op that the Prefer and Accept headers
// ask for, and returns it, computing it on first use.
func (h *handler) answerFor(op *operation, prefer, accept []string) (*answer, *Problem) {
	pref, p := parsePrefer(prefer)
	if p != nil {
		return nil, p
	}
	var keys []string
	if op.kop.Responses != nil {
		keys = sortedStrings(op.kop.Responses.Keys())
	}
	var key string
	var status int
	if pref.code != 0 {
		key, status = codeResponse(keys, pref.code), pref.code
		if key == "" {
			return nil, preferProblem(fmt.Sprintf("code=%d is not documented for %s %s: use one of %s",
				pref.code, op.op.Method, op.op.Path, orNone(keys)))
		}
	} else {
		key, status = chooseResponse(keys)
	}
	if key == "" {
		return &answer{status: status}, nil
	}

	var ct string
	if pref.example != "" {
		k, c, ok := findExample(op, keys, key, pref.example, pref.code == 0)
		if !ok {
			return nil, preferProblem(fmt.Sprintf("example=%s is not documented for %s %s: use one of %s",
				pref.example, op.op.Method, op.op.Path, orNone(exampleNames(op, keys))))
		}
		if k != key {
			key, status = k, statusOf(k)
		}
		ct = c
	} else {
		ct = negotiate(responseTypes(op, key), accept)
	}

	ak := answerKey{op: op, key: key, status: status, contentType: ct, example: pref.example}
	h.mu.Lock()
	a, ok := h.answers[ak]
	h.mu.Unlock()
	if ok {
		return a, nil
	}
	a, err := build(op.kop.Responses.Value(key), status, ct, pref.example)
	if err != nil {
		return nil, &Problem{Status: http.StatusInternalServerError, Title: "mock cannot answer",
			Detail: fmt.Sprintf("%s %s: response %s: %v", op.op.Method, op.op.Path, key, err)}
	}
	a.key = key
	h.mu.Lock()
	h.answers[ak] = a
	h.mu.Unlock()
	return a, nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "(none documented)"
	}
	return strings.Join(s, ", ")
}

// codeResponse returns the response key documenting code: the code itself,
// else its range (4XX), else default, else "".
func codeResponse(keys []string, code int) string {
	exact, rng := strconv.Itoa(code), fmt.Sprintf("%dXX", code/100)
	for _, want := range []string{exact, rng, "default"} {
		for _, k := range keys {
			if strings.EqualFold(k, want) {
				return k
			}
		}
	}
	return ""
}

// responseTypes returns the media types of a response, application/json
// first, then alphabetically.
func responseTypes(op *operation, key string) []string {
	for _, r := range op.op.Responses {
		if r.Status == key {
			return r.ContentTypes
		}
	}
	return nil
}

// findExample finds the named example in the response key, else (when
// anyResponse) in any documented response, in key order. It returns the
// response key and media type holding it.
func findExample(op *operation, keys []string, key, name string, anyResponse bool) (string, string, bool) {
	candidates := []string{key}
	if anyResponse {
		candidates = append(candidates, keys...)
	}
	for _, k := range candidates {
		ref := op.kop.Responses.Value(k)
		if ref == nil || ref.Value == nil {
			continue
		}
		for _, ct := range responseTypes(op, k) {
			if mt := ref.Value.Content[ct]; mt != nil && mt.Examples[name] != nil {
				return k, ct, true
			}
		}
	}
	return "", "", false
}

func exampleNames(op *operation, keys []string) []string {
	var names []string
	for _, k := range keys {
		ref := op.kop.Responses.Value(k)
		if ref == nil || ref.Value == nil {
			continue
		}
		for _, mt := range ref.Value.Content {
			for name := range mt.Examples {
				if !slices.Contains(names, name) {
					names = append(names, name)
				}
			}
		}
	}
	return sortedStrings(names)
}

// negotiate returns the first of types (in their order of preference) that
// the Accept header allows, trying its media ranges by decreasing quality;
// when none is allowed, or there is no Accept header, the first type.
func negotiate(types, accept []string) string {
	if len(types) == 0 {
		return ""
	}
	type mediaRange struct {
		value string
		q     float64
	}
	var ranges []mediaRange
	for _, v := range accept {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					q = f
				}
			}
			if q > 0 {
				ranges = append(ranges, mediaRange{mt, q})
			}
		}
	}
	slices.SortStableFunc(ranges, func(a, b mediaRange) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	for _, r := range ranges {
		for _, t := range types {
			if mediaMatches(r.value, t) {
				return t
			}
		}
	}
	return types[0]
}

func mediaMatches(rng, t string) bool {
	mt, _, err := mime.ParseMediaType(t)
	if err != nil {
		mt = strings.ToLower(t)
	}
	if rng == "*/*" || rng == mt || strings.Contains(mt, "*") {
		return true
	}
	if typ, ok := strings.CutSuffix(rng, "/*"); ok {
		return strings.HasPrefix(mt, typ+"/")
	}
	return false
}

// build computes the answer of one response in media type ct, with the
// named example (or the default one when name is "").
func build(ref *openapi3.ResponseRef, status int, ct, name string) (*answer, error) {
	out := &answer{status: status}
	if ref == nil || ref.Value == nil {
		return out, nil
	}
	resp := ref.Value
	g := &generator{}
	for _, hname := range sortedKeys(resp.Headers) {
		hr := resp.Headers[hname]
		if hr == nil || hr.Value == nil || strings.EqualFold(hname, "Content-Type") || strings.EqualFold(hname, "Content-Length") {
			continue
		}
		v := hr.Value.Example
		if v == nil {
			for _, exName := range sortedKeys(hr.Value.Examples) {
				if ex := hr.Value.Examples[exName]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
					v = ex.Value.Value
					break
				}
			}
		}
		if v == nil {
			v = g.value(hr.Value.Schema, 0)
		}
		if v == nil {
			continue
		}
		if out.headers == nil {
			out.headers = map[string]string{}
		}
		out.headers[hname] = scalarString(v)
	}

	if ct == "" || !bodyAllowed(status) {
		return out, nil
	}
	mt := resp.Content[ct]
	if mt == nil {
		return out, nil
	}
	var value any
	found := false
	if name != "" {
		if ex := mt.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			value, found = ex.Value.Value, true
		}
	}
	if !found {
		value, found = example(mt)
	}
	if found {
		value = fitted(mt.Schema, value)
	}
	if !found {
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

func sortedStrings(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// responseSchema returns the schema of the response an answer comes from, in its media type
// (the first JSON one when the answer has no body), or nil.
func responseSchema(op *operation, a *answer) *openapi3.SchemaRef {
	if a.key == "" || op.kop.Responses == nil {
		return nil
	}
	ref := op.kop.Responses.Value(a.key)
	if ref == nil || ref.Value == nil {
		return nil
	}
	if mt := ref.Value.Content[a.contentType]; mt != nil {
		return mt.Schema
	}
	for _, ct := range sortedKeys(ref.Value.Content) {
		if mt := ref.Value.Content[ct]; mt != nil && isJSON(ct) {
			return mt.Schema
		}
	}
	return nil
}

// DefaultBody returns the JSON body the mock answers op with when no shape or Prefer header
// asks otherwise (status 0: the status it would choose), decoded; ok is false when that answer
// has no JSON body. Callers that shape answers use it to keep a value the description's example
// already gives.
func DefaultBody(op *openapi.Operation, status int) (body any, ok bool) {
	_, kop := kin.Operation(op)
	if kop == nil || kop.Responses == nil {
		return nil, false
	}
	keys := sortedStrings(kop.Responses.Keys())
	var key string
	if status != 0 {
		key = codeResponse(keys, status)
	} else {
		key, status = chooseResponse(keys)
	}
	if key == "" {
		return nil, false
	}
	o := &operation{op: op, kop: kop}
	a, err := build(kop.Responses.Value(key), status, negotiate(responseTypes(o, key), []string{"application/json"}), "")
	if err != nil || len(a.body) == 0 || !isJSON(a.contentType) {
		return nil, false
	}
	if json.Unmarshal(a.body, &body) != nil {
		return nil, false
	}
	return body, true
}
