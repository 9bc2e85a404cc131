package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// maxDocumentBytes bounds one description (or referenced file) read over
// HTTP, so a hostile or broken server cannot exhaust memory.
const maxDocumentBytes = 64 << 20

// Loader loads OpenAPI descriptions. It is safe for concurrent use and
// caches each description by its resolved location (absolute file path or
// URL), so a source is read and parsed once per Loader however many
// workflows use it. Failed loads are not cached.
type Loader struct {
	client      *http.Client
	logger      *slog.Logger
	allowRemote bool

	mu    sync.Mutex
	cache map[string]*loadCall
}

// loadCall is one load, shared by concurrent callers of the same location.
type loadCall struct {
	done chan struct{}
	desc *Description
	err  error
}

// Option configures a Loader.
type Option func(*Loader) error

// WithHTTPClient sets the client used to fetch descriptions (and, where
// allowed, referenced documents) over http(s). The default is
// http.DefaultClient.
func WithHTTPClient(c *http.Client) Option {
	return func(l *Loader) error {
		if c == nil {
			return errors.New("nil http client")
		}
		l.client = c
		return nil
	}
}

// WithLogger sets the logger. The default discards everything.
func WithLogger(logger *slog.Logger) Option {
	return func(l *Loader) error {
		if logger == nil {
			return errors.New("nil logger")
		}
		l.logger = logger
		return nil
	}
}

// WithAllowRemoteRefs controls whether $refs to http(s) documents are
// followed. The default, false, refuses them: a description can then make
// the loader read nothing but itself and, for a local file, the files of
// its own directory tree; for a description loaded over http(s), documents
// of the same origin under its own directory. Allowing them lets a
// description make the process send requests to any host it names.
func WithAllowRemoteRefs(allow bool) Option {
	return func(l *Loader) error {
		l.allowRemote = allow
		return nil
	}
}

// NewLoader returns a Loader configured by opts.
func NewLoader(opts ...Option) (*Loader, error) {
	l := &Loader{
		client: http.DefaultClient,
		logger: slog.New(slog.DiscardHandler),
		cache:  map[string]*loadCall{},
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(l); err != nil {
			return nil, fmt.Errorf("openapi loader: %w", err)
		}
	}
	return l, nil
}

// Load returns the description at location, a local file path or an http(s)
// URL (a file:// URL works too), in YAML or JSON: OpenAPI 3.0, 3.1, or
// Swagger 2.0 (a root swagger: "2.0" key), which is converted to OpenAPI 3.
//
// Relative $refs to sibling files are followed within the description's
// directory tree; see WithAllowRemoteRefs for remote ones. Validation
// problems that leave the document usable are reported in
// Description.Warnings; only an unreadable or unparseable document (or an
// unresolvable $ref) is an error, a *LoadError.
//
// The result is cached by resolved location: later calls return the same
// *Description without reading again.
func (l *Loader) Load(ctx context.Context, location string) (*Description, error) {
	u, key, err := resolveLocation(location)
	if err != nil {
		return nil, &LoadError{Location: location, Err: err}
	}

	l.mu.Lock()
	call, ok := l.cache[key]
	if !ok {
		call = &loadCall{done: make(chan struct{})}
		l.cache[key] = call
		l.mu.Unlock()

		call.desc, call.err = l.load(ctx, location, key, u)
		if call.err != nil {
			l.mu.Lock()
			delete(l.cache, key)
			l.mu.Unlock()
		}
		close(call.done)
		return call.desc, call.err
	}
	l.mu.Unlock()

	select {
	case <-call.done:
		return call.desc, call.err
	case <-ctx.Done():
		return nil, &LoadError{Location: location, Err: ctx.Err()}
	}
}

