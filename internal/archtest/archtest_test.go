package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/arazzo-runner/arazzo"

// homes maps each third-party module to the directories (relative to the module root) that may
// import it. One home each, as style.md says; jsonschema and x/text serve both the document
// validator and the runtime's input checks. A module missing here fails the test: decide its
// home and add it.
var homes = map[string][]string{
	"github.com/spf13/cobra":                {"cmd"},
	"golang.org/x/term":                     {"cmd"},
	"github.com/getkin/kin-openapi":         {"openapi"},
	"go.yaml.in/yaml/v4":                    {"openapi"}, // kin-openapi's own YAML library, for repair.go
	"github.com/expr-lang/expr":             {"expr"},
	"gopkg.in/yaml.v3":                      {"arazzo"},
	"github.com/santhosh-tekuri/jsonschema": {"arazzo", "runtime"},
	"golang.org/x/text":                     {"arazzo", "runtime"},
	"github.com/antchfx/xmlquery":           {"runtime"},
	"github.com/antchfx/xpath":              {"runtime"},
	"github.com/theory/jsonpath":            {"runtime"},
}

// testOnly modules may be imported by any test file.
var testOnly = []string{"github.com/stretchr/testify", "go.uber.org/goleak"}

// printFuncs are the calls library code must not make: results go back to the caller and logs
// through log/slog (style.md, "Logging").
var printFuncs = map[string][]string{
	"fmt": {"Print", "Printf", "Println"},
	"log": {"Fatal", "Fatalf", "Fatalln", "Print", "Printf", "Println", "Panic", "Panicf", "Panicln"},
}

type pkg struct {
	ImportPath   string
	Dir          string
	GoFiles      []string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-json", module+"/...").Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("go list: %v: %s", err, ee.Stderr)
	}
	require.NoError(t, err)
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		err := dec.Decode(&p)
		if err == io.EOF {
			return pkgs
		}
		require.NoError(t, err)
		pkgs = append(pkgs, p)
	}
}

// rel is the package's directory relative to the module root, slash-separated.
func rel(p pkg) string { return strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/") }

func under(dir, home string) bool { return dir == home || strings.HasPrefix(dir, home+"/") }

func moduleOf(path string) (string, bool) {
	for m := range homes {
		if path == m || strings.HasPrefix(path, m+"/") {
			return m, true
		}
	}
	return "", false
}

// isThirdParty reports whether an import path is outside the standard library and this module.
func isThirdParty(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return strings.Contains(first, ".") && path != module && !strings.HasPrefix(path, module+"/")
}

// TestOneHomePerModule is depguard's rule: a third-party module is imported only from its home.
func TestOneHomePerModule(t *testing.T) {
	t.Parallel()
	pkgs := listPackages(t)
	for _, p := range pkgs {
		dir := rel(p)
		if under(dir, "bench") {
			continue // the benchmark harness measures other tools too
		}
		check := func(imports []string, test bool) {
			for _, imp := range imports {
				if !isThirdParty(imp) {
					continue
				}
				if test && hasPrefixAny(imp, testOnly) {
					continue
				}
				m, ok := moduleOf(imp)
				if !ok {
					t.Errorf("%s imports %s, a module with no home: add it to homes in internal/archtest with the one package that may use it", dir, imp)
					continue
				}
				allowed := false
				for _, h := range homes[m] {
					allowed = allowed || under(dir, h)
				}
				if !allowed {
					t.Errorf("%s imports %s, whose home is %s: go through that package instead", dir, imp, strings.Join(homes[m], " or "))
				}
			}
		}
		check(p.Imports, false)
		check(append(append([]string(nil), p.TestImports...), p.XTestImports...), true)
	}
}

func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if s == p || strings.HasPrefix(s, p+"/") {
			return true
		}
	}
	return false
}

// TestLibraryDoesNotPrint is forbidigo's rule: outside cmd/ and bench/, non-test code never
// calls fmt.Print*, log.Print*, log.Fatal* or log.Panic*, and only main packages call os.Exit.
func TestLibraryDoesNotPrint(t *testing.T) {
	t.Parallel()
	pkgs := listPackages(t)
	fset := token.NewFileSet()
	for _, p := range pkgs {
		dir := rel(p)
		library := !under(dir, "cmd") && !under(dir, "bench")
		for _, name := range p.GoFiles {
			file := filepath.Join(p.Dir, name)
			f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			names := map[string]string{} // local name -> import path
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				local := path[strings.LastIndex(path, "/")+1:]
				if imp.Name != nil {
					local = imp.Name.Name
				}
				names[local] = path
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				id, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				path := names[id.Name]
				pos := fset.Position(sel.Pos())
				where := filepath.ToSlash(filepath.Join(dir, name)) + ":" + strconv.Itoa(pos.Line)
				if library {
					for _, fn := range printFuncs[path] {
						if sel.Sel.Name == fn {
							t.Errorf("%s: %s.%s in library code: return the value or log through the *slog.Logger option", where, path, fn)
						}
					}
				}
				if path == "os" && sel.Sel.Name == "Exit" && f.Name.Name != "main" {
					t.Errorf("%s: os.Exit outside a main package: return an error and let Main choose the exit status", where)
				}
				return true
			})
		}
	}
}
