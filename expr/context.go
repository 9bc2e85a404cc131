package expr

import "strings"

// Context holds the values runtime expressions read. The runtime fills it
// before evaluating; nil maps and nil messages mean "nothing there", so every
// expression that reads them reports [ErrNotFound] (or null inside a
// condition). Evaluation only reads a Context, so one Context may be shared by
// concurrent evaluations as long as nobody writes to it meanwhile.
type Context struct {
	URL        string   // $url: the request URL of the current step
	Method     string   // $method: the HTTP method of the current operation
	StatusCode int      // $statusCode; 0 means no response yet
	Request    *Message // $request.*; nil before the request is built
	Response   *Message // $response.*; nil when there is no response
	// Message is the AsyncAPI message of the current step ($message.*, 1.1).
	Message *Message

	Inputs  map[string]any // $inputs.*: the current workflow's inputs
	Outputs map[string]any // $outputs.*: the current workflow's outputs, or the called workflow's inside a workflowId step (AMB-06)
	Steps   map[string]map[string]any
	// Workflows maps a workflowId to its inputs and outputs ($workflows.*).
	Workflows map[string]WorkflowValues
	// SourceDescriptions maps a source name to the values
	// $sourceDescriptions.<name>.<ref> can read, e.g. "url", "type", "name",
	// and operationIds or workflowIds the runtime chooses to expose.
	SourceDescriptions map[string]map[string]any
	// Components maps a component type ("parameters", "successActions",
	// "failureActions", "inputs") to its entries by key.
	Components map[string]map[string]any
	Self       string // $self: the document's canonical URI (1.1)
}

// WorkflowValues are the inputs and outputs of one workflow, read by
// $workflows.<id>.inputs.* and $workflows.<id>.outputs.*.
type WorkflowValues struct {
	Inputs  map[string]any
	Outputs map[string]any
}

// Message is an HTTP request, HTTP response or AsyncAPI message as runtime
// expressions see it.
type Message struct {
	// Header holds header values by name in any case; lookups ignore case
	// (RFC 9110) and a multi-valued header yields its first value (AMB-17).
	Header map[string][]string
	Query  map[string]string // query parameters by exact name
	Path   map[string]string // path parameters by exact name
	// Body is the parsed JSON body (map[string]any, []any, float64 or
	// json.Number, string, bool, nil), or the raw text of a non-JSON body.
	// nil means there is no body. A JSON Pointer applied to a string body
	// parses the string as JSON first.
	Body any
}

func (m *Message) header(name, canonical string) (string, bool) {
	if v, ok := m.Header[canonical]; ok && len(v) > 0 {
		return v[0], true
	}
	if v, ok := m.Header[name]; ok && len(v) > 0 {
		return v[0], true
	}
	for k, v := range m.Header {
		if len(v) > 0 && strings.EqualFold(k, name) {
			return v[0], true
		}
	}
	return "", false
}

// lookupName finds an input, output or component name. Names may contain
// dots (identifier = [A-Za-z0-9._-]+), so the whole name is tried first;
// failing that, the longest dot-separated prefix that exists is taken as the
// name and the rest as a path of members and array indexes into its value.
// This makes $inputs.customer.id work as the spec examples use it while
// keeping names such as "api.key" reachable.
func lookupName(m map[string]any, name string) (any, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	if m == nil {
		return nil, false
	}
	for i := strings.LastIndexByte(name, '.'); i > 0; i = strings.LastIndexByte(name[:i], '.') {
		v, ok := m[name[:i]]
		if !ok {
			continue
		}
		if r, ok := walkDots(v, name[i+1:]); ok {
			return r, true
		}
	}
	return nil, false
}

// walkDots follows a dot-separated path of members and array indexes.
func walkDots(v any, path string) (any, bool) {
	for {
		seg, rest, more := strings.Cut(path, ".")
		var ok bool
		if v, ok = child(v, seg); !ok {
			return nil, false
		}
		if !more {
			return v, true
		}
		path = rest
	}
}
