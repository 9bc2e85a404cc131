package report

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/arazzo-runner/arazzo/runtime"
)

// MaxPreviewBytes caps the body shown by Verbose.
const MaxPreviewBytes = 2048

// sensitiveHeaders are always shown as ***.
var sensitiveHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
	"X-Api-Key":           true,
}

// Redactor hides secrets: the credential values a request carried and any extra values given.
type Redactor struct {
	secrets []string
}

// NewRedactor returns a Redactor for these values (empty ones and very short ones, which
// would hide ordinary text, are ignored).
func NewRedactor(values ...string) *Redactor {
	r := &Redactor{}
	r.Add(values...)
	return r
}

// Add registers more secret values.
func (r *Redactor) Add(values ...string) {
	for _, v := range values {
		if len(v) >= 3 {
			r.secrets = append(r.secrets, v)
		}
	}
	// Longest first, so a secret containing another is hidden whole.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// String hides every secret in s.
func (r *Redactor) String(s string) string {
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return s
}

// Header returns a copy of h with sensitive headers and secret values hidden.
func (r *Redactor) Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		c := make([]string, len(vs))
		for i, v := range vs {
			if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
				c[i] = "***"
			} else {
				c[i] = r.String(v)
			}
		}
		out[k] = c
	}
	return out
}

// Exchanges writes each request and response of a step, secrets redacted and bodies capped.
func Exchanges(w io.Writer, workflowID string, s *runtime.StepResult, r *Redactor) {
	for i, ex := range s.Exchanges {
		rr := NewRedactor(ex.Secrets...)
		rr.Add(r.secrets...)
		fmt.Fprintf(w, "> [%s/%s attempt %d] %s %s\n", workflowID, s.StepID, i+1, ex.Method, rr.String(ex.URL))
		writeHeaders(w, "> ", rr.Header(ex.RequestHeader))
		writeBody(w, "> ", ex.RequestBody, rr)
		if ex.Err != "" {
			fmt.Fprintf(w, "! %s\n", rr.String(ex.Err))
			continue
		}
		fmt.Fprintf(w, "< %s %d (%s)\n", ex.Proto, ex.StatusCode, ex.Duration.Round(10_000))
		writeHeaders(w, "< ", rr.Header(ex.ResponseHeader))
		writeBody(w, "< ", ex.ResponseBody, rr)
	}
}

func writeHeaders(w io.Writer, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s%s: %s\n", prefix, k, strings.Join(h[k], ", "))
	}
}

func writeBody(w io.Writer, prefix string, body []byte, r *Redactor) {
	if len(body) == 0 {
		return
	}
	shown := body
	more := ""
	if len(shown) > MaxPreviewBytes {
		shown = shown[:MaxPreviewBytes]
		for len(shown) > 0 && !utf8.Valid(shown) {
			shown = shown[:len(shown)-1]
		}
		more = fmt.Sprintf(" … (%d more bytes)", len(body)-len(shown))
	}
	if !utf8.Valid(shown) {
		fmt.Fprintf(w, "%s(%d bytes of binary data)\n", prefix, len(body))
		return
	}
	fmt.Fprintf(w, "%s\n%s%s%s\n", prefix, prefix, r.String(string(shown)), more)
}
