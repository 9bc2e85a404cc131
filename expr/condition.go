package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	exprlang "github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// Condition is a compiled Arazzo "simple" condition (Criterion Object with
// no type, Arazzo §"Criterion Object"), such as
// $statusCode == 200 && $response.body#/data != null.
//
// The language, whose gaps the spec leaves open, is decided here as AMB-07
// and COND-10 propose:
//
//   - literals: true, false, null (any case), JSON numbers, and strings in
//     single quotes, where two single quotes stand for one; double-quoted
//     strings are tolerated, with two double quotes standing for one;
//   - operators, loosest first: ||, &&, == !=, < <= > >=, then !, then
//     [n] (index) and .name (member) on any value; ( ) groups; binary
//     operators associate left;
//   - a runtime expression ends at whitespace or any of = ! < > & | ( ) , [ ],
//     so $response.body#/a/b == 1 works, and a dot path after body is a
//     JSON Pointer; {$…} embedded expressions are accepted, and so is a
//     whole condition wrapped in { } (COND-07);
//   - a missing value is null, not an error;
//   - == and != ignore case on strings (COND-03), compare numbers by value
//     across Go types and against numeric strings (COND-05), and null equals
//     only null (COND-06), a string "true" or "false" equals the boolean,
//     and objects and arrays compare member by member;
//   - < <= > >= order numbers (and numeric strings against numbers) and
//     strings ignoring case; with null or mismatched types they are false;
//   - !, && and || treat only true as true: a non-boolean operand counts as
//     false, so type mismatches fail instead of throwing.
//
// A Condition is immutable after [CompileCondition] and safe for concurrent
// use.
type Condition struct {
	src     string
	exprs   []Expression
	program *vm.Program
}

// CompileCondition parses s and compiles it once into an expr-lang program.
// Syntax errors are *SyntaxError with the byte offset into s.
func CompileCondition(s string) (*Condition, error) {
	if len(s) > MaxExpressionBytes {
		return nil, &SyntaxError{Source: s, Offset: MaxExpressionBytes,
			Msg: fmt.Sprintf("condition is %d bytes long, more than the limit of %d: split it into several criteria", len(s), MaxExpressionBytes)}
	}
	lo, hi := trimBraces(s)
	toks, exprs, err := lexCondition(s, lo, hi)
	if err != nil {
		return nil, err
	}
	p := &condParser{src: s, toks: toks, end: hi}
	code, err := p.parse()
	if err != nil {
		return nil, err
	}
	program, cerr := exprlang.Compile(code,
		exprlang.DisableAllBuiltins(),
		exprlang.Patch(&patcher{lits: p.lits}),
		exprlang.Function("lit", placeholder, new(func(int) any)),
		exprlang.Function("rt", runtimeValue, new(func(any, int) any)),
		exprlang.Function("get", getMember, new(func(any, any) any)),
		exprlang.Function("truthy", truthy, new(func(any) bool)),
		exprlang.Function("eq", compareFunc(func(a, b any) bool { return looseEqual(a, b) }), new(func(any, any) bool)),
		exprlang.Function("ne", compareFunc(func(a, b any) bool { return !looseEqual(a, b) }), new(func(any, any) bool)),
		exprlang.Function("lt", orderFunc(func(c int) bool { return c < 0 }), new(func(any, any) bool)),
		exprlang.Function("le", orderFunc(func(c int) bool { return c <= 0 }), new(func(any, any) bool)),
		exprlang.Function("gt", orderFunc(func(c int) bool { return c > 0 }), new(func(any, any) bool)),
		exprlang.Function("ge", orderFunc(func(c int) bool { return c >= 0 }), new(func(any, any) bool)),
	)
	if cerr != nil {
		// The parser above accepts only what translates cleanly, so this is a
		// bug; report it rather than panic.
		return nil, &SyntaxError{Source: s, Offset: lo, Msg: "cannot compile condition: " + cerr.Error()}
	}
	return &Condition{src: s, exprs: exprs, program: program}, nil
}

// Source returns the condition text as given.
func (c *Condition) Source() string { return c.src }

// String returns the condition text as given.
func (c *Condition) String() string { return c.src }

