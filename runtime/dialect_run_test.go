package runtime_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// Documents in the wild write `Bearer $inputs.token` and JavaScript-like jsonpath conditions.
// A run accepts both with a warning naming the rule; Strict refuses them.
func TestRunToleratesWildDialect(t *testing.T) {
	t.Parallel()
	var gotAuth []string
	url := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status": "READY", "items": [{"id": 1}]}`))
	})
	doc, err := arazzo.ParseFile("testdata/dialect/doc.arazzo.yaml")
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	opts := runtime.RunOptions{Inputs: map[string]any{"token": "t0k"}, Servers: map[string]string{"api": url}}

	res, err := r.Run(t.Context(), doc, opts)
	require.NoError(t, err)
	require.True(t, res.Success, res.Workflows[0].Error)
	assert.Equal(t, []string{"Bearer t0k"}, gotAuth)
	warnings := strings.Join(res.Warnings, "\n")
	assert.Contains(t, warnings, "[bare-embedded-expression]")
	assert.Contains(t, warnings, "[jsonpath-js-condition]")

	opts.Strict = true
	res, err = r.Run(t.Context(), doc, opts)
	require.NoError(t, err)
	assert.False(t, res.Success)
	assert.Contains(t, res.Workflows[0].Error, "without braces")
	assert.Len(t, gotAuth, 1, "strict mode sends nothing it would have to guess")
}
