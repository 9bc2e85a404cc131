package corpuscmd_test

import "flag"

// The repository rewrites golden files with `go test ./... -update`. This package keeps none,
// but every test binary must accept the flag or the whole command fails.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")
