package mock

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/arazzo-runner/arazzo/openapi"
)

// Status classes of a refused request, in the order a real API checks them:
// credentials, then the media type, then the request's syntax, then the
// body's schema. The first class found chooses the status.
var statusOrder = []int{
	http.StatusUnauthorized,
	http.StatusUnsupportedMediaType,
	http.StatusBadRequest,
	http.StatusUnprocessableEntity,
}

var titles = map[int]string{
	http.StatusUnauthorized:         "missing credentials",
	http.StatusUnsupportedMediaType: "unsupported content type",
	http.StatusBadRequest:           "invalid request",
	http.StatusUnprocessableEntity:  "request body does not match its schema",
}

// finding is a Violation and the status its class answers with.
type finding struct {
	status int
	Violation
	challenge string
}

// validateRequest checks r against op with openapi3filter and returns the
// Problem to answer with, or nil when r is valid. It consumes r's body.
func validateRequest(r *http.Request, op *operation, params map[string]string) *Problem {
	input := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      op.route,
		Options: &openapi3filter.Options{
			MultiError:                 true,
			SkipSettingDefaults:        true,
			ExcludeReadOnlyValidations: true,
			AuthenticationFunc:         credentialPresent,
		},
	}
	err := validateSafely(r.Context(), input)
	if err == nil {
		return nil
	}
	var found []finding
	collect(err, &found)
	if len(found) == 0 {
		return nil // only problems of the description itself: not the request's fault
	}
	p := &Problem{}
	for _, status := range statusOrder {
		for _, f := range found {
			if f.status != status {
				continue
			}
			if p.Status == 0 {
				p.Status = status
			}
			p.Errors = append(p.Errors, f.Violation)
			if f.challenge != "" {
				p.challenges = append(p.challenges, f.challenge)
			}
		}
	}
	p.Title = titles[p.Status]
	p.summarise()
	return p
}

// validateSafely runs openapi3filter, turning a panic on a broken
// description into "no problem found": the mock must not refuse a request
// for the description's faults.
func validateSafely(ctx context.Context, input *openapi3filter.RequestValidationInput) (err error) {
	defer func() {
		if recover() != nil {
			err = nil
		}
	}()
	return openapi3filter.ValidateRequest(ctx, input)
}

// credentialError is what credentialPresent returns for a missing
// credential.
type credentialError struct {
	field, message, challenge string
}

func (e *credentialError) Error() string { return e.message }

// credentialPresent is the AuthenticationFunc of the mock: it checks that
// the request carries the credential the scheme asks for, in the right
// place, never its value. Schemes it cannot check (mutualTLS, unknown
// types) pass.
func credentialPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	r := in.RequestValidationInput.Request
	name := in.SecuritySchemeName
	switch strings.ToLower(s.Type) {
	case "http":
		scheme := strings.ToLower(s.Scheme)
		auth := r.Header.Get("Authorization")
		word, _, _ := strings.Cut(auth, " ")
		if auth == "" || (scheme != "" && !strings.EqualFold(word, scheme)) {
			return &credentialError{
				field:     "header.Authorization",
				message:   fmt.Sprintf("security scheme %q (http %s) needs an \"Authorization: %s …\" header", name, scheme, titleCase(scheme)),
				challenge: titleCase(scheme) + ` realm="arazzo mock"`,
			}
		}
	case "apikey":
		var present bool
		switch s.In {
		case openapi3.ParameterInHeader:
			present = r.Header.Get(s.Name) != ""
		case openapi3.ParameterInQuery:
			present = r.URL.Query().Has(s.Name)
		case openapi3.ParameterInCookie:
			_, err := r.Cookie(s.Name)
			present = err == nil
		default:
			return nil
		}
		if !present {
			return &credentialError{
				field:   s.In + "." + s.Name,
				message: fmt.Sprintf("security scheme %q (apiKey) needs the %s %q", name, s.In, s.Name),
			}
		}
	case "oauth2", "openidconnect":
		auth := r.Header.Get("Authorization")
		word, _, _ := strings.Cut(auth, " ")
		if !strings.EqualFold(word, "bearer") {
			return &credentialError{
				field:     "header.Authorization",
				message:   fmt.Sprintf("security scheme %q (%s) needs an \"Authorization: Bearer …\" header", name, s.Type),
				challenge: `Bearer realm="arazzo mock"`,
			}
		}
	}
	return nil
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// collect turns what openapi3filter returned into findings. It switches on
// the concrete types: errors.As would find a MultiError inside a
// RequestError and lose which part of the request it is about.
func collect(err error, out *[]finding) {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, inner := range e {
			collect(inner, out)
		}
	case *openapi3filter.SecurityRequirementsError:
		for _, inner := range e.Errors {
			var ce *credentialError
			if errors.As(inner, &ce) {
				*out = append(*out, finding{status: http.StatusUnauthorized, challenge: ce.challenge,
					Violation: Violation{Field: ce.field, Rule: RuleSecurity, Message: ce.message}})
			}
		}
	case *openapi3filter.RequestError:
		var ce *credentialError
		if errors.As(e.Err, &ce) {
			*out = append(*out, finding{status: http.StatusUnauthorized, challenge: ce.challenge,
				Violation: Violation{Field: ce.field, Rule: RuleSecurity, Message: ce.message}})
			return
		}
		collectRequestError(e, out)
	default:
		*out = append(*out, finding{status: http.StatusBadRequest,
			Violation: Violation{Field: "request", Rule: RuleInvalid, Message: capLine(err.Error(), maxDetail)}})
	}
}

