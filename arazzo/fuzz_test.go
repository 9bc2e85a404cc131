package arazzo_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/arazzo-runner/arazzo/arazzo"
)

// FuzzParseDocument checks that no input makes the parser or the validator panic, nor the parser
// return a document together with an error, and that every finding carries a position.
func FuzzParseDocument(f *testing.F) {
	seeds := []string{
		"../workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml",
		"../examples/pets/pets.arazzo.yaml",
	}
	more, _ := filepath.Glob("../../shared/arazzo-spec/examples/*/*.yaml")
	seeds = append(seeds, more...)
	corpus, _ := filepath.Glob("../../shared/corpus/stripe/arazzo/*.yml")
	if len(corpus) > 5 {
		corpus = corpus[:5]
	}
	seeds = append(seeds, corpus...)
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("arazzo: 1.0.1\ninfo: &a {title: t, version: '1'}\nx: *a\n"))
	f.Add([]byte(`{"arazzo": "1.1.0", "workflows": [{"steps": [{"stepId": 1}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := arazzo.Parse("fuzz.yaml", data)
		if err != nil {
			if doc != nil {
				t.Fatal("a document returned together with an error")
			}
			ds, ok := err.(arazzo.Diagnostics)
			if !ok || len(ds) == 0 {
				t.Fatalf("error is not a non-empty Diagnostics: %T %v", err, err)
			}
			for _, d := range ds {
				if d.Line < 1 || d.Col < 1 || d.Rule == "" || d.Message == "" {
					t.Fatalf("finding without position, rule or message: %+v", d)
				}
			}
			return
		}
		if doc == nil {
			t.Fatal("nil document without error")
		}
		// The validator's rules (expressions, flow, near-misses, positions in the tree) must not
		// panic on what the parser accepts, and every finding has a position.
		for _, d := range arazzo.Validate(doc) {
			if d.Line < 1 || d.Col < 1 || d.Rule == "" || d.Message == "" {
				t.Fatalf("finding without position, rule or message: %+v", d)
			}
		}
	})
}
