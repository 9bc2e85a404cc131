package runtime_test

import (
	"context"
	"fmt"
	"log"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// Run a document from Go code, here against the built-in mock of its OpenAPI source.
func ExampleRunner_Run() {
	doc, err := arazzo.ParseFile("../examples/pets/pets.arazzo.yaml")
	if err != nil {
		log.Fatal(err)
	}
	r, err := runtime.New()
	if err != nil {
		log.Fatal(err)
	}
	res, err := r.Run(context.Background(), doc, runtime.RunOptions{
		Inputs: map[string]any{"status": "available", "apiKey": "demo"}, // the mock checks the key is sent
		Mock:   true,
	})
	if err != nil {
		log.Fatal(err) // the run could not start: a *runtime.SetupError
	}
	for _, wf := range res.Workflows {
		fmt.Println(wf.WorkflowID, wf.Success, wf.Outputs["adoptionId"])
		for _, s := range wf.Steps {
			fmt.Println(" ", s.StepID, s.Method, s.StatusCode)
		}
	}
	// Output:
	// adoptPet true adp-7
	//   findPet GET 200
	//   adopt POST 201
}
