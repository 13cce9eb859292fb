package models

import (
	"strings"
	"testing"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in, cur string
		minor   int64
		err     string
	}{
		{"2350", "EUR", 235000, ""},
		{"2350.5", "EUR", 235050, ""},
		{"2350.00", "EUR", 235000, ""},
		{"0.01", "EUR", 1, ""},
		{"1000", "JPY", 1000, ""},
		{"1.234", "BHD", 1234, ""},
		{"-5", "EUR", 0, "positive"},
		{"+5", "EUR", 0, "positive"},
		{"0", "EUR", 0, "more than zero"},
		{"0.00", "EUR", 0, "more than zero"},
		{"1e3", "EUR", 0, "positive"},
		{"1E3", "EUR", 0, "positive"},
		{"12.345", "EUR", 0, "more than 2 decimals"},
		{"12.5", "JPY", 0, "whole number"},
		{"1,000", "EUR", 0, "positive"},
		{" 5", "EUR", 0, "positive"},
		{"5 ", "EUR", 0, "positive"},
		{".5", "EUR", 0, "not a decimal"},
		{"5.", "EUR", 0, "not a decimal"},
		{"", "EUR", 0, "empty"},
		{"NaN", "EUR", 0, "positive"},
		{"Inf", "EUR", 0, "positive"},
		{"0x10", "EUR", 0, "positive"},
		{"05", "EUR", 0, "leading zero"},
		{"1.5", "XXX", 0, "unknown currency"},
		{"1.5", "eur", 0, "unknown currency"},
		{"1.5", "", 0, "unknown currency"},
		{"99999999999999999", "EUR", 0, "too large"},
		{"10000000000001", "EUR", 0, "too large"},
		{"١٢", "EUR", 0, "positive"},
	} {
		m, err := ParseMoney(tc.in, tc.cur)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseMoney(%q,%q) = %v, %v; want error %q", tc.in, tc.cur, m, err, tc.err)
			}
			continue
		}
		if err != nil || m.Minor != tc.minor || m.Currency != tc.cur {
			t.Errorf("ParseMoney(%q,%q) = %v, %v; want %d", tc.in, tc.cur, m, err, tc.minor)
		}
	}
}

func TestMoneyFormats(t *testing.T) {
	for _, tc := range []struct {
		m            Money
		dec, display string
	}{
		{Money{235000, "EUR"}, "2350.00", "€2,350"},
		{Money{1000000, "EUR"}, "10000.00", "€10,000"},
		{Money{1250, "EUR"}, "12.50", "€12.50"},
		{Money{1, "EUR"}, "0.01", "€0.01"},
		{Money{-500, "EUR"}, "-5.00", "-€5"},
		{Money{123456789, "USD"}, "1234567.89", "US$1,234,567.89"},
		{Money{1000, "JPY"}, "1000", "¥1,000"},
		{Money{100000, "CHF"}, "1000.00", "1,000 CHF"},
		{Money{1005, "BHD"}, "1.005", "1.005 BHD"},
		{Money{100, "EUR"}, "1.00", "€1"},
	} {
		if got := tc.m.Decimal(); got != tc.dec {
			t.Errorf("%v.Decimal() = %q, want %q", tc.m, got, tc.dec)
		}
		if got := tc.m.String(); got != tc.display {
			t.Errorf("%v.String() = %q, want %q", tc.m, got, tc.display)
		}
		if tc.m.Minor > 0 {
			back, err := MoneyFromQuantity(tc.m.Quantity())
			if err != nil || back != tc.m {
				t.Errorf("round trip of %v = %v, %v", tc.m, back, err)
			}
		}
	}
}

func TestMoneyFromQuantityRefuses(t *testing.T) {
	for name, q := range map[string]any{
		"not object":   "2350.00",
		"float value":  map[string]any{"hasUnit": "one", "hasNumericalValue": 2350.0, "currency": "EUR"},
		"wrong unit":   map[string]any{"hasUnit": "kg", "hasNumericalValue": "1.00", "currency": "EUR"},
		"no unit":      map[string]any{"hasNumericalValue": "1.00", "currency": "EUR"},
		"no currency":  map[string]any{"hasUnit": "one", "hasNumericalValue": "1.00"},
		"negative":     map[string]any{"hasUnit": "one", "hasNumericalValue": "-1.00", "currency": "EUR"},
		"exponent":     map[string]any{"hasUnit": "one", "hasNumericalValue": "1e2", "currency": "EUR"},
		"over-precise": map[string]any{"hasUnit": "one", "hasNumericalValue": "1.001", "currency": "EUR"},
	} {
		if m, err := MoneyFromQuantity(q); err == nil {
			t.Errorf("%s: accepted as %v", name, m)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, tc := range []struct{ part, whole, want int64 }{
		{235000, 1000000, 23}, {0, 100, 0}, {100, 0, 0}, {150, 100, 150}, {99, 100, 99}, {-5, 100, 0},
	} {
		if got := Percent(tc.part, tc.whole); got != tc.want {
			t.Errorf("Percent(%d,%d) = %d, want %d", tc.part, tc.whole, got, tc.want)
		}
	}
}
