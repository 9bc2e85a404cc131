package runtime

import (
	"fmt"

	"github.com/arazzo-runner/arazzo/arazzo"
)

// checkSourceURL applies arazzo.CheckSourceURL to a source the document names, and to the
// `$self` its url resolves against, so that a remote document cannot reach local files through
// a `$self: file:///…` base either. A location given in RunOptions.Sources is the user's choice
// and is not checked.
func (p *plan) checkSourceURL(sd *arazzo.SourceDescription) error {
	if _, ok := p.opts.Sources[sd.Name]; ok {
		return nil
	}
	if p.doc.Self != "" {
		if err := arazzo.CheckSourceURL(p.doc.File, p.doc.Self); err != nil {
			return fmt.Errorf("$self: %w", err)
		}
	}
	return arazzo.CheckSourceURL(p.doc.File, sd.URL)
}
