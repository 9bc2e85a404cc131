package expr

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testContext() *Context {
	return &Context{
		URL:        "https://api.example.com/pets/1",
		Method:     "GET",
		StatusCode: 200,
		Request: &Message{
			Header: map[string][]string{"Authorization": {"Bearer t"}},
			Query:  map[string]string{"limit": "10"},
			Path:   map[string]string{"petId": "1"},
			Body:   map[string]any{"name": "rex"},
		},
		Response: &Message{
			Header: map[string][]string{"content-type": {"application/json"}, "Set-Cookie": {"a=1", "b=2"}},
			Body: map[string]any{
				"data":  map[string]any{"id": json.Number("42"), "tags": []any{"a", "b"}},
				"a/b":   "slash",
				"m~n":   "tilde",
				"items": []any{map[string]any{"id": 1.0}, map[string]any{"id": 2.0}},
				"count": 3.0,
			},
		},
		Message:   &Message{Header: map[string][]string{"X-Corr": {"c1"}}, Body: map[string]any{"orderId": "o1"}},
		Inputs:    map[string]any{"user": map[string]any{"name": "ann", "roles": []any{"admin"}}, "api.key": "k", "n": 7},
		Outputs:   map[string]any{"token": "tok"},
		Steps:     map[string]map[string]any{"login": {"token": "abc", "body": map[string]any{"x": []any{10.0, 20.0}}}},
		Workflows: map[string]WorkflowValues{"child": {Inputs: map[string]any{"in": 1}, Outputs: map[string]any{"out": "o"}}},
		SourceDescriptions: map[string]map[string]any{
			"petstore": {"url": "https://example.com/openapi.yaml", "type": "openapi", "getPet": "op"},
		},
		Components: map[string]map[string]any{"parameters": {"page": map[string]any{"name": "page", "in": "query"}}},
		Self:       "https://example.com/doc.arazzo.yaml",
	}
}

func TestParseAndEval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		kind string
		want any
	}{
		{"url", "$url", "url", "https://api.example.com/pets/1"},
		{"method", "$method", "method", "GET"},
		{"status code is an int", "$statusCode", "statusCode", 200},
		{"self", "$self", "self", "https://example.com/doc.arazzo.yaml"},
		{"request header any case", "$request.header.authorization", "request", "Bearer t"},
		{"request query", "$request.query.limit", "request", "10"},
		{"request path", "$request.path.petId", "request", "1"},
		{"request body", "$request.body", "request", map[string]any{"name": "rex"}},
		{"request body pointer", "$request.body#/name", "request", "rex"},
		{"response header canonical lookup", "$response.header.Content-Type", "response", "application/json"},
		{"multi-valued header gives first", "$response.header.set-cookie", "response", "a=1"},
		{"response body pointer keeps type", "$response.body#/data/id", "response", json.Number("42")},
		{"pointer array index", "$response.body#/data/tags/1", "response", "b"},
		{"pointer ~1 escape", "$response.body#/a~1b", "response", "slash"},
		{"pointer ~0 escape", "$response.body#/m~0n", "response", "tilde"},
		{"empty pointer is whole body", "$response.body#", "response", testContext().Response.Body},
		{"dot path after body", "$response.body.data.id", "response", json.Number("42")},
		{"dot path with index", "$response.body.items[1].id", "response", 2.0},
		{"dot path with numeric segment", "$response.body.items.0.id", "response", 1.0},
		{"message header", "$message.header.x-corr", "message", "c1"},
		{"message payload dot path", "$message.payload.orderId", "message", "o1"},
		{"message body alias", "$message.body#/orderId", "message", "o1"},
		{"inputs whole", "$inputs.n", "inputs", 7},
		{"inputs pointer", "$inputs.user#/roles/0", "inputs", "admin"},
		{"inputs dotted name", "$inputs.api.key", "inputs", "k"},
		{"inputs dotted fallback", "$inputs.user.name", "inputs", "ann"},
		{"outputs", "$outputs.token", "outputs", "tok"},
		{"steps output", "$steps.login.outputs.token", "steps", "abc"},
		{"steps output pointer", "$steps.login.outputs.body#/x/1", "steps", 20.0},
		{"workflows inputs", "$workflows.child.inputs.in", "workflows", 1},
		{"workflows outputs", "$workflows.child.outputs.out", "workflows", "o"},
		{"source description field", "$sourceDescriptions.petstore.url", "sourceDescriptions", "https://example.com/openapi.yaml"},
		{"source description operation", "$sourceDescriptions.petstore.getPet", "sourceDescriptions", "op"},
		{"components parameter", "$components.parameters.page", "components", map[string]any{"name": "page", "in": "query"}},
		{"components pointer", "$components.parameters.page#/in", "components", "query"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := Parse(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.in, e.String())
			assert.Equal(t, tc.kind, e.Kind())
			got, err := e.Eval(testContext())
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestAccessors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in                                 string
		part, step, workflow, source, name string
		pointer                            string
		hasPointer                         bool
	}{
		{in: "$steps.a.outputs.b#/x/0", part: "outputs", step: "a", name: "b", pointer: "/x/0", hasPointer: true},
		{in: "$workflows.w.outputs.o", part: "outputs", workflow: "w", name: "o"},
		{in: "$workflows.w.steps.s", part: "steps", workflow: "w", step: "s"},
		{in: "$sourceDescriptions.api.some.op", source: "api", name: "some.op"},
		{in: "$components.successActions.retry", part: "successActions", name: "retry"},
		{in: "$response.body.a~b.c/d", part: "body", pointer: "/a~0b/c~1d", hasPointer: true},
		{in: "$response.body", part: "body"},
		{in: "$request.header.X-Api-Key", part: "header", name: "X-Api-Key"},
		{in: "$inputs.a.b", name: "a.b"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			e, err := Parse(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.part, e.Part())
			assert.Equal(t, tc.step, e.StepID())
			assert.Equal(t, tc.workflow, e.WorkflowID())
			assert.Equal(t, tc.source, e.SourceName())
			assert.Equal(t, tc.name, e.Name())
			assert.Equal(t, tc.pointer, e.Pointer())
			assert.Equal(t, tc.hasPointer, e.HasPointer())
			assert.Equal(t, 0, e.Offset())
		})
	}
}

