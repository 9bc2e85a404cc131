package expr_test

import (
	"errors"
	"fmt"

	"github.com/arazzo-runner/arazzo/expr"
)

func ExampleParse() {
	e, err := expr.Parse("$steps.login.outputs.user#/roles/0")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := &expr.Context{Steps: map[string]map[string]any{
		"login": {"user": map[string]any{"roles": []any{"admin"}}},
	}}
	v, err := e.Eval(ctx)
	fmt.Println(e.Kind(), e.StepID(), e.Name(), e.Pointer(), v, err)

	missing, _ := expr.Parse("$steps.login.outputs.token")
	_, err = missing.Eval(ctx)
	fmt.Println(err, errors.Is(err, expr.ErrNotFound))
	// Output:
	// steps login user /roles/0 admin <nil>
	// $steps.login.outputs.token: step "login" has no output "token" true
}

func ExampleParse_syntaxError() {
	_, err := expr.Parse("$step.a.outputs.b")
	var se *expr.SyntaxError
	fmt.Println(errors.As(err, &se), se.Offset)
	// Output:
	// true 0
}

func ExampleCompileCondition() {
	cond, err := expr.CompileCondition("$statusCode == 200 && $response.body#/status == 'AVAILABLE'")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := &expr.Context{
		StatusCode: 200,
		Response:   &expr.Message{Body: map[string]any{"status": "available"}},
	}
	ok, err := cond.Eval(ctx)
	fmt.Println(ok, err)
	fmt.Println(cond.Explain(ctx))

	_, err = expr.CompileCondition("$statusCode = 200")
	fmt.Println(err)
	// Output:
	// true <nil>
	// $statusCode = 200, $response.body#/status = "available"
	// offset 12: unexpected "="; use "==" to compare
}

func ExampleParseTemplate() {
	ctx := &expr.Context{Inputs: map[string]any{"token": "t0k", "limit": 10}}
	for _, s := range []string{"Bearer {$inputs.token}", "$inputs.limit", "plain"} {
		t, err := expr.ParseTemplate(s)
		if err != nil {
			fmt.Println(err)
			return
		}
		v, err := t.Eval(ctx)
		fmt.Printf("%T %v %v\n", v, v, err)
	}
	// Output:
	// string Bearer t0k <nil>
	// int 10 <nil>
	// string plain <nil>
}

func ExampleEvalValue() {
	body := map[string]any{
		"user":  "$inputs.user",
		"notes": []any{"limit is {$inputs.limit}"},
	}
	ctx := &expr.Context{Inputs: map[string]any{"user": map[string]any{"id": 7}, "limit": 10}}
	v, err := expr.EvalValue(body, ctx)
	fmt.Println(v, err)
	// Output:
	// map[notes:[limit is 10] user:map[id:7]] <nil>
}

func ExamplePointer_Set() {
	p, _ := expr.ParsePointer("/pet/tags/-")
	doc := map[string]any{"pet": map[string]any{"tags": []any{"a"}}}
	doc2, err := p.Set(doc, "b")
	fmt.Println(doc2, err)
	// Output:
	// map[pet:map[tags:[a b]]] <nil>
}
