package main

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/runtime"
)

// These benchmarks run only with -bench; `go test ./...` runs none of them and never starts
// the process harness of main.go.
//
//	go test -run '^$' -bench . -benchmem ./bench ./expr

const stepAPI = `openapi: 3.1.0
info: {title: items, version: "1"}
paths:
  /items:
    post:
      operationId: addItem
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "201": {description: created}
`

// stepDoc is a workflow of steps identical steps, each posting a small JSON body.
func stepDoc(steps int) string {
	var b strings.Builder
	b.WriteString(`arazzo: 1.0.1
info: {title: steps, version: "1"}
sourceDescriptions: [{name: items, url: items.yaml, type: openapi}]
workflows:
- workflowId: add
  inputs: {type: object, properties: {name: {type: string}}}
  steps:
`)
	for i := range steps {
		b.WriteString("  - stepId: add" + string(rune('a'+i)) + `
    operationId: addItem
    requestBody:
      payload: {name: $inputs.name, tags: [bench, go], count: 3}
    successCriteria: [{condition: $statusCode == 201}]
`)
	}
	return b.String()
}

func itemServer(b *testing.B) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusCreated)
	})
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkStep measures one step over httptest against a raw client sending the same request,
// so the difference is the runner's per-step overhead beyond the HTTP exchange itself.
// arazzo/1-step includes planning a run (input schema, binding) with the OpenAPI description
// already loaded; arazzo/10-steps reports the marginal cost of a step as ns/step.
func BenchmarkStep(b *testing.B) {
	srv := itemServer(b)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "items.yaml"), []byte(stepAPI), 0o644); err != nil {
		b.Fatal(err)
	}
	client := srv.Client()

	b.Run("raw", func(b *testing.B) {
		body := []byte(`{"count":3,"name":"widget","tags":["bench","go"]}`)
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, srv.URL+"/items", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Fatal(resp.Status)
			}
		}
	})

	for _, steps := range []int{1, 10} {
		name := "arazzo/1-step"
		if steps > 1 {
			name = "arazzo/10-steps"
		}
		b.Run(name, func(b *testing.B) {
			path := filepath.Join(dir, "steps.arazzo.yaml")
			if err := os.WriteFile(path, []byte(stepDoc(steps)), 0o644); err != nil {
				b.Fatal(err)
			}
			doc, err := arazzo.ParseFile(path)
			if err != nil {
				b.Fatal(err)
			}
			loader, err := openapi.NewLoader()
			if err != nil {
				b.Fatal(err)
			}
			r, err := runtime.New(runtime.WithHTTPClient(client), runtime.WithLoader(loader))
			if err != nil {
				b.Fatal(err)
			}
			opts := runtime.RunOptions{Inputs: map[string]any{"name": "widget"}, Servers: map[string]string{"": srv.URL}}
			b.ReportAllocs()
			for b.Loop() {
				res, err := r.Run(b.Context(), doc, opts)
				if err != nil || !res.Success {
					b.Fatal(err, res)
				}
			}
			if steps > 1 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps), "ns/step")
			}
		})
	}
}

// BenchmarkBulkInputs (issue 8) decodes an inputs file of 10,000 records as `arazzo run
// --inputs` does, and runs the bundled workflow on the decoded inputs in-process against a
// server that discards the two bulk bodies: the inputs tree, the JSON Schema check of it and
// the encoding of the request bodies.
func BenchmarkBulkInputs(b *testing.B) {
	const records = 10000
	path, size, err := writeInputs(b.TempDir(), records)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := arazzo.DecodeValueFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("run", func(b *testing.B) {
		mux := http.NewServeMux()
		accept := func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
		}
		mux.HandleFunc("POST /v0/conversations/bulk", accept)
		mux.HandleFunc("PATCH /v0/conversations/bulk", accept)
		srv := httptest.NewServer(mux)
		b.Cleanup(srv.Close)
		doc, err := arazzo.ParseFile(filepath.Join("..", workflowDoc))
		if err != nil {
			b.Fatal(err)
		}
		v, err := arazzo.DecodeValueFile(path)
		if err != nil {
			b.Fatal(err)
		}
		in, _ := v.(map[string]any)
		r, err := runtime.New(runtime.WithHTTPClient(srv.Client()))
		if err != nil {
			b.Fatal(err)
		}
		opts := runtime.RunOptions{Inputs: in, Servers: map[string]string{"conversationsApi": srv.URL}}
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			res, err := r.Run(b.Context(), doc, opts)
			if err != nil || !res.Success {
				b.Fatal(err, res)
			}
		}
	})
}

// BenchmarkParseBundled parses the bundled workflow from its bytes.
func BenchmarkParseBundled(b *testing.B) {
	path := filepath.Join("..", workflowDoc)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := arazzo.Parse(path, data); err != nil {
			b.Fatal(err)
		}
	}
}

// corpusDocs lists the Arazzo documents of ../shared/corpus and their total size, skipping the
// benchmark when the corpus is absent.
func corpusDocs(b *testing.B) ([]string, int64) {
	root := filepath.Join("..", "..", "shared", "corpus")
	var paths []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && filepath.Base(filepath.Dir(p)) == "arazzo" && d.Name() != "_index.yml" &&
			(strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil || len(paths) == 0 {
		b.Skipf("no corpus at %s: %v", root, err)
	}
	var total int64
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	return paths, total
}

// BenchmarkParseCorpus parses, by path, every Arazzo document of the shared corpus
// (../shared/corpus, 375 documents); it is skipped where the corpus is absent.
func BenchmarkParseCorpus(b *testing.B) {
	paths, total := corpusDocs(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			// Some corpus documents are invalid on purpose; parsing them is part of the work.
			_, _ = arazzo.ParseFile(p)
		}
	}
	b.ReportMetric(float64(len(paths)), "docs/op")
}

// BenchmarkValidateCorpus validates every corpus document as `arazzo validate` does: the
// official JSON Schema and the document rules, then the checks against its OpenAPI sources
// (loaded once, as one validate run over a folder loads each source once).
func BenchmarkValidateCorpus(b *testing.B) {
	paths, total := corpusDocs(b)
	docs := make([][]byte, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = data
	}
	loader, err := openapi.NewLoader()
	if err != nil {
		b.Fatal(err)
	}
	r, err := runtime.New(runtime.WithLoader(loader))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(total)
	b.ReportAllocs()
	findings := 0
	for b.Loop() {
		findings = 0
		for i, p := range paths {
			doc, diags := arazzo.ValidateBytes(p, docs[i])
			findings += len(diags)
			if doc != nil {
				findings += len(r.Check(b.Context(), doc, runtime.CheckOptions{}))
			}
		}
	}
	b.ReportMetric(float64(len(paths)), "docs/op")
	b.ReportMetric(float64(findings), "findings/op")
}
