package runtime_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// A replacement changes the request body, never the input it was built from: bodies built from
// inputs are shared, not copied, unless a replacement needs a copy.
func TestReplacementsLeaveInputsAlone(t *testing.T) {
	t.Parallel()
	var bodies []string
	url := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		w.WriteHeader(http.StatusCreated)
	})
	doc, err := arazzo.ParseFile("testdata/copy/doc.arazzo.yaml")
	require.NoError(t, err)
	r, err := runtime.New()
	require.NoError(t, err)
	in := map[string]any{"thing": map[string]any{"name": "original", "size": 2}}
	res, err := r.Run(t.Context(), doc, runtime.RunOptions{Inputs: in, Servers: map[string]string{"api": url}})
	require.NoError(t, err)
	require.True(t, res.Success, res.Workflows[0].Error)
	require.Len(t, bodies, 2)
	assert.JSONEq(t, `{"name":"changed","size":2}`, bodies[0])
	assert.JSONEq(t, `{"thing":{"name":"original","size":2}}`, bodies[1])
	assert.Equal(t, "original", in["thing"].(map[string]any)["name"])
}
