// Package version implements `arazzo version`.
package version

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
)

// Version and Commit are set at build time with -ldflags "-X …"; otherwise they come from the
// module's build information.
var (
	Version = ""
	Commit  = ""
)

// Info returns the version, commit and Go version of this binary.
func Info() (ver, commit, goVersion string) {
	ver, commit = Version, Commit
	bi, ok := debug.ReadBuildInfo()
	if ok {
		goVersion = bi.GoVersion
		if ver == "" {
			ver = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && commit == "" {
				commit = s.Value
			}
		}
	}
	if ver == "" || ver == "(devel)" {
		ver = "devel"
	}
	if commit == "" {
		commit = "unknown"
	}
	return ver, commit, goVersion
}

// NewCmdVersion returns `arazzo version`.
func NewCmdVersion(io *cmdutil.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit and Go version",
		Example: "  arazzo version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, c, g := Info()
			_, err := fmt.Fprintf(io.Out, "arazzo %s (commit %s, %s)\n", v, c, g)
			return err
		},
	}
}
