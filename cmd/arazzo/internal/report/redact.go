package report

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/arazzo-runner/arazzo/runtime"
)

// Redacted is what a hidden secret is shown as.
const Redacted = "***"

// sensitiveHeaders are always shown as ***, whatever their value.
var sensitiveHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// secretWords mark a header, query parameter or input name as holding a secret.
var secretWords = []string{"apikey", "api-key", "api_key", "token", "secret", "password", "passwd", "credential", "session"}

// SecretName reports whether a header, query parameter or input name looks like it holds a
// secret: apiKey, X-Api-Key, access_token, clientSecret, password and the like.
func SecretName(name string) bool {
	n := strings.ToLower(name)
	if n == "key" {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// Redactor hides secrets: values it was given (credentials, secret inputs, what each request
// reports in Exchange.Secrets), sensitive headers, and query parameters named like secrets.
// It is not safe for concurrent use; the run calls it from one goroutine.
type Redactor struct {
	secrets []string
	names   map[string]bool // extra header or parameter names whose values are hidden
}

// NewRedactor returns a Redactor for these values (empty ones and very short ones, which
// would hide ordinary text, are ignored).
func NewRedactor(values ...string) *Redactor {
	r := &Redactor{names: map[string]bool{}}
	r.Add(values...)
	return r
}

// Add registers more secret values. A value is also hidden in its URL-encoded forms.
func (r *Redactor) Add(values ...string) {
	added := false
	for _, v := range values {
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
			if len(form) >= 3 && !slices.Contains(r.secrets, form) {
				r.secrets = append(r.secrets, form)
				added = true
			}
		}
	}
	if added {
		// Longest first, so a secret containing another is hidden whole.
		sort.SliceStable(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	}
}

// AddName hides the values of headers and query parameters of this name (for example the
// name of an apiKey security scheme's parameter).
func (r *Redactor) AddName(names ...string) {
	for _, n := range names {
		r.names[strings.ToLower(n)] = true
	}
}

// AddExchanges registers the secrets the requests of a step carried.
func (r *Redactor) AddExchanges(s *runtime.StepResult) {
	for _, ex := range s.Exchanges {
		r.Add(ex.Secrets...)
	}
}

// String hides every secret in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	return s
}

func (r *Redactor) secretName(name string) bool {
	return SecretName(name) || r.names[strings.ToLower(name)]
}

// HeaderValue hides the value of one header when its name is sensitive, and any secret in it.
func (r *Redactor) HeaderValue(name, v string) string {
	if sensitiveHeaders[http.CanonicalHeaderKey(name)] || r.secretName(name) {
		return Redacted
	}
	return r.String(v)
}

// Header returns a copy of h with sensitive headers and secret values hidden.
func (r *Redactor) Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		c := make([]string, len(vs))
		for i, v := range vs {
			c[i] = r.HeaderValue(k, v)
		}
		out[k] = c
	}
	return out
}

// URL hides secret values in a URL and the values of query parameters named like secrets.
// Placeholders and text that is not a URL pass through String only.
func (r *Redactor) URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return r.String(raw)
	}
	parts := strings.Split(u.RawQuery, "&")
	changed := false
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if ok && err == nil && r.secretName(name) {
			parts[i] = k + "=" + Redacted
			changed = true
		}
	}
	if changed {
		// Rebuild the text by hand: u.String() would re-escape the path (placeholders).
		before, after, _ := strings.Cut(raw, "?")
		_, fragment, hasFragment := strings.Cut(after, "#")
		raw = before + "?" + strings.Join(parts, "&")
		if hasFragment {
			raw += "#" + fragment
		}
	}
	return r.String(raw)
}

// Result returns a copy of res with every secret hidden in URLs, errors, criteria, outputs
// and warnings, for the text, JSON and JUnit reports. Exchanges are left out of the copy.
func (r *Redactor) Result(res *runtime.Result) *runtime.Result {
	out := *res
	out.Warnings = make([]string, len(res.Warnings))
	for i, w := range res.Warnings {
		out.Warnings[i] = r.String(w)
	}
	if res.GeneratedInputs != nil {
		out.GeneratedInputs = make(map[string]map[string]any, len(res.GeneratedInputs))
		for id, in := range res.GeneratedInputs {
			out.GeneratedInputs[id] = r.values(in)
		}
	}
	out.Workflows = make([]*runtime.WorkflowResult, len(res.Workflows))
	for i, wf := range res.Workflows {
		w := *wf
		w.Error = r.String(wf.Error)
		w.Outputs = r.values(wf.Outputs)
		w.Steps = make([]*runtime.StepResult, len(wf.Steps))
		for j, s := range wf.Steps {
			c := *s
			c.URL = r.URL(s.URL)
			c.Error = r.String(s.Error)
			c.Outputs = r.values(s.Outputs)
			c.Exchanges = nil
			c.Criteria = make([]runtime.CriterionResult, len(s.Criteria))
			for k, cr := range s.Criteria {
				cr.Seen, cr.Error = r.String(cr.Seen), r.String(cr.Error)
				c.Criteria[k] = cr
			}
			if s.Criteria == nil {
				c.Criteria = nil
			}
			w.Steps[j] = &c
		}
		out.Workflows[i] = &w
	}
	return &out
}

func (r *Redactor) values(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = r.value(v)
	}
	return out
}

func (r *Redactor) value(v any) any {
	switch t := v.(type) {
	case string:
		return r.String(t)
	case map[string]any:
		return r.values(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = r.value(e)
		}
		return out
	}
	return v
}
