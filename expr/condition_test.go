package expr

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func condContext() *Context {
	c := testContext()
	c.Response.Header["X-Rate-Limit"] = []string{"42"}
	c.Response.Header["X-Flag"] = []string{"TRUE"}
	c.Steps["s"] = map[string]any{
		"list":   []any{"X", map[string]any{"name": "Rex", "age": json.Number("3")}},
		"status": "Available",
		"big":    int64(9007199254740993),
		"flag":   true,
		"n":      nil,
	}
	return c
}

func TestConditionEval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want bool
	}{
		// Literals and basic comparisons.
		{"status equals", "$statusCode == 200", true},
		{"status not equal", "$statusCode != 200", false},
		{"spec example and", "$statusCode == 200 && $response.body#/data != null", true},
		{"spec example or", "$statusCode == 201 || $statusCode == 200", true},
		{"boolean output", "$steps.s.outputs.flag == true", true},
		{"bare boolean", "$steps.s.outputs.flag", true},
		{"literal true", "true", true},
		{"literal false", "false", false},
		{"literal case", "TRUE == True", true},
		{"no spaces", "$statusCode==200&&$statusCode<300", true},
		{"newlines", "$statusCode == 200 &&\n  $statusCode < 300\n", true},

		// Precedence (COND-10): ! > relational > equality > && > ||.
		{"relational before equality", "true == 1 < 2", true},
		{"equality before and", "1 == 1 && 2 == 2", true},
		{"and before or", "true || false && false", true},
		{"and before or left", "false && false || true", true},
		{"not binds tight", "!false == true", true},
		{"not of group", "!(1 == 2)", true},
		{"double not", "!!true", true},
		{"parens override", "(true || false) && false", false},
		{"left assoc", "1 < 2 == true", true},

		// Numbers across types (COND-05, COND-09).
		{"float vs int", "$response.body#/count == 3", true},
		{"json number vs int", "$response.body#/data/id == 42", true},
		{"json number ordering", "$response.body#/data/id > 41.5", true},
		{"numeric header vs number", "$response.header.X-Rate-Limit > 10", true},
		{"numeric header equals", "$response.header.x-rate-limit == 42", true},
		{"string number loose equality", "'200' == $statusCode", true},
		{"non-numeric string vs number", "'abc' == 200", false},
		{"non-numeric string ordering", "'abc' < 200", false},
		{"big int exact", "$steps.s.outputs.big == 9007199254740993", true},
		{"big int differs", "$steps.s.outputs.big == 9007199254740992", false},
		{"negative and exponent", "-1.5e2 < -149", true},
		{"float literal", "0.5 <= 0.5", true},

		// Strings (COND-03).
		{"case-insensitive equality", "$steps.s.outputs.status == 'available'", true},
		{"case-insensitive not equal", "'Available' != 'AVAILABLE'", false},
		{"case-insensitive ordering", "'a' < 'B'", true},
		{"ordering greater", "'b' >= 'A'", true},
		{"quote escape", "'it''s' == 'IT''S'", true},
		{"double-quoted tolerated", `"Available" == 'available'`, true},
		{"string vs boolean", "$response.header.X-Flag == true", true},

		// null (COND-06) and missing values (AMB-07).
		{"null equals null", "null == null", true},
		{"missing is null", "$response.body#/nope == null", true},
		{"missing step is null", "$steps.nope.outputs.x == null", true},
		{"null output is null", "$steps.s.outputs.n == null", true},
		{"present not null", "$response.body.data != null", true},
		{"null not equal zero", "null == 0", false},
		{"null not equal empty string", "null == ''", false},
		{"null ordering false", "null < 1", false},
		{"null ordering false reversed", "1 >= null", false},
		{"missing ordering false", "$response.body#/nope > 0", false},
		{"no response", "$statusCode == 200 && $response.body#/x == 1", false},

		// Index and property access (COND-08).
		{"index", "$steps.s.outputs.list[0] == 'x'", true},
		{"index then member", "$steps.s.outputs.list[1].name == 'rex'", true},
		{"member number", "$steps.s.outputs.list[1].age == 3", true},
		{"index out of range", "$steps.s.outputs.list[9] == null", true},
		{"member of missing", "$steps.nope.outputs.x[0].y == null", true},
		{"member of scalar", "($statusCode).x == null", true},
		{"quoted key", "$response.body['data'].id == 42", true},
		{"dot path after body", "$response.body.data.tags[1] == 'B'", true},
		{"pointer then index", "$response.body#/items[1].id == 2", true},
		{"group then member", "($response.body).count == 3", true},

		// Type mismatches are false, not errors.
		{"object vs number", "$response.body#/data == 1", false},
		{"not of non-boolean", "!$statusCode", true},
		{"and with non-boolean", "$statusCode && true", false},
		{"or with missing", "$response.body#/nope || true", true},
		{"array equality", "$response.body#/data/tags == $response.body#/data/tags", true},
		{"object ordering", "$response.body#/data < 1", false},
		{"bool ordering", "true < false", false},

		// Braces (COND-07).
		{"wrapped in braces", "{$statusCode == 200}", true},
		{"wrapped with spaces", "  { $statusCode != 200 }  ", false},
		{"embedded expressions", "{$statusCode} == 200 && {$response.body#/count} == 3", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := CompileCondition(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.in, c.Source())
			got, err := c.Eval(condContext())
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestConditionNonBoolean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in  string
		err string
	}{
		{"$statusCode", `condition "$statusCode" gave number 200: result is not a boolean`},
		{"'yes'", `condition "'yes'" gave string "yes": result is not a boolean`},
		{"$response.body#/data/tags", `gave array ["a","b"]`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			c, err := CompileCondition(tc.in)
			require.NoError(t, err)
			got, err := c.Eval(condContext())
			assert.False(t, got)
			require.ErrorIs(t, err, ErrNotBoolean)
			assert.Contains(t, err.Error(), tc.err)
		})
	}

	// A null result fails without an error (COND-04).
	c, err := CompileCondition("$response.body#/nope")
	require.NoError(t, err)
	got, err := c.Eval(condContext())
	require.NoError(t, err)
	assert.False(t, got)

	// A nil context is an empty one.
	got, err = c.Eval(nil)
	require.NoError(t, err)
	assert.False(t, got)
}

func TestConditionSyntaxErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string
	}{
		{"empty", "", 0, "empty condition"},
		{"blank", "   ", 3, "empty condition"},
		{"empty braces", "{}", 1, "empty condition"},
		{"unterminated string", "$statusCode == 'abc", 15, "unterminated string"},
		{"unterminated double string", `"abc`, 0, "unterminated string"},
		{"unknown prefix", "$foo == 1", 0, `unknown runtime expression "$foo"`},
		{"bad expression", "$steps.a == 1", 8, "unexpected end"},
		{"bad expression inside", "1 == $inputs.a b", 15, `expected an operator, got "b"`},
		{"dangling operator", "$statusCode ==", 14, `expected a value after "=="`},
		{"dangling and", "true &&", 7, `expected a value after "&&"`},
		{"dangling not", "!", 1, `expected a value after "!"`},
		{"leading operator", "== 1", 0, `expected a value, got "=="`},
		{"single equals", "$statusCode = 200", 12, `use "==" to compare`},
		{"single ampersand", "true & false", 5, `use "&&"`},
		{"single pipe", "true | false", 5, `use "||"`},
		{"two values", "1 2", 2, `expected an operator, got "2"`},
		{"unmatched close", "1 == 1)", 6, `unexpected ")" without a matching "("`},
		{"unclosed paren", "(1 == 1", 7, `missing ")" to close "(" at offset 0`},
		{"junk in group", "(1 == 1 2)", 8, `expected an operator or ")", got "2"`},
		{"bare word", "status == 200", 0, `unexpected word "status"`},
		{"bad char", "1 == 1 ; 2", 7, `unexpected character ';'`},
		{"unicode char", "1 == ü", 5, `unexpected character 'ü'`},
		{"comma", "1, 2", 1, `unexpected character ','`},
		{"bad number", "1x == 1", 0, `invalid number "1x"`},
		{"leading zero", "007 == 7", 0, `invalid number "007"`},
		{"bad exponent", "1e == 1", 0, `invalid number "1e"`},
		{"huge number", "1e999 == 1", 0, "out of range"},
		{"negative index", "$inputs.a[-1]", 10, "not a non-negative integer"},
		{"float index", "$inputs.a[1.5]", 10, "not a non-negative integer"},
		{"bad index", "$inputs.a[true]", 10, "index must be a number or a quoted string"},
		{"unclosed index", "$inputs.a[0", 11, `missing "]"`},
		{"empty index", "$inputs.a[", 10, "missing index"},
		{"missing member name", "($inputs.a).", 12, "property name"},
		{"stray brace", "{ 1 == 1", 0, `unexpected "{"`},
		{"unterminated embedded", "{$statusCode == 1", 0, "unterminated embedded expression"},
		{"bad embedded", "{$nope} == 1", 1, "unknown runtime expression"},
		{"lone dollar", "$ == 1", 0, "unknown runtime expression"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := CompileCondition(tc.in)
			require.Error(t, err)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.in, se.Source)
			assert.Contains(t, se.Msg, tc.msg)
			assert.Equal(t, tc.offset, se.Offset, se.Msg)
		})
	}
}

