// Package expr owns the two small languages an Arazzo document embeds:
// runtime expressions (Arazzo 1.0.1/1.1 §"Runtime Expressions") such as
// $steps.login.outputs.token or $response.body#/items/0/id, and the "simple"
// condition language of Criterion Objects such as
// $statusCode == 200 && $response.body#/data != null.
//
// It parses each once into a value that keeps its source text and offset
// ([Parse], [ParseTemplate], [CompileCondition], [ParsePointer]), and
// evaluates it many times against a [Context] that the caller fills. The
// package knows nothing about HTTP clients, documents or files: the runtime
// decides what $response or $inputs hold, and the validator uses the parsed
// values only for their shape.
//
// Where the specification is silent or contradicts itself, the package follows
// the choices recorded in the project's spec checklist (AMB-07, AMB-11,
// AMB-17): tokens in a condition end at whitespace or an operator, a missing
// value in a condition is null rather than an error, string comparisons ignore
// case, numeric strings compare as numbers, dot paths after body and payload
// are read as JSON Pointers, and a multi-valued header yields its first value.
//
// Conditions are translated into an expr-lang program and compiled once, with
// comparison, member access and boolean operators patched to call this
// package's own functions, so evaluation never panics on nil or mixed types.
//
// The package imports only the standard library and
// github.com/expr-lang/expr (imported as exprlang). It must not import any
// other package of this module.
package expr
