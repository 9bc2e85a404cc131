package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// fuzzDocument is a document over testdata/spec/api.openapi.yaml whose parameter values, body
// template and payload replacement come from the fuzzer, so every serialisation style of that
// description (path label and matrix, query form, pipes and deepObject, headers, cookies, JSON,
// form, multipart, text and XML bodies) sees arbitrary values and expressions.
func fuzzDocument(pathValue, queryValue, headerValue, body, target, replacement string) map[string]any {
	param := func(name, in string, value any) map[string]any {
		return map[string]any{"name": name, "in": in, "value": value}
	}
	step := func(id, op string, params []any, body map[string]any) map[string]any {
		s := map[string]any{"stepId": id, "operationId": op, "successCriteria": []any{map[string]any{"condition": "$statusCode == 200"}}}
		if params != nil {
			s["parameters"] = params
		}
		if body != nil {
			s["requestBody"] = body
		}
		return s
	}
	replaced := map[string]any{"payload": body, "replacements": []any{map[string]any{"target": target, "value": replacement}}}
	return map[string]any{
		"arazzo":             "1.0.1",
		"info":               map[string]any{"title": "fuzz", "version": "1"},
		"sourceDescriptions": []any{map[string]any{"name": "api", "url": "api.openapi.yaml", "type": "openapi"}},
		"workflows": []any{map[string]any{
			"workflowId": "build",
			"inputs":     map[string]any{"type": "object"},
			"steps": []any{
				step("get", "getItem", []any{param("id", "path", pathValue)}, nil),
				step("list", "listItems", []any{
					param("status", "query", queryValue), param("tags", "query", "$inputs.tags"),
					param("csv", "query", "$inputs.tags"), param("pipes", "query", "$inputs.tags"),
					param("filter", "query", "$inputs.obj"), param("X-Trace", "header", headerValue),
					param("X-List", "header", "$inputs.tags"), param("session", "cookie", pathValue),
				}, nil),
				step("label", "labelItems", []any{param("ids", "path", "$inputs.tags")}, nil),
				step("matrix", "matrixItems", []any{param("ids", "path", "$inputs.obj")}, nil),
				step("create", "createItem", nil, replaced),
				step("form", "postForm", nil, map[string]any{"payload": "$inputs.obj"}),
				step("multipart", "postMultipart", nil, map[string]any{"payload": map[string]any{"a": body, "b": "$inputs.tags"}}),
				step("text", "postText", nil, map[string]any{"payload": body, "contentType": headerValue}),
				step("xml", "postXML", nil, replaced),
				step("again", "getItem", []any{param("id", "path", "$steps.create.outputs.id")}, nil),
			},
			"outputs": map[string]any{"q": queryValue},
		}},
	}
}

// FuzzBuildRequest runs a document whose parameter values, body and inputs are fuzzed through
// Run with DryRun: building requests must never panic or hang, and every failure must be an
// error value the command can classify (a SetupError before the run, a step error in the
// Result after).
func FuzzBuildRequest(f *testing.F) {
	f.Add([]byte(`{"tags":["a","b"],"obj":{"k":"v","n":1}}`), "7", "available", "trace-1", `{"name":"{$inputs.obj.k}"}`, "/name", "x")
	f.Add([]byte(`{"tags":[],"obj":{}}`), "$inputs.tags", "$inputs.obj", "$inputs.missing", "$inputs.obj", "/k", "$inputs.tags")
	f.Add([]byte(`{"tags":[1,null,{"a":[]}],"obj":[1,2]}`), "a/b?c#d", "{$inputs.tags}", "line\r\nbreak", "<a>{$inputs.tags}</a>", "/a", "$statusCode")
	f.Add([]byte(`{"obj":"not an object"}`), "$steps.get.outputs.x", "$response.body#/x", "", "", "$.a[0]", "")
	f.Add([]byte(`[]`), "$", "{$", "$inputs.", "{$inputs.tags#/0}", "#/~2", "$inputs.obj#/k")
	for _, path := range []string{"../examples/pets/pets.arazzo.inputs.json", "../workflows/assembled/arazzo/inputs.example.json"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data, "1", "a", "b", "{$inputs.obj}", "/x", "y")
		}
	}
	r, err := runtime.New()
	if err != nil {
		f.Fatal(err)
	}
	file := filepath.Join("testdata", "spec", "fuzz.arazzo.json")
	f.Fuzz(func(t *testing.T, inputs []byte, pathValue, queryValue, headerValue, body, target, replacement string) {
		data, err := json.Marshal(fuzzDocument(pathValue, queryValue, headerValue, body, target, replacement))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := arazzo.Parse(file, data)
		if err != nil {
			return // a value that makes the document invalid is the parser's business
		}
		var in map[string]any
		_ = json.Unmarshal(inputs, &in)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := r.Run(ctx, doc, runtime.RunOptions{Inputs: in, DryRun: true, Servers: map[string]string{"": "http://127.0.0.1:9"}})
		if ctx.Err() != nil {
			t.Fatalf("a dry run took longer than 10s")
		}
		if err != nil {
			var se *runtime.SetupError
			if res != nil || !errors.As(err, &se) {
				t.Fatalf("Run = %v, %v (%T): want a nil Result and a *SetupError", res, err, err)
			}
			return
		}
		if res == nil {
			t.Fatal("Run returned neither a Result nor an error")
		}
		for _, wf := range res.Workflows {
			for _, s := range wf.Steps {
				if !s.Success && s.Error == "" {
					t.Fatalf("step %q failed without saying why", s.StepID)
				}
			}
		}
	})
}

// Found while writing FuzzBuildRequest (issue 9): an object in an exploded matrix path parameter
// is one ;key=value pair per member (OpenAPI "Style Examples"), not ;name=key=value.
func TestIssue9MatrixExplodeObject(t *testing.T) {
	t.Parallel()
	data, err := json.Marshal(fuzzDocument("1", "a", "b", "", "/x", "y"))
	require.NoError(t, err)
	doc, err := arazzo.Parse(filepath.Join("testdata", "spec", "fuzz.arazzo.json"), data)
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{DryRun: true, Servers: map[string]string{"": "http://127.0.0.1:9"},
		Inputs: map[string]any{"tags": []any{"a"}, "obj": map[string]any{"R": 100, "G": "2 0"}}})
	require.NoError(t, err)
	var urls []string
	for _, s := range res.Workflows[0].Steps {
		urls = append(urls, s.URL)
	}
	assert.Contains(t, urls, "http://127.0.0.1:9/matrix/;G=2%200;R=100")
}
