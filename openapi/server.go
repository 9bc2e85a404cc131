package openapi

import (
	"fmt"
	"slices"
	"strings"
)

// Server is an OpenAPI Server Object: a base URL, possibly a template with
// {variables}.
type Server struct {
	URL         string
	Description string
	Variables   map[string]ServerVariable
}

// ServerVariable is a variable of a server URL template.
type ServerVariable struct {
	Default string
	// Enum, when not empty, lists the only values allowed.
	Enum []string
}

// Resolve returns the server URL with every {variable} replaced by its value
// in vars, else by its default. Entries of vars the template does not use
// are ignored, so one set of values can serve several servers. The error
// wraps ErrServerVariable and names a variable that has no value (undeclared
// and not in vars, or declared without a default) or a value outside the
// variable's enum. The URL is returned as declared: a relative URL stays
// relative (OpenAPI resolves it against the description's location).
func (s Server) Resolve(vars map[string]string) (string, error) {
	var b strings.Builder
	rest := s.URL
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if strings.IndexByte(rest, '}') >= 0 {
				return "", fmt.Errorf("server %q: %w: unbalanced '}'", s.URL, ErrServerVariable)
			}
			b.WriteString(rest)
			return b.String(), nil
		}
		closing := strings.IndexByte(rest[open:], '}')
		if closing < 0 {
			return "", fmt.Errorf("server %q: %w: unbalanced '{'", s.URL, ErrServerVariable)
		}
		b.WriteString(rest[:open])
		name := rest[open+1 : open+closing]
		value, err := s.variable(name, vars)
		if err != nil {
			return "", err
		}
		b.WriteString(value)
		rest = rest[open+closing+1:]
	}
}

func (s Server) variable(name string, vars map[string]string) (string, error) {
	decl, declared := s.Variables[name]
	value, given := vars[name]
	switch {
	case given:
	case declared && decl.Default != "":
		value = decl.Default
	case declared:
		return "", fmt.Errorf("server %q: %w %q has no default and no value was given", s.URL, ErrServerVariable, name)
	default:
		return "", fmt.Errorf("server %q: %w %q is not declared and no value was given", s.URL, ErrServerVariable, name)
	}
	if declared && len(decl.Enum) > 0 && !slices.Contains(decl.Enum, value) {
		return "", fmt.Errorf("server %q: %w %q: value %q is not one of %s", s.URL, ErrServerVariable, name, value, strings.Join(decl.Enum, ", "))
	}
	return value, nil
}