func collectRequestError(req *openapi3filter.RequestError, out *[]finding) {
	switch {
	case req.Parameter != nil:
		field := req.Parameter.In + "." + req.Parameter.Name
		switch {
		case req.Parameter.In == openapi3.ParameterInHeader && openapi.IgnoredHeader(req.Parameter.Name):
			// OpenAPI: a header parameter named Accept, Content-Type or Authorization "SHALL be
			// ignored"; the request's own headers say these things.
		case req.Err != nil && strings.HasPrefix(req.Err.Error(), "invalid serialization method"):
			// The description gives the parameter a style its location does not allow: the
			// description's fault, not the request's.
		case errors.Is(req.Err, openapi3filter.ErrInvalidRequired):
			add(out, http.StatusBadRequest, field, RuleRequired, fmt.Sprintf("the %s parameter %q is required", req.Parameter.In, req.Parameter.Name))
		case errors.Is(req.Err, openapi3filter.ErrInvalidEmptyValue):
			add(out, http.StatusBadRequest, field, "allowEmptyValue", fmt.Sprintf("the %s parameter %q must not be empty", req.Parameter.In, req.Parameter.Name))
		default:
			if !schemaFindings(req.Err, http.StatusBadRequest, field, "", out) {
				add(out, http.StatusBadRequest, field, RuleSyntax, reason(req))
			}
		}
	case req.RequestBody != nil:
		var parse *openapi3filter.ParseError
		switch {
		case req.Err == nil && strings.HasPrefix(req.Reason, "header Content-Type has unexpected value"):
			add(out, http.StatusUnsupportedMediaType, "header.Content-Type", RuleContentType, contentTypeMessage(req))
		case errors.Is(req.Err, openapi3filter.ErrInvalidRequired):
			add(out, http.StatusBadRequest, "body", RuleRequired, "a request body is required")
		case errors.As(req.Err, &parse) && parse.Kind == openapi3filter.KindUnsupportedFormat:
			// kin-openapi cannot decode this media type: accept the body unchecked.
		case req.Err != nil && (strings.Contains(req.Err.Error(), "unsupported schema of request body") || req.Reason == "reading failed"):
			// kin-openapi cannot decode this form body (nested objects, for one): accept it
			// unchecked, as for media types it does not know.
		case errors.As(req.Err, &parse):
			add(out, http.StatusBadRequest, "body", RuleSyntax, "the body cannot be decoded: "+capLine(parse.Error(), 200))
		default:
			if !schemaFindings(req.Err, http.StatusUnprocessableEntity, "body", "#", out) {
				add(out, http.StatusBadRequest, "body", RuleInvalid, reason(req))
			}
		}
	default:
		add(out, http.StatusBadRequest, "request", RuleInvalid, reason(req))
	}
}

func add(out *[]finding, status int, field, rule, msg string) {
	*out = append(*out, finding{status: status, Violation: Violation{Field: field, Rule: rule, Message: msg}})
}

