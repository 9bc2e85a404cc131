package openapi_test

import (
	"context"
	"fmt"

	"github.com/arazzo-runner/arazzo/openapi"
)

func ExampleLoader_Load() {
	loader, err := openapi.NewLoader()
	if err != nil {
		fmt.Println(err)
		return
	}
	desc, err := loader.Load(context.Background(), "testdata/petstore-3.0.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	op, err := desc.OperationByPointer("#/paths/~1pets~1{petId}/get")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(desc.Title, desc.Version)
	fmt.Println(op.ID, op.Method, op.Path)
	for _, p := range op.Parameters {
		fmt.Println(p.In, p.Name, p.Required, p.Style)
	}
	// Output:
	// Petstore 3.0.3
	// showPetById GET /pets/{petId}
	// path petId true simple
}
