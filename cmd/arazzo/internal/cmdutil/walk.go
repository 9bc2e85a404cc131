package cmdutil

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
)

// FindDocuments walks dir for Arazzo documents: YAML or JSON files whose root has an `arazzo`
// key. Other files (a catalogue `_index.yml`, OpenAPI descriptions) are skipped, hidden
// directories are not entered, and the paths come back sorted.
func FindDocuments(dir string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json":
		default:
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if arazzo.IsArazzo(data) {
			found = append(found, p)
		}
		return nil
	})
	sort.Strings(found)
	return found, err
}