// Expressions returns the runtime expressions in the condition, in source
// order; their offsets are positions in the condition text.
func (c *Condition) Expressions() []Expression { return append([]Expression(nil), c.exprs...) }

// evalEnv is what the compiled program sees as $env.
type evalEnv struct {
	ctx  *Context
	cond *Condition
}

type runner struct {
	vm  vm.VM
	env evalEnv
}

var runners = sync.Pool{New: func() any { return new(runner) }}

// Eval evaluates the condition against ctx (nil is an empty Context). It
// reports true only for a true result. A null result is false with no
// error (COND-04); any other non-boolean result is false with an error
// wrapping [ErrNotBoolean]. Eval never panics.
func (c *Condition) Eval(ctx *Context) (ok bool, err error) {
	if c == nil || c.program == nil {
		return false, errors.New("condition is not compiled; use CompileCondition")
	}
	r := runners.Get().(*runner)
	defer func() {
		if p := recover(); p != nil {
			ok, err = false, fmt.Errorf("condition %q: %v", c.src, p)
			r = new(runner) // the VM may be in a bad state; drop it
		}
		r.env = evalEnv{}
		runners.Put(r)
	}()
	r.env = evalEnv{ctx: ctx, cond: c}
	out, err := r.vm.Run(c.program, &r.env)
	if err != nil {
		return false, fmt.Errorf("condition %q: %w", c.src, err)
	}
	switch v := out.(type) {
	case bool:
		return v, nil
	case nil:
		return false, nil
	}
	return false, fmt.Errorf("condition %q gave %s %s: %w", c.src, typeName(out), formatValue(out), ErrNotBoolean)
}

// Explain lists each runtime expression in the condition with the value it
// has in ctx, e.g. `$statusCode = 500, $response.body#/id = (missing)`, for
// messages about failed criteria.
func (c *Condition) Explain(ctx *Context) string {
	var b strings.Builder
	seen := make(map[string]bool, len(c.exprs))
	for i := range c.exprs {
		e := &c.exprs[i]
		if seen[e.src] {
			continue
		}
		seen[e.src] = true
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.src)
		b.WriteString(" = ")
		if v, miss := e.resolve(ctx); miss != "" {
			b.WriteString("(missing)")
		} else {
			b.WriteString(formatValue(v))
		}
	}
	return b.String()
}

