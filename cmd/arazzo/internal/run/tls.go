package run

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
	"github.com/arazzo-runner/arazzo/runtime"
)

// clientCerts reads --client-cert (or ARAZZO_CLIENT_CERT and ARAZZO_CLIENT_KEY, when no flag
// names a certificate for every source) for mutualTLS security schemes. It returns the client
// for sources without their own certificate and puts per-source clients in ro.Clients. Each
// client keeps the transport settings of the streams' client (proxies, trusted roots) and adds
// the certificate.
func clientCerts(opts *Options, doc *arazzo.Document, ro *runtime.RunOptions) (*http.Client, error) {
	base := opts.IO.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	specs := append([]string(nil), opts.ClientCerts...)
	hasDefault := false
	for _, s := range specs {
		if name, _, _ := splitCertSpec(s); name == "" {
			hasDefault = true
		}
	}
	if cert, key := opts.IO.Getenv("ARAZZO_CLIENT_CERT"), opts.IO.Getenv("ARAZZO_CLIENT_KEY"); !hasDefault && (cert != "" || key != "") {
		if cert == "" || key == "" {
			return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("ARAZZO_CLIENT_CERT and ARAZZO_CLIENT_KEY go together: set both or neither")}
		}
		specs = append(specs, cert+","+key)
	}
	client := base
	for _, s := range specs {
		name, certFile, keyFile := splitCertSpec(s)
		if certFile == "" || keyFile == "" {
			return nil, cmdutil.FlagErrorf("--client-cert %q: use [SOURCE=]CERT,KEY (two PEM files)", s)
		}
		if name != "" && doc.SourceDescription(name) == nil {
			return nil, cmdutil.FlagErrorf("--client-cert %s=…: the document has no source description %q", name, name)
		}
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, &cmdutil.CannotStartError{Err: fmt.Errorf("--client-cert %s,%s: %w", certFile, keyFile, unwrapPathError(err))}
		}
		c, err := withCertificate(base, cert)
		if err != nil {
			return nil, err
		}
		if name == "" {
			client = c
			continue
		}
		if ro.Clients == nil {
			ro.Clients = map[string]*http.Client{}
		}
		ro.Clients[name] = c
	}
	return client, nil
}

// splitCertSpec reads [SOURCE=]CERT,KEY.
func splitCertSpec(s string) (source, cert, key string) {
	files := s
	if name, rest, ok := strings.Cut(s, "="); ok {
		source, files = name, rest
	}
	cert, key, _ = strings.Cut(files, ",")
	return source, strings.TrimSpace(cert), strings.TrimSpace(key)
}

// withCertificate returns a copy of base whose transport presents cert.
func withCertificate(base *http.Client, cert tls.Certificate) (*http.Client, error) {
	tr, cfg, err := cmdutil.TLSTransport(base, "--client-cert")
	if err != nil {
		return nil, err
	}
	cfg.Certificates = []tls.Certificate{cert}
	tr.TLSClientConfig = cfg
	c := *base
	c.Transport = tr
	return &c, nil
}
