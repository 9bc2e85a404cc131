package cmdutil

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
)

// certHint adds what to do to an error about a certificate the client does not trust.
func certHint(err error) error {
	var ua x509.UnknownAuthorityError
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ua) || errors.As(err, &ve) {
		return fmt.Errorf("%w (if you trust this server, pass its CA certificate with --ca-cert FILE)", err)
	}
	return err
}

// WithCACert returns a copy of s whose HTTP client also trusts the certificates of the PEM file
// (--ca-cert), besides the system's roots: for servers and source descriptions behind a private
// or self-signed CA. An empty file returns s unchanged. The copy keeps the client's transport
// settings (proxies, client certificates).
func WithCACert(s *IOStreams, file string) (*IOStreams, error) {
	if file == "" {
		return s, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &CannotStartError{Err: fmt.Errorf("--ca-cert %s: no such file: check the path", file)}
		}
		return nil, &CannotStartError{Err: fmt.Errorf("--ca-cert %s: %w", file, err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	base := s.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	tr, cfg, err := TLSTransport(base, "--ca-cert")
	if err != nil {
		return nil, err
	}
	if cfg.RootCAs != nil {
		pool = cfg.RootCAs.Clone()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, &CannotStartError{Err: fmt.Errorf("--ca-cert %s: no PEM certificate found: give a file of \"-----BEGIN CERTIFICATE-----\" blocks", file)}
	}
	cfg.RootCAs = pool
	tr.TLSClientConfig = cfg
	c := *base
	c.Transport = tr
	out := *s
	out.HTTPClient = &c
	return &out, nil
}

// TLSTransport returns a copy of the client's transport and of its TLS configuration (TLS 1.2 at
// least when it had none), ready to change; flag names the option in the error for a transport
// of another kind.
func TLSTransport(base *http.Client, flag string) (*http.Transport, *tls.Config, error) {
	var tr *http.Transport
	switch t := base.Transport.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		tr = t.Clone()
	default:
		return nil, nil, fmt.Errorf("%s: the HTTP client's transport %T cannot take TLS settings", flag, t)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if tr.TLSClientConfig != nil {
		cfg = tr.TLSClientConfig.Clone()
	}
	return tr, cfg, nil
}
