package models

import (
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in integer minor units of one ISO 4217 currency (cents
// for EUR, yen for JPY). No floats anywhere: amounts are parsed from and
// written as decimal strings with exactly the currency's number of digits, and
// amounts of different currencies are never added together.
//
// Decision: Money lives in models (not a package of its own) because every
// layer that shows or stores an amount already imports models; a new package
// would add a row to the import-arrows table of every one of them.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// Currency is one ISO 4217 currency: its code and its number of minor digits.
type Currency struct {
	Code   string
	Digits int
	Symbol string // shown before the amount ("€2,350"); "" → the code after it
}

// currencies is the table of accepted currencies (ISO 4217, minor digits as the
// standard gives them). Anything else is refused.
var currencies = map[string]Currency{}

func init() {
	for _, c := range []Currency{
		{"EUR", 2, "€"}, {"USD", 2, "US$"}, {"GBP", 2, "£"}, {"JPY", 0, "¥"}, {"CHF", 2, ""},
		{"CAD", 2, "CA$"}, {"AUD", 2, "A$"}, {"NZD", 2, "NZ$"}, {"SEK", 2, ""}, {"NOK", 2, ""},
		{"DKK", 2, ""}, {"PLN", 2, ""}, {"CZK", 2, ""}, {"HUF", 2, ""}, {"RON", 2, ""},
		{"BGN", 2, ""}, {"ISK", 0, ""}, {"TRY", 2, ""}, {"BRL", 2, "R$"}, {"MXN", 2, "MX$"},
		{"ARS", 2, ""}, {"CLP", 0, ""}, {"COP", 2, ""}, {"INR", 2, "₹"}, {"CNY", 2, "CN¥"},
		{"KRW", 0, "₩"}, {"HKD", 2, "HK$"}, {"SGD", 2, ""}, {"TWD", 2, ""}, {"ZAR", 2, ""},
		{"KES", 2, ""}, {"NGN", 2, ""}, {"ILS", 2, "₪"}, {"UAH", 2, ""}, {"IDR", 2, ""},
		{"PHP", 2, ""}, {"THB", 2, ""}, {"VND", 0, ""}, {"BHD", 3, ""}, {"KWD", 3, ""},
		{"JOD", 3, ""}, {"OMR", 3, ""}, {"TND", 3, ""},
	} {
		currencies[c.Code] = c
	}
}

// LookupCurrency returns the currency of an ISO 4217 code (upper case only).
func LookupCurrency(code string) (Currency, bool) {
	c, ok := currencies[code]
	return c, ok
}

// Currencies lists the accepted codes, sorted.
func Currencies() []string {
	out := make([]string, 0, len(currencies))
	for k := range currencies {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// maxMinor bounds every amount (10^15 minor units: a trillion euros), so that
// sums of many amounts stay far from int64 overflow.
const maxMinor = 1_000_000_000_000_000

// ParseMoney reads a strictly formatted positive amount in major units: digits,
// optionally a point and at most the currency's number of digits ("2350",
// "2350.5", "2350.00"). It refuses signs, zero, exponents, thousands
// separators, spaces, a bare point, over-precision and unknown currencies.
func ParseMoney(s, currency string) (Money, error) {
	c, ok := currencies[currency]
	if !ok {
		return Money{}, fmt.Errorf("unknown currency %q (ISO 4217 code expected, e.g. EUR)", currency)
	}
	if s == "" {
		return Money{}, fmt.Errorf("amount is empty")
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" || (hasPoint && frac == "") {
		return Money{}, fmt.Errorf("amount %q is not a decimal number like 12.50", s)
	}
	for _, part := range []string{intPart, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return Money{}, fmt.Errorf("amount %q is not a positive decimal number like 12.50", s)
			}
		}
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return Money{}, fmt.Errorf("amount %q has a leading zero", s)
	}
	if len(frac) > c.Digits {
		if c.Digits == 0 {
			return Money{}, fmt.Errorf("%s has no minor unit: %q must be a whole number", currency, s)
		}
		return Money{}, fmt.Errorf("amount %q has more than %d decimals for %s", s, c.Digits, currency)
	}
	if len(intPart) > 16 {
		return Money{}, fmt.Errorf("amount %q is too large", s)
	}
	frac += strings.Repeat("0", c.Digits-len(frac))
	v, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil || v > maxMinor {
		return Money{}, fmt.Errorf("amount %q is too large", s)
	}
	if v == 0 {
		return Money{}, fmt.Errorf("amount must be more than zero")
	}
	return Money{Minor: v, Currency: currency}, nil
}

// Decimal is the wire form of the amount in major units with exactly the
// currency's digits ("2350.00"; "-5.00" for a reversing entry).
func (m Money) Decimal() string {
	c := currencies[m.Currency]
	v := m.Minor
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := strconv.FormatInt(v, 10)
	if c.Digits == 0 {
		return sign + s
	}
	if len(s) <= c.Digits {
		s = strings.Repeat("0", c.Digits-len(s)+1) + s
	}
	return sign + s[:len(s)-c.Digits] + "." + s[len(s)-c.Digits:]
}

// String is how people read the amount: the symbol, thousands grouped, minor
// units only when there are any ("€2,350", "€12.50", "1,000 CHF").
func (m Money) String() string {
	c := currencies[m.Currency]
	v := m.Minor
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	div := int64(1)
	for i := 0; i < c.Digits; i++ {
		div *= 10
	}
	whole, minor := v/div, v%div
	ws := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, r := range ws {
		if i > 0 && (len(ws)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	num := b.String()
	if minor != 0 {
		ms := strconv.FormatInt(minor, 10)
		num += "." + strings.Repeat("0", c.Digits-len(ms)) + ms
	}
	if c.Symbol != "" {
		return sign + c.Symbol + num
	}
	return sign + num + " " + m.Currency
}

// Quantity is the ValueFlows/FEP-0837 wire form of an amount:
// {"hasUnit": "one", "hasNumericalValue": "2350.00", "currency": "EUR"}.
func (m Money) Quantity() map[string]any {
	return map[string]any{"hasUnit": "one", "hasNumericalValue": m.Decimal(), "currency": m.Currency}
}

// MoneyFromQuantity reads the wire form of a positive amount strictly (see
// ParseMoney): hasUnit must be "one", hasNumericalValue a string.
func MoneyFromQuantity(v any) (Money, error) {
	q, ok := v.(map[string]any)
	if !ok {
		return Money{}, fmt.Errorf("resourceQuantity is not an object")
	}
	if u, _ := q["hasUnit"].(string); u != "one" {
		return Money{}, fmt.Errorf(`resourceQuantity.hasUnit must be "one"`)
	}
	num, ok := q["hasNumericalValue"].(string)
	if !ok {
		return Money{}, fmt.Errorf("resourceQuantity.hasNumericalValue must be a decimal string")
	}
	cur, _ := q["currency"].(string)
	return ParseMoney(num, cur)
}

// Percent is the integer percentage of part in whole (rounded down), 0 when
// whole is not positive. Integer arithmetic only.
func Percent(part, whole int64) int64 {
	if whole <= 0 || part <= 0 {
		return 0
	}
	return part * 100 / whole
}
