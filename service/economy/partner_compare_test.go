package economy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/economy"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestPartnerPledgedAgainstDelivered: the monthly amount a partner pledged
// is compared, month by month, with the transfers the ledger records from it
// to the community; other currencies are not counted towards it.
func TestPartnerPledgedAgainstDelivered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		p, err := f.s.Economy.RequestPartnership(f.ctx, f.treasurer, economy.PartnershipInput{As: "seedfund", Community: "seeds",
			Pledge: "We fund the hosting.", Terms: "€100 a month, 10 hours a month, 5 % of revenue",
			Structured: economy.TermsInput{Amount: "100", Currency: "EUR", Hours: "10", Percent: "5"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Economy.DecidePartnership(f.ctx, f.alice, p.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, r := range []economy.ReceiptInput{{Ledger: "seedfund", Amount: "1000", Currency: "EUR"}, {Ledger: "seedfund", Amount: "50", Currency: "USD"}} {
			if _, err := f.s.Economy.RecordReceipt(f.ctx, f.treasurer, r); err != nil {
				t.Fatal(err)
			}
		}
		give := func(amount, cur string) {
			t.Helper()
			if _, err := f.s.Economy.RecordDisbursement(f.ctx, f.treasurer, economy.DisbursementInput{Ledger: "seedfund", To: "seeds",
				Amount: amount, Currency: cur}); err != nil {
				t.Fatal(err)
			}
		}
		give("60", "EUR") // December 2026
		f.now = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
		give("70", "EUR")
		give("30.50", "EUR")
		give("30", "USD") // not in the pledge's currency
		v, err := f.s.Economy.PartnerPage(f.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Promised.Monthly != (models.Money{Minor: 10000, Currency: "EUR"}) || v.Promised.Hours != 10 || v.Promised.Percent() != "5 %" {
			t.Fatalf("promised %+v", v.Promised)
		}
		if len(v.Months) != 2 {
			t.Fatalf("months %+v", v.Months)
		}
		jan, dec := v.Months[0], v.Months[1]
		if jan.Label() != "January 2027" || jan.Delivered.Minor != 10050 || !jan.Met() || jan.Shortfall().Minor != 0 {
			t.Errorf("January %+v", jan)
		}
		if dec.Label() != "December 2026" || dec.Delivered.Minor != 6000 || dec.Met() || dec.Shortfall().Minor != 4000 {
			t.Errorf("December %+v", dec)
		}
	})
}

// TestParseTerms: the measurable terms are read strictly.
func TestParseTerms(t *testing.T) {
	for _, tc := range []struct {
		in   economy.TermsInput
		want economy.Terms
		err  string
	}{
		{in: economy.TermsInput{}, want: economy.Terms{}},
		{in: economy.TermsInput{Amount: "12.50", Currency: "eur", Hours: "744", Percent: "2.5"},
			want: economy.Terms{Monthly: models.Money{Minor: 1250, Currency: "EUR"}, Hours: 744, PercentBP: 250}},
		{in: economy.TermsInput{Percent: "100"}, want: economy.Terms{PercentBP: 10000}},
		{in: economy.TermsInput{Percent: "0.01"}, want: economy.Terms{PercentBP: 1}},
		{in: economy.TermsInput{Amount: "-5", Currency: "EUR"}, err: "amount"},
		{in: economy.TermsInput{Amount: "5", Currency: "XXX"}, err: "amount"},
		{in: economy.TermsInput{Hours: "0"}, err: "hours"},
		{in: economy.TermsInput{Hours: "745"}, err: "hours"},
		{in: economy.TermsInput{Hours: "1.5"}, err: "hours"},
		{in: economy.TermsInput{Percent: "0"}, err: "more than 0"},
		{in: economy.TermsInput{Percent: "100.5"}, err: "at most 100"},
		{in: economy.TermsInput{Percent: "5e1"}, err: "percentage"},
		{in: economy.TermsInput{Percent: "2.555"}, err: "percentage"},
	} {
		got, err := economy.ParseTerms(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%+v = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}
