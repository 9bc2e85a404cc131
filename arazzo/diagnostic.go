package arazzo

import (
	"fmt"
	"sort"
	"strings"
)

// Severity says how much a Diagnostic matters.
type Severity string

// Severities, in decreasing weight.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Rule ids of the parser. They are part of the public contract: never rename one once released.
const (
	RuleYAMLSyntax       = "yaml-syntax"
	RuleNotAnObject      = "not-an-object"
	RuleRequiredField    = "required-field"
	RuleInvalidType      = "invalid-type"
	RuleUnknownField     = "unknown-field"
	RuleUnsupportedVer   = "unsupported-version"
	RuleInvalidValue     = "invalid-value"
	RuleReservedExtKey   = "reserved-extension"
	RuleDuplicateKey     = "duplicate-key"
	RuleDocumentTooLarge = "document-too-large"
	// RuleDocumentTooComplex: nesting deeper than MaxNestingDepth or aliases beyond MaxAliasNodes.
	RuleDocumentTooComplex = "document-too-complex"
)

// Pos is a 1-based line and column in a document.
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

// Diagnostic is one finding about a document, positioned at the node it is about.
// It prints as `file:line:col: severity: message [rule]`.
type Diagnostic struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
	Err      error    `json:"-"`
}

func (d Diagnostic) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", d.File, d.Line, d.Col, d.Severity, d.Message, d.Rule)
}

func (d Diagnostic) Unwrap() error { return d.Err }

// Diagnostics is a list of findings. As an error it prints one finding per line.
type Diagnostics []Diagnostic

func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Errors returns the findings of severity error.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(SeverityError) }

// Warnings returns the findings of severity warning.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(SeverityWarning) }

// HasErrors reports whether any finding is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

func (ds Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders findings by file, line, column, then rule, for stable output.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Rule < b.Rule
	})
}
