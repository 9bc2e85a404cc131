package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
)

// apiKey is the key every tool is given; the server wants it as the Basic auth username.
// The password is not checked: the workflow's OpenAPI says it is empty, and Respect 2.77
// refuses an empty password in x-security, so its copy of the workflow sends a placeholder.
const apiKey = "sk_test_bench_4f1c2a"

// exchange is what the server saw of one request.
type exchange struct {
	method  string
	authOK  bool
	bytes   int64
	records int // conversations in the body; -1 when not counted
}

// server implements the two Assembled operations of the workflow on 127.0.0.1. It checks
// Basic auth, reads the whole body and answers 202. In verify mode it also decodes the body
// and counts the records, which warm-up runs use to check that a tool sent everything.
type server struct {
	srv    *http.Server
	ln     net.Listener
	mu     sync.Mutex
	seen   []exchange
	verify bool
}

func startServer() (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{ln: ln}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v0/conversations/bulk", s.handle)
	mux.HandleFunc("PATCH /v0/conversations/bulk", s.handle)
	s.srv = &http.Server{Handler: mux}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *server) URL() string { return "http://" + s.ln.Addr().String() }

func (s *server) Close() error { return s.srv.Close() }

func (s *server) handle(w http.ResponseWriter, r *http.Request) {
	user, _, ok := r.BasicAuth()
	ex := exchange{method: r.Method, authOK: ok && user == apiKey, records: -1}
	s.mu.Lock()
	verify := s.verify
	s.mu.Unlock()
	var err error
	if verify {
		var body struct {
			Conversations []json.RawMessage `json:"conversations"`
		}
		cr := &countingReader{r: r.Body}
		err = json.NewDecoder(cr).Decode(&body)
		_, _ = io.Copy(io.Discard, cr)
		ex.bytes, ex.records = cr.n, len(body.Conversations)
	} else {
		ex.bytes, err = io.Copy(io.Discard, r.Body)
	}
	s.mu.Lock()
	s.seen = append(s.seen, ex)
	s.mu.Unlock()
	switch {
	case !ex.authOK:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"missing or wrong API key"}`)
	case err != nil:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, "{\"error\":%q}", err.Error())
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}

// reset forgets what was seen and sets verify mode for the next run.
func (s *server) reset(verify bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = nil
	s.verify = verify
}

// check says what is wrong with the exchanges of the last run: the workflow must have sent
// one POST and one PATCH, authenticated, and (when counted) with want records each.
func (s *server) check(want int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.seen) != 2 || s.seen[0].method != http.MethodPost || s.seen[1].method != http.MethodPatch {
		var got []string
		for _, e := range s.seen {
			got = append(got, e.method)
		}
		return fmt.Errorf("server saw requests %v, want [POST PATCH]", got)
	}
	for _, e := range s.seen {
		if !e.authOK {
			return fmt.Errorf("%s carried no valid Basic auth", e.method)
		}
		if e.records >= 0 && e.records != want {
			return fmt.Errorf("%s carried %d records, want %d", e.method, e.records, want)
		}
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
