package openapi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arazzo-runner/arazzo/openapi"
)

func TestOperationByID(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/petstore-3.0.yaml")
	tests := []struct {
		id         string
		wantOK     bool
		wantMethod string
		wantPath   string
	}{
		{id: "listPets", wantOK: true, wantMethod: "GET", wantPath: "/pets"},
		{id: "showPetById", wantOK: true, wantMethod: "GET", wantPath: "/pets/{petId}"},
		{id: "deletePet", wantOK: true, wantMethod: "DELETE", wantPath: "/pets/{petId}"},
		{id: "listpets"},
		{id: "listPet"},
		{id: ""},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			op, ok := d.OperationByID(tc.id)
			require.Equal(t, tc.wantOK, ok)
			if !ok {
				assert.Nil(t, op)
				return
			}
			assert.Equal(t, tc.id, op.ID)
			assert.Equal(t, tc.wantMethod, op.Method)
			assert.Equal(t, tc.wantPath, op.Path)
		})
	}
}

func TestOperationByPointer(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/petstore-3.0.yaml")
	tests := []struct {
		name    string
		ptr     string
		wantID  string
		wantIs  error
		wantMsg string
	}{
		{name: "with hash", ptr: "#/paths/~1pets~1{petId}/get", wantID: "showPetById"},
		{name: "without hash", ptr: "/paths/~1pets/post", wantID: "createPets"},
		{name: "source url prefix", ptr: "{$sourceDescriptions.pets.url}#/paths/~1pets~1mine/get", wantID: "listMyPets"},
		{name: "percent-encoded", ptr: "#/paths/~1pets~1%7BpetId%7D/delete", wantID: "deletePet"},
		{name: "method case", ptr: "#/paths/~1pets/GET", wantID: "listPets"},
		{name: "missing path", ptr: "#/paths/~1dogs/get", wantIs: openapi.ErrOperationNotFound, wantMsg: `no path "/dogs"`},
		{name: "missing method", ptr: "#/paths/~1pets/put", wantIs: openapi.ErrOperationNotFound, wantMsg: `path "/pets" has no PUT operation`},
		{name: "not under paths", ptr: "#/components/schemas/Pet", wantIs: openapi.ErrInvalidPointer},
		{name: "too short", ptr: "#/paths/~1pets", wantIs: openapi.ErrInvalidPointer},
		{name: "too long", ptr: "#/paths/~1pets/get/responses", wantIs: openapi.ErrInvalidPointer},
		{name: "unescaped slash", ptr: "#/paths//pets/get", wantIs: openapi.ErrInvalidPointer},
		{name: "empty", ptr: "", wantIs: openapi.ErrInvalidPointer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			op, err := d.OperationByPointer(tc.ptr)
			if tc.wantIs != nil {
				require.ErrorIs(t, err, tc.wantIs)
				assert.ErrorContains(t, err, tc.wantMsg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantID, op.ID)
		})
	}
}

func TestOperationByPath(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/petstore-3.0.yaml")
	op, ok := d.OperationByPath("/pets/{petId}", "delete")
	require.True(t, ok)
	assert.Equal(t, "deletePet", op.ID)
	_, ok = d.OperationByPath("/pets/{id}", "GET")
	assert.False(t, ok)
}

