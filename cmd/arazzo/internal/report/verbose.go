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

// Exchanges writes each request and response of a step, secrets redacted and bodies capped at
// MaxPreviewBytes. The secrets the step's requests carried are added to r first.
func Exchanges(w io.Writer, workflowID string, s *runtime.StepResult, r *Redactor) {
	r.AddExchanges(s)
	for i, ex := range s.Exchanges {
		fmt.Fprintf(w, "> [%s/%s attempt %d] %s %s\n", workflowID, s.StepID, i+1, ex.Method, r.URL(ex.URL))
		writeHeaders(w, "> ", r.Header(ex.RequestHeader))
		writeBody(w, "> ", ex.RequestBody, r)
		if ex.Err != "" {
			fmt.Fprintf(w, "! %s\n", r.String(ex.Err))
			continue
		}
		fmt.Fprintf(w, "< %s %d (%s)\n", ex.Proto, ex.StatusCode, ex.Duration.Round(10_000))
		writeHeaders(w, "< ", r.Header(ex.ResponseHeader))
		writeBody(w, "< ", ex.ResponseBody, r)
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
