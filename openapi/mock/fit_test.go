package mock_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An example that breaks its own schema is mended before it is served: the values the schema
// refuses are generated afresh (without the schema's own example when that breaks it too),
// missing required properties are added, and the values it accepts are kept. The answer can
// then be sent back to an operation that takes the same schema.
func TestMockFitsExamplesToTheirSchema(t *testing.T) {
	t.Parallel()
	srv := serve(t, loadDescription(t, "testdata/offers.yaml"))
	got := send(t, srv, "GET", "/offers", "")
	require.Equal(t, http.StatusOK, got.status, got.body)
	assert.JSONEq(t, `{"data":[{"id":"1","lastTicketingDateTime":"2024-01-01T00:00:00Z","price":"9.50","seats":9,"currency":"str"}]}`, got.body)

	var body struct {
		Data []json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(got.body), &body))
	require.Len(t, body.Data, 1)
	back := send(t, srv, "POST", "/pricing", string(body.Data[0]), "Content-Type: application/json")
	assert.Equal(t, http.StatusOK, back.status, back.body)

	// The generated answer of /pricing keeps no schema example that breaks the schema either.
	assert.JSONEq(t, `{"id":"string","lastTicketingDateTime":"2024-01-01T00:00:00Z","price":"string","seats":9,"currency":"str"}`, back.body)
}
