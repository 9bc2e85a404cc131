package expr

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// number is a numeric value that remembers whether it is an exact integer,
// so that large integers compare without float rounding.
type number struct {
	f     float64
	i     int64
	isInt bool
}

// toNumber converts Go numeric types and json.Number. Strings are not
// numbers here; see numericString.
func toNumber(v any) (number, bool) {
	switch x := v.(type) {
	case float64:
		return number{f: x}, true
	case int:
		return number{f: float64(x), i: int64(x), isInt: true}, true
	case int64:
		return number{f: float64(x), i: x, isInt: true}, true
	case json.Number:
		return numericString(string(x))
	case float32:
		return number{f: float64(x)}, true
	case int8:
		return toNumber(int64(x))
	case int16:
		return toNumber(int64(x))
	case int32:
		return toNumber(int64(x))
	case uint8:
		return toNumber(int64(x))
	case uint16:
		return toNumber(int64(x))
	case uint32:
		return toNumber(int64(x))
	case uint:
		return toNumber(uint64(x))
	case uint64:
		if x > math.MaxInt64 {
			return number{f: float64(x)}, true
		}
		return toNumber(int64(x))
	}
	return number{}, false
}

// numericString reads s as a JSON-style number (optional sign, digits,
// optional fraction and exponent, surrounding spaces ignored), as COND-05
// asks for header values like "42".
func numericString(s string) (number, bool) {
	s = strings.TrimSpace(s)
	if !looksNumeric(s) {
		return number{}, false
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return number{f: float64(i), i: i, isInt: true}, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return number{}, false
	}
	return number{f: f}, true
}

func looksNumeric(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// compareNumbers returns -1, 0 or 1; ok is false when either side is NaN.
func compareNumbers(a, b number) (int, bool) {
	if a.isInt && b.isInt {
		switch {
		case a.i < b.i:
			return -1, true
		case a.i > b.i:
			return 1, true
		}
		return 0, true
	}
	switch {
	case a.f < b.f:
		return -1, true
	case a.f > b.f:
		return 1, true
	case a.f == b.f:
		return 0, true
	}
	return 0, false
}

// numbersOf converts both sides to numbers when each is a number or a
// numeric string (COND-05).
func numbersOf(a, b any) (x, y number, ok bool) {
	x, aok := toNumber(a)
	y, bok := toNumber(b)
	switch {
	case aok && bok:
		return x, y, true
	case aok:
		if s, isStr := b.(string); isStr {
			y, bok = numericString(s)
			return x, y, bok
		}
	case bok:
		if s, isStr := a.(string); isStr {
			x, aok = numericString(s)
			return x, y, aok
		}
	default:
		// Two strings that both parse as numbers (header values, query text) compare as
		// numbers, so "10" > "9" holds.
		sa, aStr := a.(string)
		sb, bStr := b.(string)
		if aStr && bStr {
			x, aok = numericString(sa)
			y, bok = numericString(sb)
			return x, y, aok && bok
		}
	}
	return x, y, false
}

// looseEqual implements == for conditions: null equals only null (COND-06),
// numbers compare by value across Go types and against numeric strings
// (COND-05, COND-09), strings compare ignoring case (COND-03), a string
// "true"/"false" equals the boolean, and objects and arrays compare member by
// member with the same rules. Everything else is unequal.
func looseEqual(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if x, y, ok := numbersOf(a, b); ok {
		c, ok := compareNumbers(x, y)
		return ok && c == 0
	}
	switch x := a.(type) {
	case string:
		switch y := b.(type) {
		case string:
			return strings.EqualFold(x, y)
		case bool:
			return strings.EqualFold(strings.TrimSpace(x), strconv.FormatBool(y))
		}
		return false
	case bool:
		switch y := b.(type) {
		case bool:
			return x == y
		case string:
			return strings.EqualFold(strings.TrimSpace(y), strconv.FormatBool(x))
		}
		return false
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !looseEqual(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !looseEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	if _, ok := toNumber(a); ok {
		return false
	}
	if _, ok := toNumber(b); ok {
		return false
	}
	return reflect.DeepEqual(a, b)
}

// order implements < <= > >= for conditions: numbers (and numeric strings
// against numbers) by value, two strings by case-insensitive code point
// order. Any other pair, null included, is not ordered (COND-06), and every
// ordering comparison on it is false.
func order(a, b any) (int, bool) {
	if a == nil || b == nil {
		return 0, false
	}
	if x, y, ok := numbersOf(a, b); ok {
		return compareNumbers(x, y)
	}
	x, ok := a.(string)
	if !ok {
		return 0, false
	}
	y, ok := b.(string)
	if !ok {
		return 0, false
	}
	return compareFold(x, y), true
}

// compareFold compares strings rune by rune after lower-casing, without
// allocating.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		ra, rb = unicode.ToLower(ra), unicode.ToLower(rb)
		if ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// member implements [n] and .name in conditions: it never fails, and gives
// nil for anything absent (AMB-07).
func member(base, key any) any {
	switch k := key.(type) {
	case string:
		v, _ := child(base, k)
		return v
	case int64:
		v, _ := index(base, k)
		return v
	case int:
		v, _ := index(base, int64(k))
		return v
	}
	if n, ok := toNumber(key); ok && n.f == math.Trunc(n.f) {
		v, _ := index(base, int64(n.f))
		return v
	}
	return nil
}
