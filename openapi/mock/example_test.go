package mock_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

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

	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/pets", nil))
	body, _ := io.ReadAll(rec.Body)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("X-Arazzo-Mock"))
	fmt.Println(string(body))
	// Output:
	// 201 application/json true
	// {"id":7,"name":"Rex"}
}
