package root_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A large inputs file (4,000 conversations, about 1 MB of body) reaches the server whole and
// decoded the same, whether the body is streamed (no report shows it) or built for --har, whose
// file then holds it.
func TestMainRunLargeInputs(t *testing.T) {
	t.Parallel()
	const n = 4000
	conversations := make([]any, n)
	for i := range conversations {
		conversations[i] = map[string]any{
			"external_id": fmt.Sprintf("zd-%d", i), "platform": "zendesk", "channel": "email",
			"queue_id": "billing", "customer_id": fmt.Sprintf("cust-%d", i), "subject": "Refund <double> charge & more",
			"status": "open", "started_at": "2026-11-02T09:15:00Z", "wait_time_seconds": i, "metadata": map[string]any{"priority": "high"},
		}
	}
	dir := t.TempDir()
	inputs := filepath.Join(dir, "inputs.json")
	updates := []any{map[string]any{"external_id": "zd-1", "status": "solved", "resolved": true}}
	data, err := json.Marshal(map[string]any{"apiKey": "sk_test", "conversations": conversations, "updates": updates})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(inputs, data, 0o600))

	var mu sync.Mutex
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		assert.NoError(t, err)
		assert.Equal(t, int64(len(b)), r.ContentLength)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)

	for _, har := range []bool{false, true} {
		mu.Lock()
		bodies = nil
		mu.Unlock()
		args := []string{"run", bundled, "--inputs", inputs, "-s", srv.URL}
		harFile := filepath.Join(dir, "run.har")
		if har {
			args = append(args, "--har", harFile)
		}
		code, stdout, stderr := runMain(t, nil, args...)
		require.Equal(t, 0, code, "har=%v: %s%s", har, stdout, stderr)
		mu.Lock()
		require.Len(t, bodies, 2, "har=%v", har)
		var first struct {
			Conversations []map[string]any `json:"conversations"`
		}
		require.NoError(t, json.Unmarshal(bodies[0], &first), "har=%v", har)
		require.Len(t, first.Conversations, n)
		assert.Equal(t, "zd-3999", first.Conversations[n-1]["external_id"])
		firstLen := len(bodies[0])
		mu.Unlock()
		if har {
			h, err := os.ReadFile(harFile)
			require.NoError(t, err)
			var doc struct {
				Log struct {
					Entries []struct {
						Request struct {
							PostData struct {
								Text string `json:"text"`
							} `json:"postData"`
						} `json:"request"`
					} `json:"entries"`
				} `json:"log"`
			}
			require.NoError(t, json.Unmarshal(h, &doc))
			require.Len(t, doc.Log.Entries, 2)
			assert.Len(t, doc.Log.Entries[0].Request.PostData.Text, firstLen, "the HAR file holds the whole body")
		}
	}
}