func TestEvalNotFound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		ctx  *Context
		want string
	}{
		{"$steps.a.outputs.b", &Context{Steps: map[string]map[string]any{"a": {}}}, `$steps.a.outputs.b: step "a" has no output "b"`},
		{"$steps.x.outputs.b", testContext(), `$steps.x.outputs.b: step "x" has no outputs`},
		{"$statusCode", nil, "$statusCode: no response yet"},
		{"$url", &Context{}, "$url: no request URL"},
		{"$method", &Context{}, "$method: no HTTP method"},
		{"$self", &Context{}, "$self: the document has no $self"},
		{"$response.body", &Context{}, "$response.body: no response"},
		{"$response.body", &Context{Response: &Message{}}, "$response.body: response has no body"},
		{"$response.body#/nope", testContext(), "$response.body#/nope: no value at /nope"},
		{"$response.body#/items/2", testContext(), "$response.body#/items/2: no value at /items/2"},
		{"$response.body#/items/-", testContext(), "$response.body#/items/-: no value at /items/-"},
		{"$response.body#/items/01", testContext(), "$response.body#/items/01: no value at /items/01"},
		{"$response.header.X-Missing", testContext(), `$response.header.X-Missing: response has no header "X-Missing"`},
		{"$request.query.q", testContext(), `$request.query.q: request has no query parameter "q"`},
		{"$request.path.id", testContext(), `$request.path.id: request has no path parameter "id"`},
		{"$inputs.missing", testContext(), `$inputs.missing: no input "missing"`},
		{"$inputs.user.age", testContext(), `$inputs.user.age: no input "user.age"`},
		{"$outputs.x", testContext(), `$outputs.x: no output "x"`},
		{"$workflows.nope.outputs.x", testContext(), `$workflows.nope.outputs.x: workflow "nope" has no values`},
		{"$workflows.child.inputs.x", testContext(), `$workflows.child.inputs.x: workflow "child" has no input "x"`},
		{"$workflows.child.steps.s", testContext(), `$workflows.child.steps.s: names step "s" of workflow "child" and has no value`},
		{"$sourceDescriptions.other.url", testContext(), `$sourceDescriptions.other.url: no source description "other"`},
		{"$sourceDescriptions.petstore.x", testContext(), `$sourceDescriptions.petstore.x: source description "petstore" has no "x"`},
		{"$components.failureActions.x", testContext(), `$components.failureActions.x: no failureActions component "x"`},
		{"$message.payload", &Context{}, "$message.payload: no message"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			e, err := Parse(tc.in)
			require.NoError(t, err)
			_, err = e.Eval(tc.ctx)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrNotFound)
			assert.EqualError(t, err, tc.want)
			var nf *NotFoundError
			require.ErrorAs(t, err, &nf)
			assert.Equal(t, tc.in, nf.Expression)
		})
	}
}

