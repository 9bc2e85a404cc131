package arazzo

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrSourceURL is wrapped by the error CheckSourceURL returns.
var ErrSourceURL = errors.New("source url not allowed")

// CheckSourceURL applies the loading policy to a source description's url, as written in the
// document at docFile (a path, an http(s) URL, or "-" for standard input): a path (relative or
// not, or a file:// URL) and an http(s) URL are loaded; any other scheme (ftp:, data:, ...) is
// refused, and so is a file:// URL in a document read over http(s), which would make a remote
// document read local files (its paths resolve against its own URL instead). Locations the user
// gives (--source) are not subject to it.
func CheckSourceURL(docFile, ref string) error {
	remoteDoc := strings.HasPrefix(docFile, "http://") || strings.HasPrefix(docFile, "https://")
	u, err := url.Parse(ref)
	if err != nil {
		return nil // not a URL: a local path (C:\ on Windows, say), resolved against the document
	}
	switch scheme := strings.ToLower(u.Scheme); {
	case scheme == "file" && remoteDoc:
		return fmt.Errorf("%w: %s: a document read over http(s) cannot name a local file; pass --source NAME=PATH", ErrSourceURL, ref)
	case scheme == "", scheme == "file", scheme == "http", scheme == "https", len(scheme) == 1:
		return nil
	}
	return fmt.Errorf("%w: %s: only paths and http(s) URLs are loaded; pass --source NAME=PATH for anything else", ErrSourceURL, ref)
}