// resolveLocation returns the URL to read and the cache key: an absolute,
// cleaned file path or the URL without its fragment.
func resolveLocation(location string) (*url.URL, string, error) {
	if location == "" {
		return nil, "", errors.New("empty location")
	}
	if u, err := url.Parse(location); err == nil {
		switch strings.ToLower(u.Scheme) {
		case "http", "https":
			if u.Host == "" {
				return nil, "", fmt.Errorf("url %q has no host", location)
			}
			u.Fragment, u.RawFragment = "", ""
			return u, u.String(), nil
		case "file":
			location = filepath.FromSlash(u.Path)
		}
	}
	abs, err := filepath.Abs(location)
	if err != nil {
		return nil, "", err
	}
	return &url.URL{Path: filepath.ToSlash(abs)}, abs, nil
}

func (l *Loader) load(ctx context.Context, location, key string, root *url.URL) (*Description, error) {
	data, err := l.read(ctx, root)
	if err != nil {
		return nil, &LoadError{Location: location, Err: err}
	}

	// Most descriptions load as they are; repair (a second YAML parse, and a third to write the
	// mended text) runs only when kin-openapi refuses one, which was nearly half the cost of
	// loading every description of the corpus.
	var warnings []string
	doc, version, err := l.parse(ctx, data, root, false, &warnings)
	if err != nil {
		fixed, repairs := repair(data)
		var refRepairs []string
		doc2, version2, err2 := l.parse(ctx, fixed, root, true, &refRepairs)
		if err2 != nil || (len(repairs) == 0 && len(refRepairs) == 0) {
			return nil, &LoadError{Location: location, Err: err}
		}
		doc, version, warnings = doc2, version2, append(repairs, refRepairs...)
	}
	if doc.OpenAPI == "" {
		return nil, &LoadError{Location: location, Err: errors.New("not an OpenAPI description: no openapi or swagger version field")}
	}

	d := newDescription(key, version, doc)
	d.Warnings = append(warnings, validate(ctx, doc)...)
	l.logger.Debug("loaded openapi description",
		"location", key, "version", version,
		"operations", len(d.ops), "warnings", len(d.Warnings))
	return d, nil
}

// parse decodes a description (Swagger 2.0 converted to OpenAPI 3) and resolves its
// references, reading referenced files through refReader; with mend, those files are repaired
// first, each repair added to warnings.
func (l *Loader) parse(ctx context.Context, data []byte, root *url.URL, mend bool, warnings *[]string) (*openapi3.T, string, error) {
	loader := &openapi3.Loader{
		IsExternalRefsAllowed: true,
		ReadFromURIFunc:       l.refReader(ctx, root, mend, warnings),
		Context:               ctx,
	}
	if swagger, _ := declaredVersion(data); swagger != "" {
		var doc2 openapi2.T
		if err := openapi2.UnmarshalFromData(data, &doc2); err != nil {
			return nil, "", err
		}
		doc, err := openapi2conv.ToV3WithLoader(&doc2, loader, root)
		if err != nil {
			return nil, "", fmt.Errorf("convert swagger 2.0: %w", err)
		}
		return doc, swagger, nil
	}
	doc, err := loader.LoadFromDataWithPath(data, root)
	if err != nil {
		return nil, "", err
	}
	return doc, doc.OpenAPI, nil
}

// validate runs kin-openapi's validation, collecting every finding as a
// warning: real descriptions are often slightly invalid yet usable.
//
// Examples are not checked against their schemas: that compiles a JSON Schema per example,
// which was a third of the cost of a run of the bundled workflow, and an example that breaks
// its schema changes nothing the runner does (the mock checks requests, not examples).
func validate(ctx context.Context, doc *openapi3.T) (warnings []string) {
	defer func() {
		if r := recover(); r != nil {
			warnings = append(warnings, fmt.Sprintf("validation aborted: %v", r))
		}
	}()
	err := doc.Validate(ctx, openapi3.EnableMultiError(), openapi3.DisableExamplesValidation())
	if err == nil {
		return nil
	}
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			if e != nil {
				warnings = append(warnings, oneLine(e.Error()))
			}
		}
		return warnings
	}
	return []string{oneLine(err.Error())}
}

