package openapi

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is.
var (
	// ErrOperationNotFound is wrapped by lookups that name an operation the
	// description does not have.
	ErrOperationNotFound = errors.New("operation not found")

	// ErrInvalidPointer is wrapped when an operation path is not a JSON
	// Pointer of the form /paths/{path}/{method}.
	ErrInvalidPointer = errors.New("invalid operation pointer")

	// ErrExternalRef is wrapped when a description's $ref points outside what
	// the Loader may read: a local file outside the description's directory
	// tree, or a remote document while remote references are not allowed.
	ErrExternalRef = errors.New("external reference not allowed")

	// ErrServerVariable is wrapped by Server.Resolve when a variable of the
	// URL template has no value, or a value outside its enum.
	ErrServerVariable = errors.New("server variable")
)

// LoadError reports a description that could not be read or parsed. Err
// keeps the cause, including kin-openapi's line information where the parser
// gave one.
type LoadError struct {
	// Location is the file path or URL as the caller gave it.
	Location string
	// Err is the cause.
	Err error
}

// Error implements error.
func (e *LoadError) Error() string {
	return fmt.Sprintf("load openapi description %q: %v", e.Location, e.Err)
}

// Unwrap returns the cause.
func (e *LoadError) Unwrap() error { return e.Err }
