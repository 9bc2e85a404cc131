// Package kin lets openapi/mock reach the kin-openapi values behind the
// types of package openapi without making kin-openapi part of openapi's
// exported API: the runtime and the command see only openapi's own types.
//
// Package openapi installs the accessors in its init function, so they are
// set in any program that can name an openapi.Description. Only packages
// under openapi/ may import this one.
package kin

import "github.com/getkin/kin-openapi/openapi3"

var (
	// Document returns the kin-openapi document behind an
	// *openapi.Description (nil for any other value).
	Document func(description any) *openapi3.T

	// Operation returns the kin-openapi path item and operation behind an
	// *openapi.Operation (nils for any other value).
	Operation func(operation any) (*openapi3.PathItem, *openapi3.Operation)
)
