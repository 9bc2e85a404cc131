package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// Value pools for generated records, shaped like workflows/assembled/arazzo/inputs.example.json.
var (
	platforms = []string{"zendesk", "salesforce", "intercom", "freshdesk", "kustomer"}
	channels  = []string{"phone", "email", "chat", "sms", "social", "back_office"}
	queues    = []string{"billing", "onboarding", "technical", "returns", "enterprise", "general"}
	statuses  = []string{"open", "pending", "on_hold"}
	priority  = []string{"low", "normal", "high", "urgent"}
	subjects  = []string{
		"Refund for a double charge", "Cannot invite teammates", "Password reset link expired",
		"Invoice shows the wrong VAT number", "Export to CSV times out", "Upgrade to the annual plan",
		"Shipment arrived damaged", "Two-factor code never arrives", "API rate limit questions",
		"Cancel my subscription",
	}
	updStatus = []string{"solved", "pending", "closed"}
)

// writeInputs writes the inputs of the workflow for n records to dir and returns the path
// and the file's size. The generator is seeded, so every run sends the same bytes.
func writeInputs(dir string, n int) (string, int64, error) {
	rng := rand.New(rand.NewPCG(uint64(n), 2026))
	start := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	conv := make([]map[string]any, n)
	upd := make([]map[string]any, n)
	for i := range n {
		id := fmt.Sprintf("zd-%d", 100000+i)
		began := start.Add(time.Duration(i*37+rng.IntN(600)) * time.Second)
		c := map[string]any{
			"external_id":       id,
			"platform":          platforms[rng.IntN(len(platforms))],
			"channel":           channels[rng.IntN(len(channels))],
			"queue_id":          queues[rng.IntN(len(queues))],
			"customer_id":       fmt.Sprintf("cust-%d", 1000+rng.IntN(90000)),
			"subject":           subjects[rng.IntN(len(subjects))],
			"status":            statuses[rng.IntN(len(statuses))],
			"started_at":        began.Format(time.RFC3339),
			"wait_time_seconds": rng.IntN(3600),
			"metadata":          map[string]any{"priority": priority[rng.IntN(len(priority))], "tier": rng.IntN(4) + 1},
		}
		if rng.IntN(3) > 0 {
			c["assigned_agent_id"] = fmt.Sprintf("agent-%d", 100+rng.IntN(400))
		}
		if rng.IntN(2) == 0 {
			handle := 60 + rng.IntN(3000)
			c["ended_at"] = began.Add(time.Duration(handle) * time.Second).Format(time.RFC3339)
			c["handle_time_seconds"] = handle
		}
		conv[i] = c
		u := map[string]any{
			"external_id":         id,
			"status":              updStatus[rng.IntN(len(updStatus))],
			"resolved":            rng.IntN(4) > 0,
			"handle_time_seconds": 60 + rng.IntN(3000),
		}
		if rng.IntN(2) == 0 {
			u["csat_score"] = 1 + rng.IntN(5)
		}
		upd[i] = u
	}
	data, err := json.Marshal(map[string]any{"apiKey": apiKey, "conversations": conv, "updates": upd})
	if err != nil {
		return "", 0, err
	}
	path := filepath.Join(dir, fmt.Sprintf("inputs-%d.json", n))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", 0, err
	}
	return path, int64(len(data)), nil
}
