// Package list implements `arazzo list`: the workflows of a document with their inputs, steps
// and outputs, without loading a source description or sending a request.
package list

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/cmd/arazzo/internal/cmdutil"
)

// Output formats of -o.
const (
	OutputText = "text"
	OutputJSON = "json"
)

// Options are the flag values of `arazzo list`.
type Options struct {
	IO     *cmdutil.IOStreams
	File   string
	Output string
}

// NewCmdList returns `arazzo list`. runF replaces the action in tests of flag parsing.
func NewCmdList(io *cmdutil.IOStreams, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "list FILE",
		Short: "List the workflows of an Arazzo document: inputs, steps and outputs",
		Long: `List the workflows of an Arazzo document: for each, its inputs (with their type and
whether they are required), its steps and what they call, and its outputs.

FILE is a path, an http(s) URL, or - for standard input. Nothing is sent and the source
descriptions are not loaded.`,
		Example: `  arazzo list workflows/assembled/arazzo/assembled-ingest-conversations-workflow.yml
  arazzo list flow.yaml -o json | jq '.workflows[].workflowId'`,
		Args: cmdutil.ExactlyOne("the Arazzo document (a path, an http(s) URL or -)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.Output != OutputText && opts.Output != OutputJSON {
				return cmdutil.FlagErrorf("-o %q: use text or json", opts.Output)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", OutputText, "format: text or json")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{OutputText, OutputJSON}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// Listing is the JSON form of `arazzo list -o json`.
type Listing struct {
	Document  string     `json:"document"`
	Title     string     `json:"title"`
	Workflows []Workflow `json:"workflows"`
}

// Workflow describes one workflow.
type Workflow struct {
	WorkflowID string   `json:"workflowId"`
	Summary    string   `json:"summary,omitempty"`
	DependsOn  []string `json:"dependsOn,omitempty"`
	Inputs     []Input  `json:"inputs"`
	Steps      []Step   `json:"steps"`
	Outputs    []Output `json:"outputs"`
}

// Input is one property of a workflow's inputs schema.
type Input struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Required    bool   `json:"required"`
	Description string `json:"description,omitempty"`
}

// Step is one step and what it calls: an operationId, an operationPath or a workflowId.
type Step struct {
	StepID        string `json:"stepId"`
	OperationID   string `json:"operationId,omitempty"`
	OperationPath string `json:"operationPath,omitempty"`
	WorkflowID    string `json:"workflowId,omitempty"`
}

// Output is one workflow output and the expression that gives its value.
type Output struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func listRun(ctx context.Context, opts *Options) error {
	doc, err := cmdutil.LoadDocument(ctx, opts.IO, opts.File)
	if err != nil {
		return err
	}
	l := Describe(doc)
	if opts.Output == OutputJSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(l)
	}
	writeText(opts.IO.Out, l)
	return nil
}

// Describe lists the workflows of doc.
func Describe(doc *arazzo.Document) Listing {
	l := Listing{Document: doc.File, Title: doc.Info.Title, Workflows: []Workflow{}}
	for _, wf := range doc.Workflows {
		w := Workflow{WorkflowID: wf.WorkflowID, Summary: wf.Summary, DependsOn: wf.DependsOn,
			Inputs: inputs(doc, wf), Steps: []Step{}, Outputs: []Output{}}
		for _, s := range wf.Steps {
			w.Steps = append(w.Steps, Step{StepID: s.StepID, OperationID: s.OperationID, OperationPath: s.OperationPath, WorkflowID: s.WorkflowID})
		}
		for _, o := range wf.Outputs {
			w.Outputs = append(w.Outputs, Output{Name: o.Name, Value: valueText(o.Value)})
		}
		l.Workflows = append(l.Workflows, w)
	}
	return l
}

// inputs lists the properties of a workflow's inputs schema, required ones first, each group
// sorted by name. A schema given as `$ref: '#/components/inputs/x'` is followed.
func inputs(doc *arazzo.Document, wf *arazzo.Workflow) []Input {
	schema, _ := wf.Inputs.(map[string]any)
	for depth := 0; depth < 8; depth++ {
		ref, ok := schema["$ref"].(string)
		if !ok || doc.Components == nil {
			break
		}
		schema, _ = doc.Components.Inputs[strings.TrimPrefix(ref, "#/components/inputs/")].(map[string]any)
	}
	required := map[string]bool{}
	if req, ok := schema["required"].([]any); ok {
		for _, r := range req {
			if s, ok := r.(string); ok {
				required[s] = true
			}
		}
	}
	props, _ := schema["properties"].(map[string]any)
	out := []Input{}
	for name, p := range props {
		m, _ := p.(map[string]any)
		in := Input{Name: name, Required: required[name], Type: typeText(m)}
		in.Description, _ = m["description"].(string)
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Required != out[j].Required {
			return out[i].Required
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func typeText(m map[string]any) string {
	var t string
	switch v := m["type"].(type) {
	case string:
		t = v
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			parts = append(parts, fmt.Sprint(e))
		}
		t = strings.Join(parts, "|")
	}
	if items, ok := m["items"].(map[string]any); ok && t == "array" {
		if it := typeText(items); it != "" {
			t = "array of " + it
		}
	}
	if f, ok := m["format"].(string); ok && t != "" {
		t += " (" + f + ")"
	}
	return t
}

func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if sel, ok := v.(*arazzo.Selector); ok {
		return sel.Context + " " + sel.Selector
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func writeText(w io.Writer, l Listing) {
	for i, wf := range l.Workflows {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprint(w, wf.WorkflowID)
		if wf.Summary != "" {
			fmt.Fprintf(w, "  %s", wf.Summary)
		}
		fmt.Fprintln(w)
		if len(wf.DependsOn) > 0 {
			fmt.Fprintf(w, "  depends on: %s\n", strings.Join(wf.DependsOn, ", "))
		}
		if len(wf.Inputs) > 0 {
			fmt.Fprintln(w, "  inputs:")
			rows := make([][]string, len(wf.Inputs))
			for j, in := range wf.Inputs {
				req := "optional"
				if in.Required {
					req = "required"
				}
				rows[j] = []string{in.Name, in.Type, req, in.Description}
			}
			table(w, "    ", rows)
		}
		fmt.Fprintln(w, "  steps:")
		rows := make([][]string, len(wf.Steps))
		for j, s := range wf.Steps {
			target := ""
			switch {
			case s.OperationID != "":
				target = "operationId " + s.OperationID
			case s.OperationPath != "":
				target = "operationPath " + s.OperationPath
			case s.WorkflowID != "":
				target = "workflow " + s.WorkflowID
			}
			rows[j] = []string{fmt.Sprintf("%d.", j+1), s.StepID, target}
		}
		table(w, "    ", rows)
		if len(wf.Outputs) > 0 {
			fmt.Fprintln(w, "  outputs:")
			rows := make([][]string, len(wf.Outputs))
			for j, o := range wf.Outputs {
				rows[j] = []string{o.Name, o.Value}
			}
			table(w, "    ", rows)
		}
	}
}

// table writes rows with aligned columns; empty trailing cells are dropped.
func table(w io.Writer, indent string, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString(indent)
		last := len(r) - 1
		for last >= 0 && r[last] == "" {
			last--
		}
		for i := 0; i <= last; i++ {
			b.WriteString(r[i])
			if i < last {
				b.WriteString(strings.Repeat(" ", widths[i]-len([]rune(r[i]))+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}
