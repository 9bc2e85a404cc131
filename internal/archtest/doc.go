// Package archtest holds no code: its test enforces the architecture rules of
// shared/guide/style.md over the whole module, the way the golangci-lint depguard and
// forbidigo rules would, with nothing to install. Each third-party module may be imported only
// from its home packages, library packages never print to standard output, and only main
// packages call os.Exit.
package archtest