// oneLine keeps the first line of a kin-openapi finding (the rest dumps the schema and the
// value) and caps its length, so each warning prints as one line.
func oneLine(s string) string {
	const max = 240
	s, _, _ = strings.Cut(s, "\n")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "Schema:"))
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// declaredVersion returns the root swagger and openapi fields, without a
// full parse: JSON is decoded, YAML is scanned for top-level keys.
func declaredVersion(data []byte) (swagger, openapi string) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var probe struct {
			Swagger any `json:"swagger"`
			OpenAPI any `json:"openapi"`
		}
		if json.Unmarshal(trimmed, &probe) == nil {
			return scalar(probe.Swagger), scalar(probe.OpenAPI)
		}
	}
	for line := range strings.Lines(string(data)) {
		if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimRight(line, "\r\n"), ":")
		if !ok {
			continue
		}
		key = strings.Trim(strings.TrimSpace(key), `"'`)
		value = strings.TrimSpace(value)
		if i := strings.Index(value, " #"); i >= 0 {
			value = strings.TrimSpace(value[:i])
		}
		value = strings.Trim(value, `"'`)
		switch key {
		case "swagger":
			swagger = value
		case "openapi":
			openapi = value
		}
	}
	return swagger, openapi
}

func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// read reads a description or a referenced document.
func (l *Loader) read(ctx context.Context, u *url.URL) ([]byte, error) {
	if isFile(u) {
		return os.ReadFile(filepath.FromSlash(u.Path))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/yaml, application/json;q=0.9, */*;q=0.8")
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode >= http.StatusBadRequest {
		return nil, fmt.Errorf("get %s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", u, err)
	}
	if len(data) > maxDocumentBytes {
		return nil, fmt.Errorf("get %s: larger than %d bytes", u, maxDocumentBytes)
	}
	return data, nil
}

func isFile(u *url.URL) bool {
	return u.Host == "" && (u.Scheme == "" || u.Scheme == "file")
}

// refReader returns the ReadFromURIFunc that enforces the $ref policy for
// the description at root (see WithAllowRemoteRefs). kin-openapi does not
// enforce IsExternalRefsAllowed once a ReadFromURIFunc is set, so this
// function is the only gate.
//
// With mend, referenced documents get the same repairs as the description
// itself; their warnings are appended to *warnings, prefixed with the
// document's location.
func (l *Loader) refReader(ctx context.Context, root *url.URL, mend bool, warnings *[]string) openapi3.ReadFromURIFunc {
	// kin-openapi may read one document several times during a load (once
	// per single-element $ref into it): read and repair it once.
	read := map[string][]byte{}
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		target := *u
		target.Fragment, target.RawFragment = "", ""
		if err := l.allowed(root, &target); err != nil {
			return nil, err
		}
		key := target.String()
		if data, ok := read[key]; ok {
			return data, nil
		}
		data, err := l.read(ctx, &target)
		if err != nil {
			return nil, err
		}
		if mend {
			var repairs []string
			data, repairs = repair(data)
			for _, w := range repairs {
				*warnings = append(*warnings, key+": "+w)
			}
		}
		read[key] = data
		return data, nil
	}
}

func (l *Loader) allowed(root, u *url.URL) error {
	switch {
	case isFile(u):
		if !isFile(root) {
			return fmt.Errorf("%w: local file %q referenced from %s", ErrExternalRef, u.Path, root)
		}
		dir := path.Dir(root.Path)
		if !within(dir, path.Clean(u.Path)) {
			return fmt.Errorf("%w: %q is outside %q", ErrExternalRef, u.Path, dir)
		}
		return nil
	case u.Scheme == "http" || u.Scheme == "https":
		if l.allowRemote {
			return nil
		}
		if !isFile(root) && u.Scheme == root.Scheme && u.Host == root.Host &&
			within(path.Dir(root.Path), path.Clean(u.Path)) {
			return nil
		}
		return fmt.Errorf("%w: remote reference %s (see WithAllowRemoteRefs)", ErrExternalRef, u)
	default:
		return fmt.Errorf("%w: unsupported scheme in %s", ErrExternalRef, u)
	}
}

// within reports whether the slash-separated path p is dir or below it.
func within(dir, p string) bool {
	if dir == "/" {
		return strings.HasPrefix(p, "/")
	}
	return p == dir || strings.HasPrefix(p, dir+"/")
}
