package report

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/arazzo-runner/arazzo/runtime"
)

// HAR collects every HTTP exchange of a run and writes them as an HTTP Archive 1.2
// (http://www.softwareishard.com/blog/har-12-spec/). Exchanges are added as steps finish, from
// the run's Observer, so the requests of called workflows are included; secrets are hidden when
// the file is written, with every secret the run has met by then.
type HAR struct {
	creatorVersion string
	entries        []harSource
}

type harSource struct {
	workflowID, stepID string
	attempt            int
	ex                 *runtime.Exchange
}

// NewHAR returns an empty archive whose creator is arazzo at this version.
func NewHAR(version string) *HAR { return &HAR{creatorVersion: version} }

// Add records the exchanges of one step execution.
func (h *HAR) Add(workflowID string, s *runtime.StepResult) {
	for i, ex := range s.Exchanges {
		h.entries = append(h.entries, harSource{workflowID: workflowID, stepID: s.StepID, attempt: i + 1, ex: ex})
	}
}

type harFile struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Entries []harEntry `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
	// Custom fields start with an underscore (HAR 1.2).
	WorkflowID string `json:"_workflowId"`
	StepID     string `json:"_stepId"`
	Attempt    int    `json:"_attempt"`
	Error      string `json:"_error,omitempty"`
}

type harNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harNameValue `json:"cookies"`
	Headers     []harNameValue `json:"headers"`
	QueryString []harNameValue `json:"queryString"`
	PostData    *harPostData   `json:"postData,omitempty"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

type harPostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harResponse struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harNameValue `json:"cookies"`
	Headers     []harNameValue `json:"headers"`
	Content     harContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

// harTimings: only the wait is measured; -1 marks a phase that is not known (HAR 1.2).
type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
}

// Write writes the archive as indented JSON, secrets hidden by r.
func (h *HAR) Write(w io.Writer, r *Redactor) error {
	f := harFile{Log: harLog{Version: "1.2", Creator: harCreator{Name: "arazzo", Version: h.creatorVersion}, Entries: []harEntry{}}}
	for _, e := range h.entries {
		r.Add(e.ex.Secrets...)
	}
	for _, e := range h.entries {
		f.Log.Entries = append(f.Log.Entries, harEntryOf(e, r))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

func harEntryOf(e harSource, r *Redactor) harEntry {
	ex := e.ex
	ms := float64(ex.Duration.Microseconds()) / 1000
	out := harEntry{
		StartedDateTime: ex.Started.Format(time.RFC3339Nano),
		Time:            ms,
		WorkflowID:      e.workflowID,
		StepID:          e.stepID,
		Attempt:         e.attempt,
		Error:           r.String(ex.Err),
		Timings:         harTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Wait: ms},
	}
	out.Request = harRequest{
		Method:      ex.Method,
		URL:         r.URL(ex.URL),
		HTTPVersion: "HTTP/1.1",
		Cookies:     harCookies(ex.RequestHeader.Values("Cookie"), false),
		Headers:     harHeaders(ex.RequestHeader, r),
		QueryString: harQuery(ex.URL, r),
		HeadersSize: -1,
		BodySize:    len(ex.RequestBody),
	}
	if len(ex.RequestBody) > 0 {
		out.Request.PostData = &harPostData{MimeType: ex.RequestHeader.Get("Content-Type"), Text: r.String(string(ex.RequestBody))}
	}
	out.Response = harResponse{
		Status:      ex.StatusCode,
		StatusText:  http.StatusText(ex.StatusCode),
		HTTPVersion: ex.Proto,
		Cookies:     harCookies(ex.ResponseHeader.Values("Set-Cookie"), true),
		Headers:     harHeaders(ex.ResponseHeader, r),
		HeadersSize: -1,
		BodySize:    len(ex.ResponseBody),
		Content:     harContent{Size: len(ex.ResponseBody), MimeType: ex.ResponseHeader.Get("Content-Type")},
	}
	if ex.StatusCode == 0 {
		out.Response.BodySize = -1 // no response: the request failed or was not sent
	}
	if len(ex.ResponseBody) > 0 {
		if utf8.Valid(ex.ResponseBody) {
			out.Response.Content.Text = r.String(string(ex.ResponseBody))
		} else {
			out.Response.Content.Text = base64.StdEncoding.EncodeToString(ex.ResponseBody)
			out.Response.Content.Encoding = "base64"
		}
	}
	return out
}

func harHeaders(h http.Header, r *Redactor) []harNameValue {
	out := []harNameValue{}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, harNameValue{Name: k, Value: r.HeaderValue(k, v)})
		}
	}
	return out
}

// harCookies lists cookie names; every value is hidden, since cookies carry sessions.
func harCookies(lines []string, set bool) []harNameValue {
	out := []harNameValue{}
	for _, line := range lines {
		pairs := strings.Split(line, ";")
		if set {
			pairs = pairs[:1] // Set-Cookie: the cookie, then its attributes
		}
		for _, p := range pairs {
			name, _, _ := strings.Cut(strings.TrimSpace(p), "=")
			if name != "" {
				out = append(out, harNameValue{Name: name, Value: Redacted})
			}
		}
	}
	return out
}

func harQuery(raw string, r *Redactor) []harNameValue {
	out := []harNameValue{}
	u, err := url.Parse(raw)
	if err != nil {
		return out
	}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range q[k] {
			if r.secretName(k) {
				v = Redacted
			}
			out = append(out, harNameValue{Name: k, Value: r.String(v)})
		}
	}
	return out
}
