package openapi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/openapi"
)

func TestServerResolve(t *testing.T) {
	t.Parallel()
	srv := openapi.Server{
		URL: "{scheme}://{region}.example.com/{version}",
		Variables: map[string]openapi.ServerVariable{
			"scheme":  {Default: "https", Enum: []string{"https", "http"}},
			"region":  {Default: "eu"},
			"version": {},
		},
	}
	tests := []struct {
		name    string
		server  openapi.Server
		vars    map[string]string
		want    string
		wantErr string
	}{
		{name: "no variables", server: openapi.Server{URL: "https://api.example.com/v1"}, want: "https://api.example.com/v1"},
		{name: "defaults and given", server: srv, vars: map[string]string{"version": "v2"}, want: "https://eu.example.com/v2"},
		{name: "given wins", server: srv, vars: map[string]string{"version": "v2", "region": "us", "scheme": "http", "unused": "x"}, want: "http://us.example.com/v2"},
		{name: "no default no value", server: srv, wantErr: `"version" has no default`},
		{name: "outside enum", server: srv, vars: map[string]string{"version": "v1", "scheme": "ftp"}, wantErr: `"scheme": value "ftp" is not one of https, http`},
		{name: "undeclared", server: openapi.Server{URL: "https://{host}/v1"}, wantErr: `"host" is not declared`},
		{name: "undeclared but given", server: openapi.Server{URL: "https://{host}/v1"}, vars: map[string]string{"host": "h"}, want: "https://h/v1"},
		{name: "unbalanced", server: openapi.Server{URL: "https://{host/v1"}, wantErr: "unbalanced"},
		{name: "relative", server: openapi.Server{URL: "/v1"}, want: "/v1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.server.Resolve(tc.vars)
			if tc.wantErr != "" {
				require.ErrorIs(t, err, openapi.ErrServerVariable)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