// formatValue renders v as JSON, shortened to about 200 bytes.
func formatValue(v any) string {
	var s string
	if _, ok := toNumber(v); ok {
		b, _ := appendText(nil, v)
		s = string(b)
	} else if data, err := json.Marshal(v); err == nil {
		s = string(data)
	} else {
		s = fmt.Sprint(v)
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Functions the compiled program calls. They never fail: runtime errors in
// a condition become null or false (AMB-07).

func placeholder(params ...any) (any, error) { return nil, nil }

func runtimeValue(params ...any) (any, error) {
	env, ok := params[0].(*evalEnv)
	if !ok || env.cond == nil {
		return nil, nil
	}
	i, _ := params[1].(int)
	if i < 0 || i >= len(env.cond.exprs) {
		return nil, nil
	}
	v, miss := env.cond.exprs[i].resolve(env.ctx)
	if miss != "" {
		return nil, nil
	}
	return v, nil
}

func getMember(params ...any) (any, error) { return member(params[0], params[1]), nil }

func truthy(params ...any) (any, error) {
	b, _ := params[0].(bool)
	return b, nil
}

func compareFunc(f func(a, b any) bool) func(params ...any) (any, error) {
	return func(params ...any) (any, error) { return f(params[0], params[1]), nil }
}

func orderFunc(f func(int) bool) func(params ...any) (any, error) {
	return func(params ...any) (any, error) {
		c, ok := order(params[0], params[1])
		return ok && f(c), nil
	}
}

// patcher rewrites the parsed expr-lang tree: lit(i) placeholders become
// constants, comparisons call eq/ne/lt/le/gt/ge, member access calls get,
// and the operands of !, && and || go through truthy.
type patcher struct {
	lits []any
}

var compareNames = map[string]string{"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}

func call(name string, args ...ast.Node) *ast.CallNode {
	return &ast.CallNode{Callee: &ast.IdentifierNode{Value: name}, Arguments: args}
}

func (p *patcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || id.Value != "lit" || len(n.Arguments) != 1 {
			return
		}
		i, ok := n.Arguments[0].(*ast.IntegerNode)
		if ok && i.Value >= 0 && i.Value < len(p.lits) {
			ast.Patch(node, &ast.ConstantNode{Value: p.lits[i.Value]})
		}
	case *ast.BinaryNode:
		if name, ok := compareNames[n.Operator]; ok {
			ast.Patch(node, call(name, n.Left, n.Right))
			return
		}
		if n.Operator == "&&" || n.Operator == "||" {
			n.Left = call("truthy", n.Left)
			n.Right = call("truthy", n.Right)
		}
	case *ast.UnaryNode:
		if n.Operator == "!" {
			n.Node = call("truthy", n.Node)
		}
	case *ast.MemberNode:
		ast.Patch(node, call("get", n.Node, n.Property))
	}
}

// trimBraces returns the bounds of s without surrounding space and, when the
// whole condition is wrapped in one pair of braces ({$statusCode == 401} in
// the 1.0.1 Components example), without those.
func trimBraces(s string) (int, int) {
	lo, hi := 0, len(s)
	for lo < hi && isSpace(s[lo]) {
		lo++
	}
	for hi > lo && isSpace(s[hi-1]) {
		hi--
	}
	if hi-lo >= 2 && s[lo] == '{' && s[hi-1] == '}' && strings.IndexByte(s[lo:hi], '}') == hi-lo-1 {
		return lo + 1, hi - 1
	}
	return lo, hi
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tStr
	tLit  // true, false, null
	tExpr // runtime expression
	tWord
	tOp // == != < <= > >= && || !
	tLParen
	tRParen
	tLBrack
	tRBrack
	tDot
)

type token struct {
	kind tokKind
	pos  int
	text string // source text
	val  any    // tNum: int64 or float64; tStr: string; tLit: code
	expr int    // tExpr: index into the expressions
}

// exprStop lists the bytes that end a runtime expression in a condition.
const exprStop = "=!<>&|(),[]"

func lexCondition(s string, lo, hi int) ([]token, []Expression, error) {
	var toks []token
	var exprs []Expression
	fail := func(at int, format string, args ...any) error {
		return &SyntaxError{Source: s, Offset: at, Msg: fmt.Sprintf(format, args...)}
	}
	i := lo
	for i < hi {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '$':
			j := i
			for j < hi && !isSpace(s[j]) && strings.IndexByte(exprStop, s[j]) < 0 {
				j++
			}
			e, err := parseExpression(s, s[i:j], i)
			if err != nil {
				return nil, nil, err
			}
			toks = append(toks, token{kind: tExpr, pos: i, text: s[i:j], expr: len(exprs)})
			exprs = append(exprs, e)
			i = j
		case c == '{':
			j := i + 1
			for j < hi && isSpace(s[j]) {
				j++
			}
			if j >= hi || s[j] != '$' {
				return nil, nil, fail(i, "unexpected \"{\"; only {$…} embedded expressions may use braces")
			}
			end := strings.IndexByte(s[j:hi], '}')
			if end < 0 {
				return nil, nil, fail(i, "unterminated embedded expression: missing \"}\"")
			}
			end += j
			inner := strings.TrimRight(s[j:end], " \t\r\n")
			e, err := parseExpression(s, inner, j)
			if err != nil {
				return nil, nil, err
			}
			toks = append(toks, token{kind: tExpr, pos: i, text: s[i : end+1], expr: len(exprs)})
			exprs = append(exprs, e)
			i = end + 1
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			closed := false
			for j < hi {
				if s[j] == c {
					if j+1 < hi && s[j+1] == c {
						b.WriteByte(c)
						j += 2
						continue
					}
					closed = true
					j++
					break
				}
				b.WriteByte(s[j])
				j++
			}
			if !closed {
				return nil, nil, fail(i, "unterminated string starting %s", clip(s[i:hi]))
			}
			toks = append(toks, token{kind: tStr, pos: i, text: s[i:j], val: b.String()})
			i = j
		case isDigit(c) || (c == '-' && i+1 < hi && isDigit(s[i+1])):
			j := i + 1
			for j < hi && (isAlpha(s[j]) || isDigit(s[j]) || s[j] == '.' || s[j] == '_' ||
				((s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E'))) {
				j++
			}
			// A member access such as [0].name after a number is not part of it.
			text := s[i:j]
			if k := strings.IndexByte(text, '.'); k >= 0 && k+1 < len(text) && !isDigit(text[k+1]) {
				text = text[:k]
				j = i + k
			}
			if digits := strings.TrimPrefix(text, "-"); !looksNumeric(text) || len(digits) > 1 && digits[0] == '0' && isDigit(digits[1]) {
				return nil, nil, fail(i, "invalid number %q", text)
			}
			var val any
			if n, err := strconv.ParseInt(text, 10, 64); err == nil {
				val = n
			} else if f, err := strconv.ParseFloat(text, 64); err == nil {
				val = f
			} else {
				return nil, nil, fail(i, "number %q is out of range", text)
			}
			toks = append(toks, token{kind: tNum, pos: i, text: text, val: val})
			i = j
		case isAlpha(c) || c == '_':
			j := i + 1
			for j < hi && (isStrict(s[j])) {
				j++
			}
			w := s[i:j]
			switch strings.ToLower(w) {
			case "true", "false", "null":
				toks = append(toks, token{kind: tLit, pos: i, text: w, val: strings.ToLower(w)})
			default:
				toks = append(toks, token{kind: tWord, pos: i, text: w})
			}
			i = j
		default:
			two := ""
			if i+1 < hi {
				two = s[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=", "&&", "||":
				toks = append(toks, token{kind: tOp, pos: i, text: two})
				i += 2
				continue
			}
			k := tOp
			switch c {
			case '<', '>', '!':
			case '(':
				k = tLParen
			case ')':
				k = tRParen
			case '[':
				k = tLBrack
			case ']':
				k = tRBrack
			case '.':
				k = tDot
			case '=':
				return nil, nil, fail(i, "unexpected \"=\"; use \"==\" to compare")
			case '&':
				return nil, nil, fail(i, "unexpected \"&\"; use \"&&\"")
			case '|':
				return nil, nil, fail(i, "unexpected \"|\"; use \"||\"")
			default:
				r := []rune(s[i:hi])[0]
				return nil, nil, fail(i, "unexpected character %q", r)
			}
			toks = append(toks, token{kind: k, pos: i, text: s[i : i+1]})
			i++
		}
	}
	toks = append(toks, token{kind: tEOF, pos: hi})
	return toks, exprs, nil
}

func clip(s string) string {
	if len(s) > 20 {
		return strconv.Quote(s[:20]) + "…"
	}
	return strconv.Quote(s)
}

// condParser is a recursive-descent parser over the tokens that emits a
// fully parenthesised expr-lang program, so that expr-lang's own precedence
// (which puts == and < on one level) never applies.
type condParser struct {
	src   string
	toks  []token
	i     int
	end   int
	lits  []any
	depth int // nesting of "(" and "!", bounded by MaxConditionDepth
}

// nest enters one level of "(" or "!" at offset at; the caller calls leave when done.
func (p *condParser) nest(at int) error {
	p.depth++
	if p.depth > MaxConditionDepth {
		return p.fail(at, "condition nests parentheses and \"!\" more than %d deep: simplify it", MaxConditionDepth)
	}
	return nil
}

func (p *condParser) leave() { p.depth-- }

func (p *condParser) peek() token { return p.toks[p.i] }

func (p *condParser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *condParser) fail(at int, format string, args ...any) error {
	return &SyntaxError{Source: p.src, Offset: at, Msg: fmt.Sprintf(format, args...)}
}

func (p *condParser) parse() (string, error) {
	if p.peek().kind == tEOF {
		return "", p.fail(p.peek().pos, "empty condition")
	}
	code, err := p.or()
	if err != nil {
		return "", err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return "", p.fail(t.pos, "unexpected \")\" without a matching \"(\"")
		}
		return "", p.fail(t.pos, "expected an operator, got %q", t.text)
	}
	return code, nil
}

// binary parses left-associative levels: ops are the operators of this
// level and sub parses the tighter one.
func (p *condParser) binary(ops []string, sub func() (string, error)) (string, error) {
	left, err := sub()
	if err != nil {
		return "", err
	}
	for {
		t := p.peek()
		if t.kind != tOp || !contains(ops, t.text) {
			return left, nil
		}
		p.next()
		right, err := sub()
		if err != nil {
			return "", err
		}
		left = "(" + left + " " + t.text + " " + right + ")"
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	orOps  = []string{"||"}
	andOps = []string{"&&"}
	eqOps  = []string{"==", "!="}
	relOps = []string{"<", "<=", ">", ">="}
)

func (p *condParser) or() (string, error)  { return p.binary(orOps, p.and) }
func (p *condParser) and() (string, error) { return p.binary(andOps, p.eq) }
func (p *condParser) eq() (string, error)  { return p.binary(eqOps, p.rel) }
func (p *condParser) rel() (string, error) { return p.binary(relOps, p.unary) }

func (p *condParser) unary() (string, error) {
	if t := p.peek(); t.kind == tOp && t.text == "!" {
		p.next()
		if err := p.nest(t.pos); err != nil {
			return "", err
		}
		defer p.leave()
		x, err := p.unary()
		if err != nil {
			return "", err
		}
		return "!(" + x + ")", nil
	}
	return p.postfix()
}

func (p *condParser) lit(v any) string {
	p.lits = append(p.lits, v)
	return "lit(" + strconv.Itoa(len(p.lits)-1) + ")"
}

func (p *condParser) postfix() (string, error) {
	x, err := p.primary()
	if err != nil {
		return "", err
	}
	for {
		switch t := p.peek(); t.kind {
		case tLBrack:
			p.next()
			k := p.next()
			switch {
			case k.kind == tStr:
				x += "[" + p.lit(k.val) + "]"
			case k.kind == tNum:
				n, ok := k.val.(int64)
				if !ok || n < 0 {
					return "", p.fail(k.pos, "index %s is not a non-negative integer", k.text)
				}
				x += "[" + p.lit(n) + "]"
			case k.kind == tEOF:
				return "", p.fail(k.pos, "missing index after \"[\"")
			default:
				return "", p.fail(k.pos, "index must be a number or a quoted string, got %q", k.text)
			}
			if r := p.next(); r.kind != tRBrack {
				return "", p.fail(r.pos, "missing \"]\" to close \"[\" at offset %d", t.pos)
			}
		case tDot:
			p.next()
			k := p.next()
			switch k.kind {
			case tWord, tLit, tNum:
				x += "[" + p.lit(k.text) + "]"
			default:
				return "", p.fail(k.pos, "expected a property name after \".\"")
			}
		default:
			return x, nil
		}
	}
}

func (p *condParser) primary() (string, error) {
	t := p.next()
	switch t.kind {
	case tNum, tStr:
		return p.lit(t.val), nil
	case tLit:
		switch t.val {
		case "true":
			return "true", nil
		case "false":
			return "false", nil
		}
		return "nil", nil
	case tExpr:
		return "rt($env, " + strconv.Itoa(t.expr) + ")", nil
	case tLParen:
		if err := p.nest(t.pos); err != nil {
			return "", err
		}
		defer p.leave()
		x, err := p.or()
		if err != nil {
			return "", err
		}
		if r := p.next(); r.kind != tRParen {
			if r.kind == tEOF {
				return "", p.fail(r.pos, "missing \")\" to close \"(\" at offset %d", t.pos)
			}
			return "", p.fail(r.pos, "expected an operator or \")\", got %q", r.text)
		}
		return "(" + x + ")", nil
	case tWord:
		return "", p.fail(t.pos, "unexpected word %q; quote strings with ' and start runtime expressions with $", t.text)
	case tEOF:
		if p.i > 0 {
			return "", p.fail(t.pos, "expected a value after %q", p.toks[p.i-1].text)
		}
		return "", p.fail(t.pos, "expected a value")
	}
	return "", p.fail(t.pos, "expected a value, got %q", t.text)
}
