// Command launch starts a program, waits for it and writes its wall time and peak RSS to file
// descriptor 3 as "WALL_NS MAXRSS_KIB". The harness starts every tool through it because Go
// starts children with vfork semantics (CLONE_VM): on exec Linux folds the peak RSS of the
// parent's address space into the child's ru_maxrss, so a child of the harness (which holds
// large inputs and a server) would report the harness's peak, not its own. This process is
// small, so the figure it reports is the tool's.
//
// Usage: launch PROGRAM [ARGS...] 3>RESULT
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: launch PROGRAM [ARGS...] 3>RESULT")
		os.Exit(2)
	}
	result := os.NewFile(3, "result")
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// If the harness kills this process (a timeout), the tool dies with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "launch:", err)
		os.Exit(2)
	}
	var maxrss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxrss = ru.Maxrss // KiB on Linux
	}
	if _, werr := fmt.Fprintf(result, "%d %d\n", wall.Nanoseconds(), maxrss); werr != nil {
		fmt.Fprintln(os.Stderr, "launch: writing the result:", werr)
		os.Exit(2)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}
