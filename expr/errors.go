package expr

import (
	"errors"
	"strconv"
)

// ErrNotFound is wrapped by every error that reports a value a runtime
// expression refers to but the [Context] does not hold: a step that has not
// run, an output that was never set, a header the response lacks. Test for it
// with errors.Is.
var ErrNotFound = errors.New("not found")

// ErrNotBoolean is wrapped by the error [Condition.Eval] returns when a
// condition evaluates to something other than a boolean or null.
var ErrNotBoolean = errors.New("result is not a boolean")

// SyntaxError reports text that is not a valid runtime expression, template,
// JSON Pointer or condition. Offset is the byte offset into Source where the
// problem was found.
type SyntaxError struct {
	Source string // the whole text that was parsed
	Offset int    // byte offset into Source
	Msg    string // lower-case description of the problem
}

// Error returns "offset N: msg".
func (e *SyntaxError) Error() string {
	return "offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// NotFoundError is returned by [Expression.Eval] when the value the expression
// refers to is absent. It unwraps to [ErrNotFound].
type NotFoundError struct {
	Expression string // source text of the expression
	What       string // what was missing, e.g. `step "a" has no output "b"`
}

// Error returns "<expression>: <what>".
func (e *NotFoundError) Error() string { return e.Expression + ": " + e.What }

// Unwrap returns [ErrNotFound].
func (e *NotFoundError) Unwrap() error { return ErrNotFound }
