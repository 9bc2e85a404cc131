// Package arazzo owns the model of an Arazzo document (1.0.x and 1.1.x), its YAML/JSON parser
// and in-document validation with rule ids.
//
// Every element keeps the line and column it was read from, so every finding can point at the
// node it is about. Fields a runner does not execute yet (AsyncAPI steps, for instance) are still
// parsed. `x-` fields are kept as Extensions.
//
// The package imports yaml.v3 and this module's expr package (for expression syntax checks); it
// must never import net/http or kin-openapi: loading source descriptions is the openapi package's
// job and running steps is the runtime's.
package arazzo