// schemaFindings adds one finding per schema error in err, the field being
// base followed by sep and the error's JSON Pointer. It reports whether it
// found any.
func schemaFindings(err error, status int, base, sep string, out *[]finding) bool {
	if multi, ok := err.(openapi3.MultiError); ok {
		found := false
		for _, e := range multi {
			if schemaFindings(e, status, base, sep, out) {
				found = true
			}
		}
		return found
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return false
	}
	field := base
	if ptr := se.JSONPointer(); len(ptr) > 0 && sep != "" {
		field += sep + "/" + strings.Join(escapePointer(ptr), "/")
	}
	rule := se.SchemaField
	if rule == "" {
		rule = RuleInvalid
	}
	msg := se.Reason
	if msg == "" {
		msg = fmt.Sprintf("does not match the schema's %q", rule)
	}
	if rule == "format" {
		msg, _, _ = strings.Cut(msg, " (") // drop the regular expression kin-openapi appends
	}
	add(out, status, field, rule, capLine(msg, 200))
	return true
}

func escapePointer(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return out
}

func reason(req *openapi3filter.RequestError) string {
	msg := req.Reason
	if req.Err != nil {
		if msg != "" {
			msg += ": "
		}
		msg += req.Err.Error()
	}
	return capLine(msg, 200)
}

func contentTypeMessage(req *openapi3filter.RequestError) string {
	got := req.Input.Request.Header.Get("Content-Type")
	var accepted []string
	for ct := range req.RequestBody.Content {
		accepted = append(accepted, ct)
	}
	accepted = sortedStrings(accepted)
	if got == "" {
		return fmt.Sprintf("no Content-Type header: send one of %s", strings.Join(accepted, ", "))
	}
	return fmt.Sprintf("content type %q is not accepted: send one of %s", got, strings.Join(accepted, ", "))
}

// formMediaTypes are the media types whose fields arrive as text.
var formMediaTypes = []string{"application/x-www-form-urlencoded", "multipart/form-data"}

// formsTyped returns op, or a copy of it whose form bodies give their untyped fields the type
// string. A form field is text on the wire; kin-openapi decodes a field whose schema has no type
// as null and then refuses it as "not nullable", which would reject every value a real API
// takes. The description itself is not modified: it may be shared with other handlers.
func formsTyped(op *openapi3.Operation) *openapi3.Operation {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return op
	}
	body := op.RequestBody.Value
	var content openapi3.Content
	for _, ct := range formMediaTypes {
		mt := body.Content.Get(ct)
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			continue
		}
		typed := typedFields(mt.Schema.Value)
		if typed == mt.Schema.Value {
			continue
		}
		if content == nil {
			content = make(openapi3.Content, len(body.Content))
			maps.Copy(content, body.Content)
		}
		for key, other := range body.Content {
			if other == mt {
				copied := *mt
				copied.Schema = &openapi3.SchemaRef{Value: typed}
				content[key] = &copied
			}
		}
	}
	if content == nil {
		return op
	}
	copiedBody := *body
	copiedBody.Content = content
	copiedOp := *op
	copiedOp.RequestBody = &openapi3.RequestBodyRef{Value: &copiedBody}
	return &copiedOp
}

// typedFields returns s, or a copy of it whose properties without a type, composition or
// structure are typed string.
func typedFields(s *openapi3.Schema) *openapi3.Schema {
	var props openapi3.Schemas
	for name, p := range s.Properties {
		if p == nil || p.Value == nil || !untyped(p.Value) {
			continue
		}
		if props == nil {
			props = make(openapi3.Schemas, len(s.Properties))
			maps.Copy(props, s.Properties)
		}
		field := *p.Value
		field.Type = &openapi3.Types{openapi3.TypeString}
		props[name] = &openapi3.SchemaRef{Value: &field}
	}
	if props == nil {
		return s
	}
	copied := *s
	copied.Properties = props
	return &copied
}

// untyped reports whether a schema says nothing of its value's type or structure.
func untyped(s *openapi3.Schema) bool {
	return (s.Type == nil || len(*s.Type) == 0) && len(s.AllOf) == 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0 &&
		s.Not == nil && len(s.Properties) == 0 && s.Items == nil && s.AdditionalProperties.Schema == nil && len(s.Enum) == 0
}
