package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxResponseFindings bounds the differences CheckResponse lists for one response.
const maxResponseFindings = 5

// CheckResponse compares a received response with what the operation documents (WILD-07): a
// success or redirect status with no response of its own, its range (2XX) or default (an
// undocumented error status is not a finding); a media type the documented
// response does not list; a JSON body that breaks the documented schema (read as a response:
// writeOnly properties are not required). It returns one line per difference, nil when the
// response conforms or the description documents too little to tell.
func (op *Operation) CheckResponse(status int, contentType string, body []byte) []string {
	if op == nil || op.op == nil || op.op.Responses == nil || op.op.Responses.Len() == 0 {
		return nil
	}
	ref := op.op.Responses.Status(status)
	if ref == nil {
		ref = op.op.Responses.Value(strconv.Itoa(status/100) + "XX")
	}
	if ref == nil {
		ref = op.op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		if status >= 400 {
			return nil // descriptions seldom list every error (401, 429, 502…); the step shows it
		}
		return []string{fmt.Sprintf("status %d is not documented for %s %s", status, op.Method, op.Path)}
	}
	content := ref.Value.Content
	if len(content) == 0 || len(body) == 0 {
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.TrimSpace(strings.ToLower(contentType))
	}
	media := content.Get(mt)
	if media == nil {
		return []string{fmt.Sprintf("the %d response is %s, which %s %s does not document (it lists %s)", status, orNone(mt), op.Method, op.Path, strings.Join(contentTypes(content), ", "))}
	}
	if media.Schema == nil || media.Schema.Value == nil || !isJSONMedia(mt) {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{fmt.Sprintf("the %d response says %s but its body is not JSON: %v", status, mt, err)}
	}
	err = media.Schema.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse())
	if err == nil {
		return nil
	}
	var out []string
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			if len(out) == maxResponseFindings {
				out = append(out, fmt.Sprintf("and %d more", len(me)-maxResponseFindings))
				break
			}
			out = append(out, "the body breaks the response schema: "+oneLine(e.Error()))
		}
		return out
	}
	return []string{"the body breaks the response schema: " + oneLine(err.Error())}
}

func isJSONMedia(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func orNone(s string) string {
	if s == "" {
		return "without a Content-Type"
	}
	return s
}
