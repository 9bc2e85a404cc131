package cmdutil

import (
	"github.com/spf13/cobra"
)

// ExactlyOne accepts one argument and otherwise says, as a usage error, what the argument is:
// what names it in messages, e.g. "the Arazzo document (a path, an http(s) URL or -)".
func ExactlyOne(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) == 0:
			return FlagErrorf("%s needs %s", cmd.CommandPath(), what)
		case len(args) > 1:
			return FlagErrorf("%s takes one argument, %s; got %d: %q", cmd.CommandPath(), what, len(args), args)
		}
		return nil
	}
}
