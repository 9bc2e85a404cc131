// Package runtime plans and executes Arazzo workflows: it loads the source descriptions a
// document names, binds each step to its OpenAPI operation, builds and sends the requests,
// applies the operations' security schemes, evaluates success criteria and follows the
// actions (end, goto, retry) of the Arazzo specification.
//
// A run returns a Result whose JSON form is the contract of shared/guide/cli.md. The package
// never prints, never reads the environment or the terminal itself (the caller passes what it
// wants used), and never imports cobra. It depends on the arazzo, openapi and expr packages.
package runtime
