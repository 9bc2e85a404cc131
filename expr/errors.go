package expr

import (
	"errors"
	"strconv"
)

// Limits on what one expression or condition may make the parser do. They keep a hostile or
// broken document from costing more than a moment: real expressions are a few dozen bytes, and
// without them a condition of many thousand nested parentheses takes minutes to compile.
const (
	// MaxExpressionBytes bounds one runtime expression (alone or embedded in a template) and
	// one whole condition.
	MaxExpressionBytes = 4096
	// MaxConditionDepth bounds how deeply a condition nests parentheses and "!".
	MaxConditionDepth = 100
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
