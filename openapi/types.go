package openapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Operation is one operation of a description, with what the runtime needs
// to build a request already resolved: inherited parameters, the effective
// security and the effective servers.
type Operation struct {
	// ID is the operationId, empty when the description gives none.
	ID string
	// Method is the HTTP method, upper-case.
	Method string
	// Path is the path template as the description writes it, e.g. /pets/{petId}.
	Path    string
	Summary string
	// Parameters are the operation's own parameters, in declared order,
	// followed by the path item's parameters it does not override (a
	// parameter is identified by name and location).
	Parameters []*Parameter
	// RequestBody is nil when the operation takes none.
	RequestBody *RequestBody
	// Security is the effective security: the operation's requirements when
	// it declares any (an empty list means no authentication), else the
	// document's. The request is authorised when any one requirement is met.
	Security []SecurityRequirement
	// Servers are the operation's servers, else its path item's, else the
	// document's.
	Servers []Server
	// Responses are sorted by status key ("200" < "2XX" < "404" < "default").
	Responses []Response

	item *openapi3.PathItem
	op   *openapi3.Operation
}

// Parameter describes a parameter of an operation.
type Parameter struct {
	Name string
	// In is path, query, header or cookie.
	In       string
	Required bool
	// Style and Explode carry the OpenAPI defaults when the description
	// leaves them out: form and explode for query and cookie, simple without
	// explode for path and header.
	Style         string
	Explode       bool
	AllowReserved bool
	// Schema is nil when the parameter declares none; for a parameter given
	// by content it is the schema of its media type.
	Schema *Schema
}

// IgnoredHeader reports whether OpenAPI says a header parameter of this name is ignored: the
// request's own Accept, Content-Type and Authorization say those things.
func IgnoredHeader(name string) bool {
	return strings.EqualFold(name, "Accept") || strings.EqualFold(name, "Content-Type") || strings.EqualFold(name, "Authorization")
}

// Ignored reports whether the parameter is a header OpenAPI says to ignore (IgnoredHeader).
func (p *Parameter) Ignored() bool { return p.In == "header" && IgnoredHeader(p.Name) }

// RequestBody describes the body an operation accepts.
type RequestBody struct {
	Required bool
	// ContentTypes are the media types of the body. kin-openapi keeps them in
	// a map, so the declared order is lost: application/json comes first when
	// present, then the others in alphabetical order.
	ContentTypes []string
}

// Response describes one documented response of an operation.
type Response struct {
	// Status is the key as written: "200", "2XX" or "default".
	Status string
	// ContentTypes are ordered as in RequestBody.
	ContentTypes []string
	// Headers are the documented header names, sorted.
	Headers []string
	// HasExamples reports whether any media type carries an example.
	HasExamples bool
}

// Schema is a small view of a JSON Schema: enough to coerce a value typed on
// the command line or to choose how to serialise a parameter.
type Schema struct {
	// Type is the first declared type other than "null", or "" when the
	// schema declares none.
	Type string
	// Types are all declared types; OpenAPI 3.1 may list several
	// (["string", "null"]).
	Types  []string
	Format string
	Enum   []any
	// Nullable is true for OpenAPI 3.0 nullable or a 3.1 "null" type.
	Nullable bool
	// Items is the schema of an array's items, nil otherwise.
	Items *Schema
	// Default and Const are the schema's default and const values, nil when it
	// declares none.
	Default any
	Const   any
}

// Implied returns the value a client sends when it is told nothing else: the
// schema's const, else its only enum member, else its default. from names the
// keyword ("const", "enum" or "default"); ok is false when the schema implies
// no value.
func (s *Schema) Implied() (v any, from string, ok bool) {
	switch {
	case s == nil:
		return nil, "", false
	case s.Const != nil:
		return s.Const, "const", true
	case len(s.Enum) == 1 && s.Enum[0] != nil:
		return s.Enum[0], "enum", true
	case s.Default != nil:
		return s.Default, "default", true
	}
	return nil, "", false
}

// SecurityRequirement lists the security schemes that must all be applied
// together, sorted by scheme name. An empty requirement means the request
// may be sent without authentication.
type SecurityRequirement []SchemeRef

// SchemeRef names a security scheme of the description and the scopes the
// operation needs from it.
type SchemeRef struct {
	Name   string
	Scopes []string
}

// SecurityScheme is an OpenAPI Security Scheme Object.
type SecurityScheme struct {
	// Name is the key under components.securitySchemes.
	Name string
	// Type is http, apiKey, oauth2, openIdConnect or mutualTLS.
	Type string
	// Scheme is the HTTP authentication scheme, lower-case: basic, bearer, ...
	Scheme string
	// In is header, query or cookie for an apiKey scheme.
	In string
	// ParamName is the header, query or cookie name of an apiKey scheme.
	ParamName    string
	BearerFormat string
	Description  string
}
