package openapi

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/arazzo-runner/arazzo/openapi/internal/kin"
)

func init() {
	kin.Document = func(v any) *openapi3.T {
		if d, ok := v.(*Description); ok && d != nil {
			return d.doc
		}
		return nil
	}
	kin.Operation = func(v any) (*openapi3.PathItem, *openapi3.Operation) {
		if op, ok := v.(*Operation); ok && op != nil {
			return op.item, op.op
		}
		return nil, nil
	}
}

// Description is a loaded OpenAPI description. It is read-only once
// returned by Loader.Load and safe for concurrent use.
type Description struct {
	// Location is the resolved location it was loaded from: an absolute file
	// path or a URL.
	Location string
	// Version is the version the document declares: "2.0" for Swagger,
	// else the openapi field ("3.0.3", "3.1.0", ...).
	Version string
	Title   string
	// Servers are the document-level servers, as declared. For Swagger 2.0
	// they are built from host, basePath and schemes.
	Servers []Server
	// SecuritySchemes are keyed by name.
	SecuritySchemes map[string]*SecurityScheme
	// Security is the document-level security.
	Security []SecurityRequirement
	// Warnings are the problems validation found that leave the document
	// usable: conflicting paths, examples off their schema, and so on.
	Warnings []string

	doc  *openapi3.T
	ops  []*Operation
	byID map[string]*Operation
}

// Operations returns every operation, ordered by path and then method.
func (d *Description) Operations() []*Operation {
	return slices.Clone(d.ops)
}

// OperationByID returns the operation whose operationId is exactly id (the
// comparison is case-sensitive; there is no fuzzy matching). When a broken
// description repeats an operationId, the first in Operations order wins.
func (d *Description) OperationByID(id string) (*Operation, bool) {
	op, ok := d.byID[id]
	return op, ok
}

// OperationByPath returns the operation at the path template exactly as the
// description writes it (e.g. /pets/{petId}); method is case-insensitive.
func (d *Description) OperationByPath(path, method string) (*Operation, bool) {
	method = strings.ToUpper(method)
	for _, op := range d.ops {
		if op.Path == path && op.Method == method {
			return op, true
		}
	}
	return nil, false
}

// OperationByPointer resolves an Arazzo operationPath: a JSON Pointer such as
// /paths/~1pets~1{petId}/get. A leading '#', or anything up to and including
// the first '#' (as in "{$sourceDescriptions.pets.url}#/paths/..."), is
// dropped, and a percent-encoded fragment is decoded. The error wraps
// ErrInvalidPointer for a malformed pointer and ErrOperationNotFound, saying
// whether the path or the method is missing, otherwise.
func (d *Description) OperationByPointer(ptr string) (*Operation, error) {
	frag := ptr
	if i := strings.IndexByte(frag, '#'); i >= 0 {
		frag = frag[i+1:]
	}
	if strings.IndexByte(frag, '%') >= 0 {
		unescaped, err := url.PathUnescape(frag)
		if err != nil {
			return nil, fmt.Errorf("operation path %q: %w: %v", ptr, ErrInvalidPointer, err)
		}
		frag = unescaped
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, fmt.Errorf("operation path %q: %w: want a JSON Pointer starting with /paths/", ptr, ErrInvalidPointer)
	}
	tokens := strings.Split(frag[1:], "/")
	if tokens[0] != "paths" {
		return nil, fmt.Errorf("operation path %q: %w: want a JSON Pointer starting with /paths/", ptr, ErrInvalidPointer)
	}
	if len(tokens) != 3 || tokens[1] == "" || tokens[2] == "" {
		return nil, fmt.Errorf("operation path %q: %w: want /paths/{escaped path}/{method}", ptr, ErrInvalidPointer)
	}
	path := unescapeToken(tokens[1])
	method := strings.ToUpper(unescapeToken(tokens[2]))
	if d.doc.Paths.Value(path) == nil {
		return nil, fmt.Errorf("operation path %q: %w: no path %q in %s", ptr, ErrOperationNotFound, path, d.Location)
	}
	op, ok := d.OperationByPath(path, method)
	if !ok {
		return nil, fmt.Errorf("operation path %q: %w: path %q has no %s operation", ptr, ErrOperationNotFound, path, method)
	}
	return op, nil
}

func unescapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// BasePath returns the path of the first server URL, with its variables set
// to their defaults and without a trailing slash: "/v1" for
// https://api.example.com/v1 or for a relative /v1. It is "" when there is
// no server or the server has no path.
func (d *Description) BasePath() string {
	if len(d.Servers) == 0 {
		return ""
	}
	raw, err := d.Servers[0].Resolve(nil)
	if err != nil {
		raw = d.Servers[0].URL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.Path, "/")
}

// newDescription builds the view of a loaded kin-openapi document.
func newDescription(location, version string, doc *openapi3.T) *Description {
	d := &Description{
		Location:        location,
		Version:         version,
		Servers:         servers(doc.Servers),
		SecuritySchemes: map[string]*SecurityScheme{},
		Security:        securityRequirements(doc.Security),
		doc:             doc,
		byID:            map[string]*Operation{},
	}
	if doc.Info != nil {
		d.Title = doc.Info.Title
	}
	if doc.Components != nil {
		for name, ref := range doc.Components.SecuritySchemes {
			if ref == nil || ref.Value == nil {
				continue
			}
			d.SecuritySchemes[name] = securityScheme(name, ref.Value)
		}
	}
	if doc.Paths != nil {
		for _, path := range doc.Paths.Keys() {
			item := doc.Paths.Value(path)
			if item == nil {
				continue
			}
			ops := item.Operations()
			for _, method := range sortedKeys(ops) {
				op := newOperation(d, path, method, item, ops[method])
				d.ops = append(d.ops, op)
				if op.ID != "" {
					if _, dup := d.byID[op.ID]; !dup {
						d.byID[op.ID] = op
					}
				}
			}
		}
	}
	return d
}

func newOperation(d *Description, path, method string, item *openapi3.PathItem, op *openapi3.Operation) *Operation {
	o := &Operation{
		ID:      op.OperationID,
		Method:  strings.ToUpper(method),
		Path:    path,
		Summary: op.Summary,
		item:    item,
		op:      op,
	}
	if o.Summary == "" {
		o.Summary = item.Summary
	}

	seen := map[string]bool{}
	for _, ref := range op.Parameters {
		if ref == nil || ref.Value == nil {
			continue
		}
		seen[ref.Value.In+"\x00"+ref.Value.Name] = true
		o.Parameters = append(o.Parameters, parameter(ref.Value))
	}
	for _, ref := range item.Parameters {
		if ref == nil || ref.Value == nil || seen[ref.Value.In+"\x00"+ref.Value.Name] {
			continue
		}
		o.Parameters = append(o.Parameters, parameter(ref.Value))
	}

	if op.RequestBody != nil && op.RequestBody.Value != nil {
		o.RequestBody = &RequestBody{
			Required:     op.RequestBody.Value.Required,
			ContentTypes: contentTypes(op.RequestBody.Value.Content),
		}
	}

	if op.Security != nil {
		o.Security = securityRequirements(*op.Security)
		if o.Security == nil {
			o.Security = []SecurityRequirement{}
		}
	} else {
		o.Security = d.Security
	}

	switch {
	case op.Servers != nil && len(*op.Servers) > 0:
		o.Servers = servers(*op.Servers)
	case len(item.Servers) > 0:
		o.Servers = servers(item.Servers)
	default:
		o.Servers = d.Servers
	}

	if op.Responses != nil {
		for _, status := range op.Responses.Keys() {
			ref := op.Responses.Value(status)
			if ref == nil || ref.Value == nil {
				continue
			}
			o.Responses = append(o.Responses, response(status, ref.Value))
		}
	}
	return o
}

