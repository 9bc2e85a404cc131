// Command arazzo runs and validates Arazzo workflow documents.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/root"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := root.Main(ctx, os.Args[1:], cmdutil.System())
	stop()
	os.Exit(code)
}
