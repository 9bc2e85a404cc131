// Command raw is the floor of the benchmark: a plain net/http program that sends the two
// requests of the bundled Assembled workflow (POST then PATCH /v0/conversations/bulk with
// HTTP Basic auth) and checks that each is answered 202. It does what any hand-written
// client must: decode the inputs file into Go values and encode each request body from them.
//
// Usage: raw -inputs FILE -server URL
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
)

type inputs struct {
	APIKey        string `json:"apiKey"`
	Conversations []any  `json:"conversations"`
	Updates       []any  `json:"updates"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "raw:", err)
		os.Exit(1)
	}
}

func run() error {
	inputsFile := flag.String("inputs", "", "JSON `FILE` with apiKey, conversations and updates")
	server := flag.String("server", "", "base `URL` of the API")
	flag.Parse()
	if *inputsFile == "" || *server == "" {
		return fmt.Errorf("usage: raw -inputs FILE -server URL")
	}
	f, err := os.Open(*inputsFile)
	if err != nil {
		return err
	}
	var in inputs
	err = json.NewDecoder(f).Decode(&in)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *inputsFile, err)
	}
	url := *server + "/v0/conversations/bulk"
	if err := send(http.MethodPost, url, in.APIKey, in.Conversations); err != nil {
		return err
	}
	return send(http.MethodPatch, url, in.APIKey, in.Updates)
}

func send(method, url, apiKey string, records []any) error {
	body, err := json.Marshal(map[string]any{"conversations": records})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.SetBasicAuth(apiKey, "")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("%s %s: status %d, want 202", method, url, resp.StatusCode)
	}
	return nil
}
