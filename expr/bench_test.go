package expr

import "testing"

func BenchmarkConditionEval(b *testing.B) {
	c, err := CompileCondition("$statusCode == 200 && $response.body#/data/id != null && $response.header.X-Rate-Limit > 10")
	if err != nil {
		b.Fatal(err)
	}
	ctx := condContext()
	b.ReportAllocs()
	for b.Loop() {
		ok, err := c.Eval(ctx)
		if err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkTemplateEval(b *testing.B) {
	t, err := ParseTemplate("https://{$inputs.user.name}/pets/{$request.path.petId}?n={$inputs.n}")
	if err != nil {
		b.Fatal(err)
	}
	ctx := testContext()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.Eval(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExpressionEval(b *testing.B) {
	e, err := Parse("$steps.login.outputs.body#/x/1")
	if err != nil {
		b.Fatal(err)
	}
	ctx := testContext()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Eval(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileCondition(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompileCondition("$statusCode == 200 && $response.body#/data != null"); err != nil {
			b.Fatal(err)
		}
	}
}
