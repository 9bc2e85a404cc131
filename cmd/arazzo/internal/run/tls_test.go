package run_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/root"
)

// clientCert writes a self-signed client certificate and its key as PEM files.
func clientCert(t *testing.T) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "arazzo test client"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err = x509.ParseCertificate(der)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	return certFile, keyFile, cert
}

// A server that requires a client certificate accepts the requests once --client-cert (or
// ARAZZO_CLIENT_CERT/ARAZZO_CLIENT_KEY) gives one, for every source or for the named one.
func TestRunClientCert(t *testing.T) {
	t.Parallel()
	certFile, keyFile, cert := clientCert(t)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"item":"i-1"}`))
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
	}{
		{"no certificate", nil, nil, 1},
		{"for every source", nil, []string{"--client-cert", certFile + "," + keyFile}, 0},
		{"for the source", nil, []string{"--client-cert", "shop=" + certFile + "," + keyFile}, 0},
		{"from the environment", map[string]string{"ARAZZO_CLIENT_CERT": certFile, "ARAZZO_CLIENT_KEY": keyFile}, nil, 0},
		{"unknown source", nil, []string{"--client-cert", "nope=" + certFile + "," + keyFile}, 2},
		{"one file", nil, []string{"--client-cert", certFile}, 2},
		{"missing file", nil, []string{"--client-cert", certFile + ",nope.pem"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			streams, out, errOut := cmdutil.TestStreams("", tc.env)
			streams.HTTPClient = srv.Client() // trusts the test server's certificate
			args := append([]string{"run", "../root/testdata/shop/auth.arazzo.yaml", "-w", "own", "-s", srv.URL + "/api"}, tc.args...)
			code := root.Main(t.Context(), args, streams)
			assert.Equal(t, tc.code, code, "%s\n%s", out, errOut)
		})
	}
}

// Issue 9: a server whose certificate the system does not trust fails the step with a hint;
// --ca-cert with its certificate as PEM makes the run succeed. A bad bundle cannot start.
func TestRunCACert(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"item":"i-1"}`))
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("hello"), 0o600))

	tests := []struct {
		name    string
		args    []string
		code    int
		wantOut string
		wantErr string
	}{
		{"untrusted", nil, 1, "certificate signed by unknown authority (if you trust this server, pass its CA certificate with --ca-cert FILE)", ""},
		{"trusted with --ca-cert", []string{"--ca-cert", ca}, 0, "", ""},
		{"missing bundle", []string{"--ca-cert", filepath.Join(dir, "nope.pem")}, 2, "", "--ca-cert " + filepath.Join(dir, "nope.pem") + ": no such file: check the path"},
		{"not PEM", []string{"--ca-cert", notPEM}, 2, "", "no PEM certificate found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			streams, out, errOut := cmdutil.TestStreams("", nil)
			args := append([]string{"run", "../root/testdata/shop/auth.arazzo.yaml", "-w", "own", "-s", srv.URL + "/api"}, tc.args...)
			code := root.Main(t.Context(), args, streams)
			assert.Equal(t, tc.code, code, "%s\n%s", out, errOut)
			assert.Contains(t, out.String(), tc.wantOut)
			assert.Contains(t, errOut.String(), tc.wantErr)
		})
	}
}
