package arazzo_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arazzo-runner/arazzo/arazzo"
)

// Issue 9: a document names its sources by path or http(s) URL; a remote document cannot make
// the runner read a local file, and no document can use another scheme.
func TestCheckSourceURL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	doc := filepath.Join(dir, "flow.arazzo.yaml")
	tests := []struct {
		name, docFile, ref string
		wantErr            string
	}{
		{"relative", doc, "api.yaml", ""},
		{"relative above", doc, "../openapi/api.yaml", ""},
		{"http", doc, "http://127.0.0.1:8080/api.yaml", ""},
		{"https", doc, "https://example.com/api.yaml", ""},
		{"absolute inside", doc, filepath.Join(dir, "sub", "api.yaml"), ""},
		{"file url inside", doc, "file://" + filepath.ToSlash(filepath.Join(dir, "api.yaml")), ""},
		{"absolute elsewhere", doc, "/srv/api/openapi.yaml", ""},
		{"ftp", doc, "ftp://example.com/api.yaml", "only paths and http(s) URLs are loaded"},
		{"data", doc, "data:text/plain,openapi", "only paths and http(s) URLs are loaded"},
		{"gopher from a remote document", "https://example.com/flow.yaml", "gopher://127.0.0.1:70/x", "only paths and http(s) URLs are loaded"},
		{"remote document, absolute path", "https://example.com/a/flow.yaml", "/api.yaml", ""},
		{"remote document, file url", "https://example.com/a/flow.yaml", "file:///etc/passwd", "cannot name a local file"},
		{"stdin, relative", "-", "api.yaml", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := arazzo.CheckSourceURL(tc.docFile, tc.ref)
			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.True(t, errors.Is(err, arazzo.ErrSourceURL), "%v", err)
			assert.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func ExampleCheckSourceURL() {
	for _, ref := range []string{"../openapi/pets.yaml", "https://api.example.com/openapi.yaml", "ftp://example.com/pets.yaml"} {
		fmt.Println(arazzo.CheckSourceURL("flows/pets.arazzo.yaml", ref))
	}
	fmt.Println(arazzo.CheckSourceURL("https://example.com/flows/pets.arazzo.yaml", "file:///etc/passwd"))
	// Output:
	// <nil>
	// <nil>
	// source url not allowed: ftp://example.com/pets.yaml: only paths and http(s) URLs are loaded; pass --source NAME=PATH for anything else
	// source url not allowed: file:///etc/passwd: a document read over http(s) cannot name a local file; pass --source NAME=PATH
}
