package root_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every document shipped in examples/ and workflows/ runs green against the mock, with the
// inputs file that sits beside it (inputs.example.json) or its .inputs.json sibling.
func TestShippedDocumentsRunWithMock(t *testing.T) {
	t.Parallel()
	var docs []string
	for _, pattern := range []string{"../../../../examples/*/*.arazzo.yaml", "../../../../workflows/*/arazzo/*.yml"} {
		m, err := filepath.Glob(pattern)
		assert.NoError(t, err)
		docs = append(docs, m...)
	}
	assert.GreaterOrEqual(t, len(docs), 2)
	for _, doc := range docs {
		t.Run(filepath.Base(doc), func(t *testing.T) {
			t.Parallel()
			args := []string{"run", doc, "--mock"}
			for _, in := range []string{filepath.Join(filepath.Dir(doc), "inputs.example.json"), strings.TrimSuffix(doc, filepath.Ext(doc)) + ".inputs.json"} {
				if _, err := os.Stat(in); err == nil {
					args = append(args, "--inputs", in)
				}
			}
			code, stdout, stderr := runMain(t, nil, args...)
			assert.Equal(t, 0, code, "%s\n%s", stdout, stderr)
		})
	}
}
