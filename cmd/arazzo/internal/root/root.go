// Package root assembles the arazzo command and maps errors to exit statuses.
package root

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/completion"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/corpuscmd"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/list"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/mockcmd"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/run"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/validate"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/version"
	"github.com/arazzo-runner/arazzo/runtime"
)

// NewCmdRoot returns the root command with every verb.
func NewCmdRoot(io *cmdutil.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "arazzo <command>",
		Short: "Run and validate Arazzo workflows against the APIs their OpenAPI documents describe",
		Long: `arazzo runs the workflows of an Arazzo document (OpenAPI Initiative) against real or mocked
APIs, with no code written for the workflow.`,
		Example: `  arazzo run workflow.yaml --inputs inputs.json
  arazzo run workflow.yaml --mock -o json`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	cmd.SetOut(io.Out)
	cmd.SetErr(io.ErrOut)
	cmd.SetIn(io.In)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	cmd.AddCommand(run.NewCmdRun(io, nil))
	cmd.AddCommand(version.NewCmdVersion(io))
	cmd.AddCommand(validate.NewCmdValidate(io, nil))
	cmd.AddCommand(list.NewCmdList(io, nil))
	cmd.AddCommand(mockcmd.NewCmdMock(io, nil))
	cmd.AddCommand(completion.NewCmdCompletion(io))
	cmd.AddCommand(corpuscmd.NewCmdCorpus(io, nil))
	return cmd
}

// Main runs the command line args and returns the exit status. It prints each error once.
func Main(ctx context.Context, args []string, io *cmdutil.IOStreams) int {
	cmd := NewCmdRoot(io)
	cmd.SetArgs(args)
	executed, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	code := ExitCode(ctx, err)
	if !errors.Is(err, cmdutil.ErrSilent) {
		fmt.Fprintln(io.ErrOut, errorLines(err))
	}
	var fe *cmdutil.FlagError
	if errors.As(err, &fe) || isCobraUsage(err) {
		if executed == nil {
			executed = cmd
		}
		fmt.Fprintf(io.ErrOut, "Run '%s --help' for usage.\n", executed.CommandPath())
	}
	return code
}

// errorLines renders an error: one line, or one line per diagnostic.
func errorLines(err error) string {
	var ds arazzo.Diagnostics
	if errors.As(err, &ds) {
		return ds.Error()
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "error") {
		msg = "error: " + msg
	}
	return msg
}

func isCobraUsage(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.Contains(msg, "accepts ") || strings.HasPrefix(msg, "required flag")
}

// ExitCode chooses the exit status for an error returned by a command (cli.md): 2 when the
// command could not start, 130 when interrupted, 1 otherwise.
func ExitCode(ctx context.Context, err error) int {
	var (
		ee *cmdutil.ExitError
		fe *cmdutil.FlagError
		cs *cmdutil.CannotStartError
		se *runtime.SetupError
		ds arazzo.Diagnostics
		d  arazzo.Diagnostic
	)
	switch {
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return cmdutil.ExitInterrupted
	case errors.As(err, &fe), isCobraUsage(err):
		return cmdutil.ExitCannotStart
	case errors.As(err, &cs), errors.As(err, &se), errors.As(err, &ds), errors.As(err, &d):
		return cmdutil.ExitCannotStart
	}
	return cmdutil.ExitFailed
}
