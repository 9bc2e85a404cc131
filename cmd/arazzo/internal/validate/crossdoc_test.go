package validate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/root"
)

// A workflow named in another Arazzo document must exist there (GEN-07); the ones that do are
// not reported.
func TestValidateWorkflowsOfOtherDocuments(t *testing.T) {
	t.Parallel()
	io, out, errOut := cmdutil.TestStreams("", nil)
	code := root.Main(t.Context(), []string{"validate", "testdata/crossdoc/main.arazzo.yaml"}, io)
	assert.Equal(t, 1, code, errOut.String())
	assert.Equal(t, "testdata/crossdoc/main.arazzo.yaml:11:9: error: workflow \"chld\" is not in source description \"shared\": check the id [unknown-workflow]\n", out.String())
}