func parameter(p *openapi3.Parameter) *Parameter {
	out := &Parameter{
		Name:          p.Name,
		In:            p.In,
		Required:      p.Required,
		Style:         p.Style,
		AllowReserved: p.AllowReserved,
	}
	if out.Style == "" {
		switch p.In {
		case openapi3.ParameterInQuery, openapi3.ParameterInCookie:
			out.Style = openapi3.SerializationForm
		default:
			out.Style = openapi3.SerializationSimple
		}
	}
	if p.Explode != nil {
		out.Explode = *p.Explode
	} else {
		out.Explode = out.Style == openapi3.SerializationForm
	}
	switch {
	case p.Schema != nil:
		out.Schema = schemaView(p.Schema, 0)
	case len(p.Content) > 0:
		mt := p.Content[contentTypes(p.Content)[0]]
		if mt != nil {
			out.Schema = schemaView(mt.Schema, 0)
		}
	}
	return out
}

func schemaView(ref *openapi3.SchemaRef, depth int) *Schema {
	if ref == nil || ref.Value == nil || depth > 3 {
		return nil
	}
	s := ref.Value
	out := &Schema{
		Format:   s.Format,
		Enum:     s.Enum,
		Nullable: s.Nullable,
		Default:  s.Default,
		Const:    s.Const,
	}
	if s.Type != nil {
		out.Types = s.Type.Slice()
	}
	for _, t := range out.Types {
		if t == openapi3.TypeNull {
			out.Nullable = true
		} else if out.Type == "" {
			out.Type = t
		}
	}
	if s.Items != nil {
		out.Items = schemaView(s.Items, depth+1)
	}
	return out
}

func response(status string, r *openapi3.Response) Response {
	out := Response{
		Status:       status,
		ContentTypes: contentTypes(r.Content),
		Headers:      sortedKeys(r.Headers),
	}
	for _, mt := range r.Content {
		if mt != nil && (mt.Example != nil || len(mt.Examples) > 0) {
			out.HasExamples = true
		}
	}
	return out
}

// contentTypes orders the media types of content: application/json first,
// then the others alphabetically (kin-openapi does not keep declared order).
func contentTypes(content openapi3.Content) []string {
	if len(content) == 0 {
		return nil
	}
	types := sortedKeys(content)
	slices.SortStableFunc(types, func(a, b string) int {
		aj, bj := a == "application/json", b == "application/json"
		switch {
		case aj && !bj:
			return -1
		case bj && !aj:
			return 1
		}
		return 0
	})
	return types
}

func securityRequirements(reqs openapi3.SecurityRequirements) []SecurityRequirement {
	if reqs == nil {
		return nil
	}
	out := make([]SecurityRequirement, 0, len(reqs))
	for _, req := range reqs {
		r := SecurityRequirement{}
		for _, name := range sortedKeys(req) {
			r = append(r, SchemeRef{Name: name, Scopes: req[name]})
		}
		out = append(out, r)
	}
	return out
}

func securityScheme(name string, s *openapi3.SecurityScheme) *SecurityScheme {
	return &SecurityScheme{
		Name:         name,
		Type:         s.Type,
		Scheme:       strings.ToLower(s.Scheme),
		In:           s.In,
		ParamName:    s.Name,
		BearerFormat: s.BearerFormat,
		Description:  s.Description,
	}
}

func servers(in openapi3.Servers) []Server {
	var out []Server
	for _, s := range in {
		if s == nil {
			continue
		}
		srv := Server{URL: s.URL, Description: s.Description}
		if len(s.Variables) > 0 {
			srv.Variables = make(map[string]ServerVariable, len(s.Variables))
			for name, v := range s.Variables {
				if v == nil {
					continue
				}
				srv.Variables[name] = ServerVariable{Default: v.Default, Enum: v.Enum}
			}
		}
		out = append(out, srv)
	}
	return out
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare[string])
	return keys
}
