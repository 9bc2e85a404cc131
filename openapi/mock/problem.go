package mock

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ContentTypeProblem is the media type of the mock's error bodies (RFC 9457).
const ContentTypeProblem = "application/problem+json"

// Rules a Violation may name besides the JSON Schema keywords ("required",
// "type", "enum", "format", "minimum", ...) that body and parameter checks
// report as they are.
const (
	// RuleSecurity: the credential a security scheme asks for is missing.
	RuleSecurity = "security"
	// RuleContentType: the body's media type is not one the operation accepts.
	RuleContentType = "content-type"
	// RuleSyntax: the body or a parameter could not be decoded.
	RuleSyntax = "syntax"
	// RuleRequired: a required parameter or body is missing.
	RuleRequired = "required"
	// RulePrefer: the Prefer header asks for a response or example the
	// operation does not document.
	RulePrefer = "prefer"
	// RuleInvalid: any other problem with the request.
	RuleInvalid = "invalid"
)

// Problem is the application/problem+json body (RFC 9457) the mock answers
// a request it refuses with. Errors lists every problem found; Detail
// summarises the first in one line.
type Problem struct {
	Title  string      `json:"title"`
	Status int         `json:"status"`
	Detail string      `json:"detail"`
	Errors []Violation `json:"errors,omitempty"`

	// challenges are the WWW-Authenticate values of a 401.
	challenges []string
}

// Violation is one problem with a request: the field it is about, the rule
// it breaks and a message saying what is wrong.
//
// Field is "body" for the body as a whole, "body#" followed by a JSON
// Pointer for a part of it ("body#/conversations/0/channel"), and
// "IN.NAME" for a parameter or credential ("query.limit",
// "header.Authorization").
type Violation struct {
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// maxDetail bounds Problem.Detail, so a client can quote it in one line.
const maxDetail = 300

func (p *Problem) summarise() {
	if len(p.Errors) == 0 {
		return
	}
	v := p.Errors[0]
	detail := fmt.Sprintf("%s: %s [%s]", v.Field, v.Message, v.Rule)
	if n := len(p.Errors) - 1; n > 0 {
		detail += fmt.Sprintf(" (and %d more)", n)
	}
	p.Detail = capLine(detail, maxDetail)
}

func (p *Problem) body() []byte {
	b, err := json.Marshal(p)
	if err != nil {
		return []byte(`{"title":"mock error","status":500}`)
	}
	return b
}

// capLine keeps the first line of s, at most n bytes of it.
func capLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	s = strings.TrimSpace(s)
	if len(s) > n {
		cut := n
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
