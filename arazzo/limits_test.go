package arazzo_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/arazzo"
)

// aliasBomb returns a document whose lists each repeat the one before fan times, levels deep
// ("billion laughs"), used where value says.
func aliasBomb(levels, fan int, use string) string {
	var b strings.Builder
	b.WriteString("arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: a, url: a.yaml}]\nx-l0: &l0 [lol]\n")
	for i := 1; i <= levels; i++ {
		items := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d,", i-1), fan), ",")
		fmt.Fprintf(&b, "x-l%d: &l%d [%s]\n", i, i, items)
	}
	b.WriteString(strings.ReplaceAll(use, "LAST", fmt.Sprintf("*l%d", levels)))
	return b.String()
}

// fanOut returns a small document whose workflows, steps and parameters are lists of aliases:
// expanded, 100 x 300 x 300 parameters that the parser (not yaml.v3) would walk one by one.
func fanOut() string {
	list := func(alias string, n int) string {
		return "[" + strings.TrimSuffix(strings.Repeat(alias+",", n), ",") + "]"
	}
	return "arazzo: 1.0.1\ninfo: {title: t, version: '1'}\nsourceDescriptions: [{name: a, url: a.yaml}]\n" +
		"x-p: &p {name: p, in: query, value: v}\nx-ps: &ps " + list("*p", 300) + "\n" +
		"x-s: &s {stepId: s, operationId: o, parameters: *ps}\nx-ss: &ss " + list("*s", 300) + "\n" +
		"x-w: &w {workflowId: w, steps: *ss}\nworkflows: " + list("*w", 100) + "\n"
}

// Issue 9: documents and inputs files that would take the parser minutes or all memory are
// refused at once, with a positioned finding that says what to change.
func TestIssue9DocumentLimits(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name    string
		data    string
		wantErr string // empty: parses
	}{
		{"alias bomb in a value", aliasBomb(9, 10, "workflows: [{workflowId: w, steps: [{stepId: s, operationId: o, parameters: [{name: p, in: query, value: LAST}]}]}]\n"),
			"aliases expand the document to more than"},
		{"alias bomb in an extension", aliasBomb(9, 10, "workflows: [{workflowId: w, x-bomb: LAST, steps: [{stepId: s, operationId: o}]}]\n"),
			"aliases expand the document to more than"},
		{"aliases fanning out steps", fanOut(), "aliases expand the document to more than"},
		{"deep lists", "arazzo: 1.0.1\nx-deep: " + deep(9000) + "\n", "document nests deeper than 512 levels: flatten it"},
		{"deep mappings", "arazzo: 1.0.1\nx-deep: " + strings.Repeat("{a: ", 600) + "1" + strings.Repeat("}", 600) + "\n", "nests deeper than 512"},
		{"deep once expanded", "arazzo: 1.0.1\nx-a: &a " + deep(300) + "\nx-b: " + strings.Repeat("[", 300) + "*a" + strings.Repeat("]", 300) + "\n",
			"nests deeper than 512 levels once aliases are expanded"},
		{"alias inside what it names", "arazzo: 1.0.1\nx-loop: &a [1, *a]\n", "alias *a is inside the node it names: remove the cycle"},
		{"a few aliases are fine", aliasBomb(3, 3, "workflows: [{workflowId: w, steps: [{stepId: s, operationId: o, parameters: [{name: p, in: query, value: LAST}]}]}]\n"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			doc, err := arazzo.Parse("doc.yaml", []byte(tc.data))
			_, decodeErr := arazzo.DecodeValue("inputs.yaml", []byte(tc.data))
			assert.Less(t, time.Since(start), time.Second)
			if tc.wantErr == "" {
				require.NoError(t, err)
				require.NotNil(t, doc)
				require.NoError(t, decodeErr)
				return
			}
			var ds arazzo.Diagnostics
			require.True(t, errors.As(err, &ds), "Parse error %v", err)
			require.Len(t, ds, 1)
			assert.Equal(t, arazzo.RuleDocumentTooComplex, ds[0].Rule)
			assert.Greater(t, ds[0].Line, 1)
			assert.Contains(t, ds[0].Message, tc.wantErr)
			var d arazzo.Diagnostic
			require.True(t, errors.As(decodeErr, &d), "DecodeValue error %v", decodeErr)
			assert.Equal(t, arazzo.RuleDocumentTooComplex, d.Rule)
			assert.Contains(t, d.Message, tc.wantErr)
		})
	}
}

// Deep JSON inputs take the same limit as YAML ones, not encoding/json's own (10,000).
func TestIssue9DecodeValueDeepJSON(t *testing.T) {
	t.Parallel()
	_, err := arazzo.DecodeValue("inputs.json", []byte(`{"a":`+strings.Repeat("[", 600)+strings.Repeat("]", 600)+`}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nests deeper than 512 levels")
	v, err := arazzo.DecodeValue("inputs.json", []byte(`{"a":`+strings.Repeat("[", 100)+strings.Repeat("]", 100)+`}`))
	require.NoError(t, err)
	assert.Contains(t, v, "a")
}
