// Package openapi loads the OpenAPI descriptions an Arazzo document names
// as source descriptions and answers what the runtime asks of them: which
// operation an operationId or operationPath designates, its parameters (with
// path-level ones merged in and serialisation defaults filled), its request
// body media types, its effective security and servers, and its responses.
//
// Loading uses kin-openapi, which is used nowhere else in the module: the
// exported types here are this package's own, so that callers never depend
// on kin-openapi. It supports OpenAPI 3.0 and 3.1 and converts Swagger 2.0,
// in YAML or JSON, from files or http(s) URLs. Security-relevant defaults:
// $refs are followed only within a description's own directory tree (or,
// for a description fetched over http(s), under its own URL directory);
// WithAllowRemoteRefs lets them reach other hosts.
//
// Real descriptions are often slightly broken. Load therefore fails only when
// a description cannot be read or parsed; what kin-openapi's validation
// finds, and dangling local $refs it would otherwise refuse the whole
// document for, are reported in Description.Warnings.
//
// This package imports no other package of this module. Its subpackage mock
// serves a description as a mock API.
package openapi
