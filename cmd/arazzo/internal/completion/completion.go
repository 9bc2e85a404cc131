// Package completion implements `arazzo completion bash|zsh|fish` with cobra's generators.
package completion

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
)

// Shells supported by `arazzo completion`.
var Shells = []string{"bash", "zsh", "fish"}

// NewCmdCompletion returns `arazzo completion SHELL`, which prints the completion script of
// the root command for that shell on stdout.
func NewCmdCompletion(io *cmdutil.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print the shell completion script",
		Long: `Print the completion script of arazzo for bash, zsh or fish. Load it in the current shell,
or install it where your shell reads completions.`,
		Example: `  source <(arazzo completion bash)
  arazzo completion zsh > "${fpath[1]}/_arazzo"
  arazzo completion fish > ~/.config/fish/completions/arazzo.fish`,
		ValidArgs: Shells,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 || !slices.Contains(Shells, args[0]) {
				return cmdutil.FlagErrorf("give one shell: bash, zsh or fish")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(io.Out, true)
			case "zsh":
				return root.GenZshCompletion(io.Out)
			default:
				return root.GenFishCompletion(io.Out, true)
			}
		},
	}
}
