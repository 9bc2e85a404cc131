package mock_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/arazzo-runner/arazzo/openapi"
	"github.com/arazzo-runner/arazzo/openapi/mock"
)

func ExampleNew() {
	loader, err := openapi.NewLoader()
	if err != nil {
		fmt.Println(err)
		return
	}
	desc, err := loader.Load(context.Background(), "../testdata/petstore-3.0.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	handler, err := mock.New(desc)
	if err != nil {
		fmt.Println(err)
		return
	}

	// A valid request gets the documented example.
	req := httptest.NewRequest(http.MethodPost, "/v1/pets", strings.NewReader(`{"id":7,"name":"Rex"}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("user", "secret")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("X-Arazzo-Mock"))
	fmt.Println(string(body))

	// One that breaks the Pet schema is refused with a problem naming the field.
	req = httptest.NewRequest(http.MethodPost, "/v1/pets", strings.NewReader(`{"id":7}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("user", "secret")
	rec = httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	body, _ = io.ReadAll(rec.Body)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(string(body))
	// Output:
	// 201 application/json true
	// {"id":7,"name":"Rex"}
	// 422 application/problem+json
	// {"title":"request body does not match its schema","status":422,"detail":"body#/name: property \"name\" is missing [required]","errors":[{"field":"body#/name","rule":"required","message":"property \"name\" is missing"}]}
}
