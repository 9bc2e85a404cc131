package list_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/list"
)

func TestNewCmdList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    *list.Options
		wantErr string
	}{
		{name: "defaults", args: []string{"doc.yaml"}, want: &list.Options{File: "doc.yaml", Output: "text"}},
		{name: "json", args: []string{"doc.yaml", "-o", "json"}, want: &list.Options{File: "doc.yaml", Output: "json"}},
		{name: "bad output", args: []string{"doc.yaml", "-o", "xml"}, wantErr: `-o "xml": use text or json`},
		{name: "no file", args: nil, wantErr: "list needs the Arazzo document (a path, an http(s) URL or -)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			io, _, _ := cmdutil.TestStreams("", nil)
			var got *list.Options
			cmd := list.NewCmdList(io, func(_ context.Context, o *list.Options) error { got = o; return nil })
			cmd.SetArgs(append([]string{}, tc.args...)) // never nil: cobra would read os.Args
			cmd.SetOut(io.Out)
			cmd.SetErr(io.ErrOut)
			err := cmd.Execute()
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			tc.want.IO = io
			assert.Equal(t, tc.want, got)
		})
	}
}

const doc = `arazzo: 1.0.1
info: {title: Two, version: "1"}
sourceDescriptions: [{name: api, url: api.yaml, type: openapi}]
components:
  inputs:
    creds: {type: object, required: [token], properties: {token: {type: string}, tags: {type: array, items: {type: string}}}}
workflows:
  - workflowId: first
    inputs: {$ref: '#/components/inputs/creds'}
    steps:
      - {stepId: a, operationId: getA}
      - {stepId: b, operationPath: '{$sourceDescriptions.api.url}#/paths/~1b/get'}
    outputs: {id: $steps.a.outputs.id}
  - workflowId: second
    dependsOn: [first]
    steps:
      - {stepId: call, workflowId: first}
`

func TestListRun(t *testing.T) {
	t.Parallel()
	io, out, _ := cmdutil.TestStreams(doc, nil)
	cmd := list.NewCmdList(io, nil)
	cmd.SetArgs([]string{"-"})
	require.NoError(t, cmd.ExecuteContext(t.Context()))
	want := `first
  inputs:
    token  string           required
    tags   array of string  optional
  steps:
    1.  a  operationId getA
    2.  b  operationPath {$sourceDescriptions.api.url}#/paths/~1b/get
  outputs:
    id  $steps.a.outputs.id

second
  depends on: first
  steps:
    1.  call  workflow first
`
	assert.Equal(t, want, out.String())

	io, out, _ = cmdutil.TestStreams(doc, nil)
	cmd = list.NewCmdList(io, nil)
	cmd.SetArgs([]string{"-", "-o", "json"})
	require.NoError(t, cmd.ExecuteContext(t.Context()))
	var got list.Listing
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	assert.Equal(t, "Two", got.Title)
	require.Len(t, got.Workflows, 2)
	assert.Equal(t, []list.Input{{Name: "token", Type: "string", Required: true}, {Name: "tags", Type: "array of string"}}, got.Workflows[0].Inputs)
	assert.Equal(t, []list.Step{{StepID: "call", WorkflowID: "first"}}, got.Workflows[1].Steps)
	assert.Equal(t, []list.Input{}, got.Workflows[1].Inputs)
}
