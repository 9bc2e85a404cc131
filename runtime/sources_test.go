package runtime_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// Issue 9: a document read over http(s) cannot make the runner read local files, neither by a
// file:// source url nor by a `$self` that makes relative urls resolve to local paths. Nothing
// is fetched before the refusal.
func TestIssue9RemoteDocumentLocalFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, self, url, wantErr string
	}{
		{"file url", "", "file:///etc/passwd", `source description "api": source url not allowed: file:///etc/passwd: a document read over http(s) cannot name a local file`},
		{"file $self", "\n$self: file:///etc/", "passwd", `source description "api": $self: source url not allowed: file:///etc/: a document read over http(s) cannot name a local file`},
		{"ftp url", "", "ftp://127.0.0.1/api.yaml", "only paths and http(s) URLs are loaded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := arazzo.Parse("https://127.0.0.1:1/flows/flow.arazzo.yaml", []byte(`arazzo: 1.1.0`+tc.self+`
info: {title: t, version: "1"}
sourceDescriptions: [{name: api, url: "`+tc.url+`", type: openapi}]
workflows:
  - workflowId: w
    steps: [{stepId: s, operationId: op}]
`))
			require.NoError(t, err)
			r, err := runtime.New()
			require.NoError(t, err)
			for _, dry := range []bool{false, true} {
				res, err := r.Run(t.Context(), doc, runtime.RunOptions{DryRun: dry})
				assert.Nil(t, res)
				var se *runtime.SetupError
				require.ErrorAs(t, err, &se)
				assert.ErrorContains(t, err, tc.wantErr)
			}
			diags := r.Check(t.Context(), doc, runtime.CheckOptions{})
			require.NotEmpty(t, diags)
			assert.Contains(t, diags.Error(), tc.wantErr)
		})
	}
}
