package runtime

import "github.com/arazzo-runner/arazzo/arazzo"

// checkSourceURL applies arazzo.CheckSourceURL to a source the document names: a location
// given in RunOptions.Sources is the user's choice and is not checked.
func (p *plan) checkSourceURL(sd *arazzo.SourceDescription) error {
	if _, ok := p.opts.Sources[sd.Name]; ok {
		return nil
	}
	return arazzo.CheckSourceURL(p.doc.File, sd.URL)
}
