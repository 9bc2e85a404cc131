package openapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/openapi"
)

func newLoader(t *testing.T, opts ...openapi.Option) *openapi.Loader {
	t.Helper()
	l, err := openapi.NewLoader(opts...)
	require.NoError(t, err)
	return l
}

func load(t *testing.T, location string) *openapi.Description {
	t.Helper()
	d, err := newLoader(t).Load(t.Context(), location)
	require.NoError(t, err)
	return d
}

func TestNewLoader(t *testing.T) {
	t.Parallel()
	_, err := openapi.NewLoader(openapi.WithHTTPClient(nil))
	require.ErrorContains(t, err, "nil http client")
	_, err = openapi.NewLoader(openapi.WithLogger(nil))
	require.ErrorContains(t, err, "nil logger")
	_, err = openapi.NewLoader(openapi.WithHTTPClient(http.DefaultClient), openapi.WithAllowRemoteRefs(true))
	require.NoError(t, err)
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		file         string
		wantVersion  string
		wantTitle    string
		wantOps      []string
		wantWarnings []string // substrings, each in some warning
	}{
		{
			name:        "openapi 3.0",
			file:        "petstore-3.0.yaml",
			wantVersion: "3.0.3",
			wantTitle:   "Petstore",
			wantOps:     []string{"GET /pets", "POST /pets", "GET /pets/mine", "DELETE /pets/{petId}", "GET /pets/{petId}", "POST /pets/{petId}/walks"},
		},
		{
			name:        "openapi 3.1",
			file:        "petstore-3.1.yaml",
			wantVersion: "3.1.0",
			wantTitle:   "Petstore 3.1",
			wantOps:     []string{"GET /pets/{petId}"},
		},
		{
			name:        "swagger 2.0",
			file:        "swagger-2.0.json",
			wantVersion: "2.0",
			wantTitle:   "Users",
			wantOps:     []string{"POST /users", "GET /users/{id}"},
		},
		{
			name:        "sibling file ref",
			file:        "ref/main.yaml",
			wantVersion: "3.0.3",
			wantTitle:   "With sibling refs",
			wantOps:     []string{"GET /things/{id}"},
		},
		{
			name:         "conflicting paths load with warnings",
			file:         "conflicting.yaml",
			wantVersion:  "3.0.3",
			wantTitle:    "Conflicting paths",
			wantOps:      []string{"GET /items/{id}", "GET /items/{name}"},
			wantWarnings: []string{"conflicting paths", `same operation id "getItem"`},
		},
		{
			name:         "dangling local ref",
			file:         "dangling.yaml",
			wantVersion:  "3.0.0",
			wantTitle:    "Dangling refs",
			wantOps:      []string{"GET /charges"},
			wantWarnings: []string{`unresolved $ref "#/components/schemas/charge"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := load(t, filepath.Join("testdata", tc.file))
			assert.Equal(t, tc.wantVersion, d.Version)
			assert.Equal(t, tc.wantTitle, d.Title)
			abs, err := filepath.Abs(filepath.Join("testdata", tc.file))
			require.NoError(t, err)
			assert.Equal(t, abs, d.Location)
			var got []string
			for _, op := range d.Operations() {
				got = append(got, op.Method+" "+op.Path)
			}
			assert.Equal(t, tc.wantOps, got)
			if len(tc.wantWarnings) == 0 {
				assert.Empty(t, d.Warnings)
			}
			for _, w := range tc.wantWarnings {
				assert.True(t, containsSubstring(d.Warnings, w), "no warning contains %q in %q", w, d.Warnings)
			}
		})
	}
}

func containsSubstring(list []string, sub string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, sub) })
}

func TestLoadSiblingRefResolved(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/ref/main.yaml")
	op, ok := d.OperationByID("getThing")
	require.True(t, ok)
	require.Len(t, op.Parameters, 1)
	assert.Equal(t, "id", op.Parameters[0].Name)
	assert.Equal(t, "string", op.Parameters[0].Schema.Type)
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []openapi.Option
		file    string
		wantIs  error
		wantMsg string
	}{
		{name: "missing file", file: "testdata/nope.yaml", wantIs: os.ErrNotExist},
		{name: "unparseable keeps the line", file: "testdata/broken.yaml", wantMsg: "line 5"},
		{name: "not an openapi document", file: "testdata/not-openapi.yaml", wantMsg: "not an OpenAPI description"},
		{name: "ref outside the directory", file: "testdata/ref/escape.yaml", wantIs: openapi.ErrExternalRef},
		{name: "remote ref not allowed", file: "testdata/ref/remote.yaml", wantIs: openapi.ErrExternalRef},
		{name: "empty location", file: "", wantMsg: "empty location"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := newLoader(t, tc.opts...).Load(t.Context(), tc.file)
			require.Error(t, err)
			var loadErr *openapi.LoadError
			require.ErrorAs(t, err, &loadErr)
			assert.Equal(t, tc.file, loadErr.Location)
			if tc.wantIs != nil {
				assert.ErrorIs(t, err, tc.wantIs)
			}
			if tc.wantMsg != "" {
				assert.ErrorContains(t, err, tc.wantMsg)
			}
		})
	}
}

// serveTestdata serves testdata over http and counts the requests per path.
func serveTestdata(t *testing.T) (*httptest.Server, *sync.Map) {
	t.Helper()
	hits := &sync.Map{}
	files := http.FileServer(http.Dir("testdata"))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		n, _ := hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		files.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, hits
}

func hitCount(hits *sync.Map, path string) int64 {
	n, ok := hits.Load(path)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

func TestLoadHTTP(t *testing.T) {
	t.Parallel()
	srv, hits := serveTestdata(t)
	l := newLoader(t, openapi.WithHTTPClient(srv.Client()))

	d, err := l.Load(t.Context(), srv.URL+"/petstore-3.0.yaml")
	require.NoError(t, err)
	assert.Equal(t, "Petstore", d.Title)
	assert.Equal(t, srv.URL+"/petstore-3.0.yaml", d.Location)

	// A sibling $ref of a remote description is read from the same directory.
	d, err = l.Load(t.Context(), srv.URL+"/ref/main.yaml")
	require.NoError(t, err)
	_, ok := d.OperationByID("getThing")
	assert.True(t, ok)
	assert.EqualValues(t, 1, hitCount(hits, "/ref/shared.yaml"))

	// But not one outside it.
	_, err = l.Load(t.Context(), srv.URL+"/ref/escape.yaml")
	require.ErrorIs(t, err, openapi.ErrExternalRef)

	_, err = l.Load(t.Context(), srv.URL+"/missing.yaml")
	var loadErr *openapi.LoadError
	require.ErrorAs(t, err, &loadErr)
	assert.ErrorContains(t, err, "404")
}

func TestLoadRemoteRefsAllowed(t *testing.T) {
	t.Parallel()
	srv, hits := serveTestdata(t)
	dir := t.TempDir()
	doc := `openapi: 3.0.3
info: {title: remote, version: "1"}
paths:
  /things/{id}:
    get:
      parameters:
        - $ref: "` + srv.URL + `/ref/shared.yaml#/components/parameters/Id"
      responses:
        "200": {description: ok}
`
	file := filepath.Join(dir, "remote.yaml")
	require.NoError(t, os.WriteFile(file, []byte(doc), 0o600))

	_, err := newLoader(t, openapi.WithHTTPClient(srv.Client())).Load(t.Context(), file)
	require.ErrorIs(t, err, openapi.ErrExternalRef)
	assert.EqualValues(t, 0, hitCount(hits, "/ref/shared.yaml"))

	d, err := newLoader(t, openapi.WithHTTPClient(srv.Client()), openapi.WithAllowRemoteRefs(true)).Load(t.Context(), file)
	require.NoError(t, err)
	op, ok := d.OperationByPath("/things/{id}", "get")
	require.True(t, ok)
	require.Len(t, op.Parameters, 1)
	assert.Equal(t, "id", op.Parameters[0].Name)
}

func TestLoadCache(t *testing.T) {
	t.Parallel()
	srv, hits := serveTestdata(t)
	l := newLoader(t, openapi.WithHTTPClient(srv.Client()))

	var wg sync.WaitGroup
	results := make([]*openapi.Description, 8)
	for i := range results {
		wg.Go(func() {
			d, err := l.Load(t.Context(), srv.URL+"/petstore-3.1.yaml#ignored")
			assert.NoError(t, err)
			results[i] = d
		})
	}
	wg.Wait()
	again, err := l.Load(t.Context(), srv.URL+"/petstore-3.1.yaml")
	require.NoError(t, err)
	for _, d := range results {
		assert.Same(t, again, d)
	}
	assert.EqualValues(t, 1, hitCount(hits, "/petstore-3.1.yaml"))

	// Local files: a relative and an absolute path are the same location.
	abs, err := filepath.Abs("testdata/petstore-3.0.yaml")
	require.NoError(t, err)
	d1, err := l.Load(t.Context(), "testdata/petstore-3.0.yaml")
	require.NoError(t, err)
	d2, err := l.Load(t.Context(), abs)
	require.NoError(t, err)
	assert.Same(t, d1, d2)
}

func TestLoadFailureNotCached(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	fail.Store(true)
	body, err := os.ReadFile("testdata/petstore-3.0.yaml")
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		if fail.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write(body)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	l := newLoader(t, openapi.WithHTTPClient(srv.Client()))
	_, err = l.Load(t.Context(), srv.URL+"/openapi.yaml")
	require.ErrorContains(t, err, "503")
	fail.Store(false)
	_, err = l.Load(t.Context(), srv.URL+"/openapi.yaml")
	require.NoError(t, err)
}

func TestLoadCancelled(t *testing.T) {
	t.Parallel()
	srv, _ := serveTestdata(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := newLoader(t, openapi.WithHTTPClient(srv.Client())).Load(ctx, srv.URL+"/petstore-3.0.yaml")
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
}

// TestLoadCorpus loads real descriptions, which are often slightly invalid:
// they must load, with warnings at most.
func TestLoadCorpus(t *testing.T) {
	t.Parallel()
	const corpus = "../../shared/corpus"
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("corpus not present:", err)
	}
	// Descriptions named by the corpus's Arazzo documents, among them ones
	// with dangling $refs (stripe), OpenAPI 3.1 (github), Swagger 2.0
	// (amadeus) and a shared sibling file kin-openapi cannot parse as is
	// (snowflake common.yaml).
	names := []string{
		"stripe/openapi/stripe-subscription-api-openapi.yml",
		"stripe/openapi/stripe-payment-intents-api-openapi.yml",
		"stripe/openapi/stripe-customers-api-openapi.yml",
		"github/openapi/github-repos-api-openapi.yml",
		"github/openapi/github-repo-issues-api-openapi.yml",
		"github/openapi/github-zen-openapi.yml",
		"amadeus/openapi/amadeus-flight-offers-price-openapi.yml",
		"snowflake/openapi/warehouse.yaml",
	}
	var files []string
	for _, name := range names {
		if _, err := os.Stat(filepath.Join(corpus, name)); err == nil {
			files = append(files, filepath.Join(corpus, name))
		}
	}
	if len(files) == 0 {
		t.Skip("no corpus files")
	}
	l := newLoader(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			d, err := l.Load(t.Context(), f)
			require.NoError(t, err)
			assert.NotEmpty(t, d.Operations())
			for _, op := range d.Operations() {
				if op.ID == "" {
					continue
				}
				got, ok := d.OperationByID(op.ID)
				require.True(t, ok)
				assert.Equal(t, op.ID, got.ID)
			}
		})
	}
}
