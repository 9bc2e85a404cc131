package runtime

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/arazzo-runner/arazzo/openapi/mock"
)

// startMocks serves an in-process mock of every loaded source on a loopback port and points the
// source's requests at it, except for sources the user pointed elsewhere with --server. The servers stop when the plan closes.
func startMocks(p *plan) error {
	for _, sd := range p.doc.SourceDescriptions {
		src := p.sources[sd.Name]
		if src == nil || src.base != "" {
			continue // a source given --server keeps it: the user mocks only the rest
		}
		h, err := mock.New(src.desc)
		if err != nil {
			return fmt.Errorf("mock of source %q: %w", sd.Name, err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("mock of source %q: %w", sd.Name, err)
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }() // returns ErrServerClosed at Shutdown
		p.closers = append(p.closers, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = srv.Shutdown(ctx)
		})
		src.base = "http://" + ln.Addr().String() + src.desc.BasePath()
		src.mocked = true
	}
	return nil
}