func TestEvalPointerIntoStringBody(t *testing.T) {
	t.Parallel()
	e, err := Parse("$response.body#/a/0")
	require.NoError(t, err)
	got, err := e.Eval(&Context{Response: &Message{Body: `{"a":[5]}`}})
	require.NoError(t, err)
	assert.Equal(t, json.Number("5"), got)

	whole, err := Parse("$response.body")
	require.NoError(t, err)
	got, err = whole.Eval(&Context{Response: &Message{Body: "<xml/>"}})
	require.NoError(t, err)
	assert.Equal(t, "<xml/>", got)
}

func TestZeroExpression(t *testing.T) {
	t.Parallel()
	var e Expression
	assert.Equal(t, "", e.Kind())
	_, err := e.Eval(testContext())
	require.Error(t, err)
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "empty runtime expression"},
		{"inputs.x", 0, "must start with"},
		{"$", 0, "unknown runtime expression"},
		{"$foo.bar", 0, `unknown runtime expression "$foo"; want $url, $method`},
		{"$StatusCode", 0, `did you mean "$statusCode"`},
		{"$url.x", 4, `unexpected ".x" after $url`},
		{"$statusCode2", 11, `unexpected "2" after $statusCode`},
		{"$inputs", 7, `expected "." after $inputs`},
		{"$inputs.", 8, "missing input name"},
		{"$inputs.a b", 9, `invalid character ' ' in input name`},
		{"$inputs.a#x", 10, `json pointer "x" must start with "/"`},
		{"$inputs.a#/x~2", 12, `"~" not followed by 0 or 1`},
		{"$outputs.{x}", 9, "invalid character '{' in output name"},
		{"$steps.a", 8, "unexpected end"},
		{"$steps.a.output.b", 9, `expected "outputs.<name>"`},
		{"$steps.a.outputs.", 17, "missing output name"},
		{"$steps.a!.outputs.b", 8, "invalid character '!' in step id"},
		{"$steps..outputs.b", 7, "missing step id"},
		{"$workflows.w.things.x", 13, `expected "inputs", "outputs" or "steps"`},
		{"$workflows.w.inputs", 19, `expected ".<name>"`},
		{"$workflows.w.steps.s.t", 20, `unexpected ".t" after step id`},
		{"$sourceDescriptions.api", 23, "unexpected end"},
		{"$sourceDescriptions.api.", 24, "missing reference"},
		{"$components.schemas.x", 12, `unknown component type "schemas"`},
		{"$components.parameters", 22, `expected ".<name>"`},
		{"$request.cookie.x", 9, `unknown source "cookie"`},
		{"$request.header.", 15, "missing name after $request.header"},
		{"$request.header.a b", 17, "invalid character ' ' in header name"},
		{"$request.query.a{", 16, "invalid character '{' in query name"},
		{"$response.body?x", 14, `unexpected "?x" after $response.body`},
		{"$response.body..a", 15, "empty property name"},
		{"$response.body[x]", 15, `invalid index "x"`},
		{"$response.body[0", 14, `missing "]"`},
		{"$response.body.a]", 16, `unexpected ']'`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tc.in)
			require.Error(t, err)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.in, se.Source)
			assert.Equal(t, tc.offset, se.Offset, se.Msg)
			assert.Contains(t, se.Msg, tc.msg)
			assert.Contains(t, err.Error(), "offset ")
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	t.Parallel()
	err := &SyntaxError{Source: "$x", Offset: 3, Msg: "bad thing"}
	assert.Equal(t, "offset 3: bad thing", err.Error())
	assert.False(t, errors.Is(err, ErrNotFound))
}
