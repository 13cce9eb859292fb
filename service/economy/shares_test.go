package economy_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/economy"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestSplitByWeights: largest remainder in integers sums to the total
// exactly, ties to the earlier, without overflow.
func TestSplitByWeights(t *testing.T) {
	for _, tc := range []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{10, []int64{3, 3, 4}, []int64{3, 3, 4}},
		{7, []int64{1, 2}, []int64{2, 5}},
		{1, []int64{1, 1}, []int64{1, 0}},
		{5, []int64{0, 3}, []int64{0, 5}},
		{1000, []int64{7}, []int64{1000}},
		{math.MaxInt64, []int64{math.MaxInt64, math.MaxInt64}, []int64{math.MaxInt64/2 + 1, math.MaxInt64 / 2}},
		{100, []int64{0, 0}, []int64{0, 0}},
	} {
		got := economy.SplitByWeights(tc.total, tc.weights)
		var sum int64
		for _, g := range got {
			sum += g
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%d %v = %v", tc.total, tc.weights, got)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%d %v = %v, want %v", tc.total, tc.weights, got, tc.want)
				break
			}
		}
		var anyWeight bool
		for _, w := range tc.weights {
			anyWeight = anyWeight || w > 0
		}
		if anyWeight && sum != tc.total {
			t.Errorf("%d %v sums to %d", tc.total, tc.weights, sum)
		}
	}
}

// TestDisbursementShares: shares suggested from the contribution ledger's
// weights, edited, checked (sum, sign, currency of the account, one share per
// recipient) and paid all or nothing when the proposal passes.
func TestDisbursementShares(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		alice, _ := f.s.Accounts.ActorOf(f.ctx, f.alice)
		bob, _ := f.s.Accounts.ActorOf(f.ctx, f.bob)
		carol := f.user(t, "carol")
		carolA, _ := f.s.Accounts.ActorOf(f.ctx, carol)
		// the contribution ledger: alice 2+1, bob 3, carol 0 (left out)
		for i, e := range []struct {
			who    *models.Actor
			weight int
		}{{alice, 2}, {alice, 1}, {bob, 3}, {carolA, 0}} {
			if err := st.DB.Create(&models.LedgerEntry{ID: models.NewID(), CommunityID: f.group.ID, ContributionID: "c" + string(rune('a'+i)),
				ContributorID: e.who.ID, Kind: "code", Weight: e.weight, RecordedAt: f.now}).Error; err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.Economy.RecordReceipt(f.ctx, f.alice, economy.ReceiptInput{Ledger: "seeds", Amount: "100", Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		total, shares, err := f.s.Economy.SuggestShares(f.ctx, f.group, "100.01", "EUR")
		if err != nil {
			t.Fatal(err)
		}
		if total.Minor != 10001 || len(shares) != 2 {
			t.Fatalf("suggested %v %+v", total, shares)
		}
		got := map[string]int64{}
		for _, s := range shares {
			got[s.To.URI] = s.Amount.Minor
		}
		if got[alice.URI]+got[bob.URI] != 10001 || got[alice.URI] < 5000 || got[alice.URI] > 5001 {
			t.Fatalf("shares %v", got)
		}
		if _, _, err := f.s.Economy.SuggestShares(f.ctx, f.group, "1e3", "EUR"); status(err) != 422 {
			t.Errorf("suggest with a bad amount: %v", err)
		}

		propose := func(args string) (*models.Proposal, error) {
			return f.s.Governance.Propose(f.ctx, alice, f.group, service.ProposalInput{Kind: "approve_disbursement",
				Title: "Share the grant", Args: json.RawMessage(args), ClosesAt: f.now.Add(48 * time.Hour)})
		}
		share := func(to, amount string) string { return `{"to":"` + to + `","amount":"` + amount + `"}` }
		for name, args := range map[string]string{
			"sum below the amount":  `{"amount":"60","currency":"EUR","shares":[` + share("alice", "30") + `,` + share("bob", "29.99") + `]}`,
			"sum above the amount":  `{"amount":"60","currency":"EUR","shares":[` + share("alice", "31") + `,` + share("bob", "30") + `]}`,
			"a negative share":      `{"amount":"60","currency":"EUR","shares":[` + share("alice", "70") + `,` + share("bob", "-10") + `]}`,
			"a zero share":          `{"amount":"60","currency":"EUR","shares":[` + share("alice", "60") + `,` + share("bob", "0") + `]}`,
			"over-precise share":    `{"amount":"60","currency":"EUR","shares":[` + share("alice", "30.001") + `,` + share("bob", "29.999") + `]}`,
			"currency not held":     `{"amount":"60","currency":"USD","shares":[` + share("alice", "30") + `,` + share("bob", "30") + `]}`,
			"two shares for one":    `{"amount":"60","currency":"EUR","shares":[` + share("alice", "30") + `,` + share("alice", "30") + `]}`,
			"both to and shares":    `{"to":"bob","amount":"60","currency":"EUR","shares":[` + share("alice", "60") + `]}`,
			"unknown recipient":     `{"amount":"60","currency":"EUR","shares":[` + share("nobody", "60") + `]}`,
			"single to, no account": `{"to":"bob","amount":"5","currency":"CHF"}`,
		} {
			if _, err := propose(args); status(err) != 422 && status(err) != 404 {
				t.Errorf("%s: %v, want 422", name, err)
			}
		}
		decide := func(args string) *models.Proposal {
			t.Helper()
			p, err := propose(args)
			if err != nil {
				t.Fatal(err)
			}
			return f.passByVote(t, alice, p)
		}
		// the suggestion for 60, edited (bob gives 5 of his to carol)
		_, shares, err = f.s.Economy.SuggestShares(f.ctx, f.group, "60", "EUR")
		if err != nil || len(shares) != 2 || shares[0].Amount.Minor+shares[1].Amount.Minor != 6000 {
			t.Fatalf("suggest 60: %+v %v", shares, err)
		}
		p := decide(`{"amount":"60","currency":"EUR","shares":[` + share("alice", "30") + `,` + share("bob", "25") + `,` + share("carol", "5") + `]}`)
		if p.State != models.ProposalPassed || !strings.Contains(p.Outcome, "€60 paid: €30 to "+alice.URI+", €25 to "+bob.URI+", €5 to "+carolA.URI) {
			t.Fatalf("decision: %s %q", p.State, p.Outcome)
		}
		// 40 left: shares of 50 pay nothing at all
		p = decide(`{"amount":"50","currency":"EUR","shares":[` + share("alice", "25") + `,` + share("bob", "25") + `]}`)
		if p.State != models.ProposalPassed || !strings.Contains(p.Outcome, "more than the balance of €40") {
			t.Fatalf("over the balance: %s %q", p.State, p.Outcome)
		}
		tot, _ := f.s.Economy.Totals(f.ctx, economy.LedgerScope{LedgerID: f.group.ID})
		if len(tot) != 1 || tot[0].Disbursed != 6000 || tot[0].Balance() != 4000 {
			t.Fatalf("community totals %+v", tot)
		}
	})
}
