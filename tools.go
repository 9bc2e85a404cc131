//go:build tools

package tools

import (
	_ "github.com/expr-lang/expr"
	_ "github.com/getkin/kin-openapi/openapi3"
	_ "github.com/getkin/kin-openapi/openapi2conv"
	_ "github.com/spf13/cobra"
	_ "gopkg.in/yaml.v3"
	_ "github.com/stretchr/testify/require"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
)
