// Package mock serves an OpenAPI description as an HTTP API, so that a
// workflow can run, and be checked, with no network: `arazzo run --mock`
// serves each source in-process and `arazzo mock` serves them until
// interrupted.
//
// The mock is a contract check as much as a stub. Every request is validated
// against its operation with kin-openapi's openapi3filter: parameters, the
// body's content type and schema, and the presence of the credentials the
// operation's security requirements ask for (their values are not checked).
// A request that breaks its description is answered 400, 401, 415 or 422 with
// an application/problem+json body (see Problem) naming each field and the
// rule it breaks, so that a wrong workflow fails offline the way it would
// fail against the real API.
//
// A valid request gets the response a Prefer header asks for (code=NNN,
// example=NAME, as Prism reads them), else the lowest documented 2xx. Its
// body is the documented example, else a value generated from the schema.
// Generation is deterministic: the same request always gets the same bytes.
//
// The package imports only package openapi and kin-openapi (reached through
// openapi's internal accessor), never the runtime; it opens no listener
// itself: callers serve the http.Handler that New returns.
package mock
