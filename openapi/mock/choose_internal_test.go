package mock

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestChooseResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		keys       []string
		wantKey    string
		wantStatus int
	}{
		{name: "lowest exact 2xx", keys: []string{"201", "202", "2XX", "400"}, wantKey: "201", wantStatus: 201},
		{name: "range", keys: []string{"2XX", "404", "default"}, wantKey: "2XX", wantStatus: 200},
		{name: "first documented", keys: []string{"302", "404", "default"}, wantKey: "302", wantStatus: 302},
		{name: "range of errors", keys: []string{"4XX"}, wantKey: "4XX", wantStatus: 400},
		{name: "default only", keys: []string{"default"}, wantKey: "default", wantStatus: 200},
		{name: "none", keys: nil, wantKey: "", wantStatus: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			key, status := chooseResponse(tc.keys)
			assert.Equal(t, tc.wantKey, key)
			assert.Equal(t, tc.wantStatus, status)
		})
	}
}