func TestConditionExpressionsAndExplain(t *testing.T) {
	t.Parallel()
	c, err := CompileCondition("$statusCode == 500 || $statusCode == 503 || $response.body#/error/code == 'X' || $inputs.n > 1")
	require.NoError(t, err)
	var srcs []string
	for _, e := range c.Expressions() {
		srcs = append(srcs, e.String())
		assert.Equal(t, e.String(), c.Source()[e.Offset():e.Offset()+len(e.String())])
	}
	assert.Equal(t, []string{"$statusCode", "$statusCode", "$response.body#/error/code", "$inputs.n"}, srcs)
	assert.Equal(t, `$statusCode = 200, $response.body#/error/code = (missing), $inputs.n = 7`, c.Explain(condContext()))

	long, err := CompileCondition("$response.body != null")
	require.NoError(t, err)
	big := make([]any, 100)
	for i := range big {
		big[i] = "xxxxxxxx"
	}
	got := long.Explain(&Context{Response: &Message{Body: big}})
	assert.Contains(t, got, "…")
	assert.Less(t, len(got), 260)
}

func TestConditionConcurrent(t *testing.T) {
	t.Parallel()
	c, err := CompileCondition("$statusCode == $inputs.want && $response.body#/id == $inputs.want")
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			for j := range 100 {
				n := i*1000 + j + 1
				want := j%2 == 0
				other := n
				if !want {
					other = n + 1
				}
				ctx := &Context{StatusCode: n, Inputs: map[string]any{"want": other}, Response: &Message{Body: map[string]any{"id": float64(other)}}}
				got, err := c.Eval(ctx)
				assert.NoError(t, err)
				assert.Equal(t, want, got)
			}
		})
	}
	wg.Wait()
}

func TestLooseEqualAndOrder(t *testing.T) {
	t.Parallel()
	type custom struct{ A int }
	eq := []struct {
		a, b any
		want bool
	}{
		{int8(1), uint64(1), true},
		{uint32(7), json.Number("7.0"), true},
		{float32(0.5), "0.5", true},
		{uint64(1 << 63), float64(1 << 63), true},
		{"  12 ", 12, true},
		{"0x10", 16, false},
		{json.Number("abc"), "abc", false},
		{map[string]any{"a": "X"}, map[string]any{"a": "x"}, true},
		{map[string]any{"a": 1}, map[string]any{"b": 1}, false},
		{map[string]any{"a": 1}, []any{1}, false},
		{[]any{1, "a"}, []any{1.0, "A"}, true},
		{[]any{1}, []any{2}, false},
		{custom{1}, custom{1}, true},
		{custom{1}, 1, false},
		{1, custom{1}, false},
		{true, 1, false},
		{"yes", true, false},
	}
	for _, tc := range eq {
		assert.Equal(t, tc.want, looseEqual(tc.a, tc.b), "%#v == %#v", tc.a, tc.b)
	}
	c, ok := order("é", "É")
	assert.True(t, ok)
	assert.Equal(t, 0, c)
	c, ok = order("ab", "a")
	assert.True(t, ok)
	assert.Equal(t, 1, c)
	c, ok = order("a", "ab")
	assert.True(t, ok)
	assert.Equal(t, -1, c)
	_, ok = order(json.Number("NaN"), 1)
	assert.False(t, ok)
	assert.Nil(t, member([]any{1}, 0.5))
	assert.Equal(t, 2, member([]any{1, 2}, 1.0))
	assert.Equal(t, "v", member(map[string]any{"0": "v"}, 0))
	assert.Nil(t, member(map[string]any{}, true))
}

func TestConditionZero(t *testing.T) {
	t.Parallel()
	var c *Condition
	ok, err := c.Eval(condContext())
	assert.False(t, ok)
	require.Error(t, err)
	ok, err = (&Condition{}).Eval(nil)
	assert.False(t, ok)
	require.Error(t, err)
}