func TestOperationParameters(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/petstore-3.0.yaml")
	tests := []struct {
		id   string
		want []openapi.Parameter
	}{
		{
			// The operation's limit overrides the path-level one; the
			// path-level header is inherited.
			id: "listPets",
			want: []openapi.Parameter{
				{Name: "limit", In: "query", Required: true, Style: "form", Explode: true, Schema: &openapi.Schema{Type: "integer", Types: []string{"integer"}, Format: "int32"}},
				{Name: "tags", In: "query", Style: "pipeDelimited", Explode: false, Schema: &openapi.Schema{Type: "array", Types: []string{"array"}, Items: &openapi.Schema{Type: "string", Types: []string{"string"}}}},
				{Name: "X-Request-ID", In: "header", Style: "simple", Schema: &openapi.Schema{Type: "string", Types: []string{"string"}, Format: "uuid"}},
			},
		},
		{
			id: "showPetById",
			want: []openapi.Parameter{
				{Name: "petId", In: "path", Required: true, Style: "simple", Schema: &openapi.Schema{Type: "string", Types: []string{"string"}}},
			},
		},
		{
			// The operation's petId (integer) overrides none at path level.
			id: "walkPet",
			want: []openapi.Parameter{
				{Name: "petId", In: "path", Required: true, Style: "simple", Schema: &openapi.Schema{Type: "integer", Types: []string{"integer"}}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			op, ok := d.OperationByID(tc.id)
			require.True(t, ok)
			var got []openapi.Parameter
			for _, p := range op.Parameters {
				got = append(got, *p)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestOperationSecurity(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/petstore-3.0.yaml")
	bearer := openapi.SecurityRequirement{{Name: "bearerAuth", Scopes: []string{}}}
	tests := []struct {
		id   string
		want []openapi.SecurityRequirement
	}{
		{id: "listPets", want: []openapi.SecurityRequirement{bearer}},
		{id: "createPets", want: []openapi.SecurityRequirement{
			{{Name: "basicAuth", Scopes: []string{}}},
			{{Name: "apiKey", Scopes: []string{}}, {Name: "bearerAuth", Scopes: []string{}}},
		}},
		{id: "showPetById", want: []openapi.SecurityRequirement{}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			op, ok := d.OperationByID(tc.id)
			require.True(t, ok)
			assert.Equal(t, tc.want, op.Security)
			assert.NotNil(t, op.Security, "an empty security list must stay distinguishable from none")
		})
	}
	assert.Equal(t, []openapi.SecurityRequirement{bearer}, d.Security)
	assert.Equal(t, map[string]*openapi.SecurityScheme{
		"basicAuth":  {Name: "basicAuth", Type: "http", Scheme: "basic"},
		"bearerAuth": {Name: "bearerAuth", Type: "http", Scheme: "bearer", BearerFormat: "JWT"},
		"apiKey":     {Name: "apiKey", Type: "apiKey", In: "header", ParamName: "X-API-Key"},
	}, d.SecuritySchemes)
}

func TestOperationServers(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/petstore-3.0.yaml")
	tests := []struct {
		id   string
		want string
	}{
		{id: "listPets", want: "https://api.example.com/v1"},
		{id: "deletePet", want: "https://admin.example.com/v1"},
		{id: "walkPet", want: "/walks-api"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			op, ok := d.OperationByID(tc.id)
			require.True(t, ok)
			require.NotEmpty(t, op.Servers)
			assert.Equal(t, tc.want, op.Servers[0].URL)
		})
	}
	require.Len(t, d.Servers, 2)
	got, err := d.Servers[1].Resolve(map[string]string{"region": "us"})
	require.NoError(t, err)
	assert.Equal(t, "https://us.example.com/v1", got)
	assert.Equal(t, "/v1", d.BasePath())
}

func TestOperationBodyAndResponses(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/petstore-3.0.yaml")

	op, ok := d.OperationByID("createPets")
	require.True(t, ok)
	assert.Equal(t, &openapi.RequestBody{
		Required:     true,
		ContentTypes: []string{"application/json", "application/x-www-form-urlencoded", "text/plain"},
	}, op.RequestBody)
	assert.Equal(t, []openapi.Response{
		{Status: "201", ContentTypes: []string{"application/json"}, HasExamples: true},
		{Status: "2XX"},
		{Status: "400", ContentTypes: []string{"application/problem+json"}},
	}, op.Responses)

	op, ok = d.OperationByID("listPets")
	require.True(t, ok)
	assert.Nil(t, op.RequestBody)
	require.Len(t, op.Responses, 2)
	assert.Equal(t, "200", op.Responses[0].Status)
	assert.Equal(t, []string{"X-Next"}, op.Responses[0].Headers)
	assert.Equal(t, "default", op.Responses[1].Status)
}

func TestOpenAPI31(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/petstore-3.1.yaml")
	op, ok := d.OperationByID("getPet")
	require.True(t, ok)
	require.Len(t, op.Parameters, 1)
	assert.Equal(t, &openapi.Schema{Type: "string", Types: []string{"string", "null"}, Nullable: true}, op.Parameters[0].Schema)
	assert.Equal(t, "/api/v3", d.BasePath())
}

func TestSwaggerConversion(t *testing.T) {
	t.Parallel()
	d := load(t, "testdata/swagger-2.0.json")
	assert.Equal(t, []openapi.Server{{URL: "https://users.example.com/v2"}}, d.Servers)
	assert.Equal(t, "/v2", d.BasePath())
	assert.Equal(t, map[string]*openapi.SecurityScheme{
		"basic": {Name: "basic", Type: "http", Scheme: "basic"},
		"key":   {Name: "key", Type: "apiKey", In: "query", ParamName: "api_key"},
	}, d.SecuritySchemes)

	get, ok := d.OperationByID("getUser")
	require.True(t, ok)
	assert.Equal(t, []openapi.SecurityRequirement{{{Name: "key", Scopes: []string{}}}}, get.Security)
	require.Len(t, get.Parameters, 1)
	assert.Equal(t, "id", get.Parameters[0].Name)
	assert.Equal(t, "path", get.Parameters[0].In)

	post, ok := d.OperationByID("createUser")
	require.True(t, ok)
	assert.Equal(t, []openapi.SecurityRequirement{{{Name: "basic", Scopes: []string{}}}}, post.Security)
	require.NotNil(t, post.RequestBody)
	assert.True(t, post.RequestBody.Required)
	assert.Equal(t, []string{"application/json"}, post.RequestBody.ContentTypes)
	_, err := d.OperationByPointer("#/paths/~1users~1{id}/get")
	require.NoError(t, err)
}
