package expr

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var expressionSeeds = []string{
	"$url", "$method", "$statusCode", "$self",
	"$request.header.X-Api-Key", "$request.query.limit", "$request.path.id", "$request.body#/a/0",
	"$response.body", "$response.body#/data/~0~1", "$response.body.data.items[0].id", "$message.payload.orderId",
	"$inputs.customer#/firstName", "$inputs.a.b", "$outputs.x", "$steps.s.outputs.o#/x",
	"$workflows.w.inputs.i", "$workflows.w.steps.s", "$sourceDescriptions.api.getPet", "$components.parameters.p",
	"", "$", "$foo", "$steps.", "$response.body[", "$inputs.a#~", "$response.body#/a~",
}

// seedFiles lists the documents the fuzz targets take seeds from: the repository's examples and
// workflows, and a few of the shared corpus when it is there.
func seedFiles() []string {
	var files []string
	for _, pattern := range []string{"../examples/*/*.yaml", "../workflows/*/arazzo/*.yml", "../runtime/testdata/*/*.arazzo.yaml"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	corpus, _ := filepath.Glob("../../shared/corpus/*/arazzo/*.yml")
	if len(corpus) > 20 {
		corpus = corpus[:20]
	}
	return append(files, corpus...)
}

var (
	conditionLine = regexp.MustCompile(`condition:\s*(.+)`)
	expressionRef = regexp.MustCompile(`\$[A-Za-z][^\s,'"{}()\[\]]*`)
)

// seedsFrom scans the seed files' text (no YAML parser here: expr imports none) for conditions
// or runtime expressions.
func seedsFrom(re *regexp.Regexp, group int) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range seedFiles() {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			s := strings.Trim(strings.TrimSpace(m[group]), `"'`)
			if !seen[s] && len(seen) < 200 {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// FuzzParseExpression checks that Parse and Eval never panic, that errors are
// typed, and that a parsed expression keeps its exact source.
func FuzzParseExpression(f *testing.F) {
	for _, s := range append(expressionSeeds, seedsFrom(expressionRef, 0)...) {
		f.Add(s)
	}
	ctx := testContext()
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error is %T, not *SyntaxError", s, err)
			}
			if se.Offset < 0 || se.Offset > len(s) {
				t.Fatalf("Parse(%q) offset %d out of range", s, se.Offset)
			}
			return
		}
		if e.String() != s {
			t.Fatalf("String() = %q, want %q", e.String(), s)
		}
		if e.Kind() == "" {
			t.Fatalf("Parse(%q) gave no kind", s)
		}
		if _, err := e.Eval(ctx); err != nil && !errors.Is(err, ErrNotFound) {
			t.Fatalf("Eval(%q) = %v, want nil or ErrNotFound", s, err)
		}
		if _, err := ParsePointer(e.Pointer()); err != nil {
			t.Fatalf("Pointer() of %q = %q does not parse: %v", s, e.Pointer(), err)
		}
		if _, err := ParseTemplate("x{" + s + "}"); err != nil && !errors.As(err, new(*SyntaxError)) {
			t.Fatalf("ParseTemplate error is %T", err)
		}
	})
}

var conditionSeeds = []string{
	"$statusCode == 200",
	"$statusCode == 200 && $response.body#/data != null",
	"$statusCode == 200 || $statusCode == 201",
	"$steps.checkLoanCanBeProvided.outputs.eligibilityCheckRequired == true",
	"$response.body.count > 0",
	"$steps.s.outputs.list[0].name == 'it''s'",
	"!($response.header.X-Rate-Limit <= '10')",
	"{$statusCode == 401}",
	"{$statusCode} == {$response.body#/code}",
	"null == null", "1.5e3 >= -2", `"a" != 'b'`,
	"", "$statusCode ==", "'unterminated", "(1 == 1", "1 == 1)", "$foo", "a = b", "[0]", "..",
}

// FuzzCondition checks that compiling and evaluating any text never panics
// and that errors are typed.
func FuzzCondition(f *testing.F) {
	for _, s := range append(conditionSeeds, seedsFrom(conditionLine, 1)...) {
		f.Add(s)
	}
	ctx := condContext()
	f.Fuzz(func(t *testing.T, s string) {
		c, err := CompileCondition(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("CompileCondition(%q) error is %T, not *SyntaxError: %v", s, err, err)
			}
			if se.Offset < 0 || se.Offset > len(s) {
				t.Fatalf("CompileCondition(%q) offset %d out of range", s, se.Offset)
			}
			return
		}
		if _, err := c.Eval(ctx); err != nil && !errors.Is(err, ErrNotBoolean) {
			t.Fatalf("Eval(%q) = %v", s, err)
		}
		if _, err := c.Eval(nil); err != nil && !errors.Is(err, ErrNotBoolean) {
			t.Fatalf("Eval(%q, nil) = %v", s, err)
		}
		_ = c.Explain(ctx)
	})
}

// FuzzPointer checks that parsing, Get and Set never panic on any pointer and document, that a
// parsed pointer prints back to tokens that parse the same, and that Set followed by Get finds
// the value that was set.
func FuzzPointer(f *testing.F) {
	docs := [][]byte{[]byte(`{"a":[{"b":"x"},2],"":"e","a/b":1,"m~n":{"-":[]},"n":null}`)}
	for _, path := range []string{"../workflows/assembled/arazzo/inputs.example.json", "../examples/pets/pets.arazzo.inputs.json"} {
		if data, err := os.ReadFile(path); err == nil {
			docs = append(docs, data)
		}
	}
	ptrs := []string{"", "#", "/", "/a/0/b", "/a/1", "/a/2", "/a/-", "/a/01", "/a~1b", "/m~0n/-/0", "/n/x", "#/a/0", "/~2", "a", "/a/99999999999999999999"}
	for i, p := range ptrs {
		f.Add(p, docs[i%len(docs)], `{"v":[1,"two",null]}`)
	}
	f.Fuzz(func(t *testing.T, ptr string, docText []byte, valueText string) {
		p, err := ParsePointer(ptr)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(ptr) {
				t.Fatalf("ParsePointer(%q) = %v (%T), want a *SyntaxError inside the text", ptr, err, err)
			}
			return
		}
		again, err := ParsePointer(p.String())
		if err != nil || !reflect.DeepEqual(again.Tokens(), p.Tokens()) {
			t.Fatalf("ParsePointer(%q).String() = %q does not parse back to the same tokens: %v", ptr, p.String(), err)
		}
		var doc, value any
		if json.Unmarshal(docText, &doc) != nil {
			doc = map[string]any{"a": []any{1.0}}
		}
		if json.Unmarshal([]byte(valueText), &value) != nil {
			value = valueText
		}
		_, _ = p.Get(doc)
		got, err := p.Set(doc, value)
		if err != nil {
			return
		}
		check := p
		if toks := p.Tokens(); len(toks) > 0 && toks[len(toks)-1] == "-" {
			parent, _ := pointerFromTokens(toks[:len(toks)-1]).Get(got)
			if arr, ok := parent.([]any); ok {
				toks[len(toks)-1] = strconv.Itoa(len(arr) - 1)
				check = pointerFromTokens(toks)
			}
		}
		v, ok := check.Get(got)
		if !ok || !reflect.DeepEqual(v, value) {
			t.Fatalf("Set(%q, %v) then Get = %v, %v; want the value back", ptr, value, v, ok)
		}
	})
}
