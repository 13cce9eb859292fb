package economy_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/economy"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

var status = servicetest.Status

// jobs stands in for the queue (servicetest.Jobs).
type jobs = servicetest.Jobs

type fixture struct {
	ctx        context.Context
	s          *service.Service
	st         *store.Store
	pub        *servicetest.Recorder
	jobs       *jobs
	now        time.Time
	treasurer  *models.User // admin of the foundation
	alice, bob *models.User
	fund       *models.Actor
	group      *models.Actor // a local community, beneficiary
}

// passByVote has voter vote Yes on the open proposal p, closes it once its
// time is up (the clock moved past it, then back) and returns it as stored.
func (f *fixture) passByVote(t *testing.T, voter *models.Actor, p *models.Proposal) *models.Proposal {
	t.Helper()
	if _, err := f.s.Governance.Vote(f.ctx, voter, p.ID, "Yes"); err != nil {
		t.Fatal(err)
	}
	saved := f.now
	f.now = p.ClosesAt.Add(time.Second)
	if closed, err := f.s.Governance.Close(f.ctx, p.ID); err != nil || !closed {
		t.Fatalf("Close = %v, %v", closed, err)
	}
	f.now = saved
	got, err := f.st.ProposalByID(f.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), st: st}
	f.now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	f.s, f.pub, f.jobs = servicetest.Wired(t, st, &f.now)
	f.treasurer = f.user(t, "treasurer")
	f.alice = f.user(t, "alice")
	f.bob = f.user(t, "bob")
	fund, _, err := f.s.Economy.CreateOrganization(f.ctx, f.treasurer, economy.OrganizationInput{Handle: "seedfund",
		Name: "Seed Fund", Kind: models.OrgFoundation, Website: "https://seedfund.example",
		PaymentLinks: []models.Field{{Name: "Liberapay", Value: "https://liberapay.com/seedfund"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.fund = fund
	g, _, err := f.s.Communities.Create(f.ctx, f.alice, service.CommunityInput{Handle: "seeds", Licence: "CC-BY-SA-4.0"})
	if err != nil {
		t.Fatal(err)
	}
	f.group = g
	f.pub.Out = nil
	return f
}

func (f *fixture) user(t *testing.T, name string) *models.User {
	t.Helper()
	u, err := f.s.Accounts.SignUp(f.ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) appeal(t *testing.T) *models.FundingAppeal {
	t.Helper()
	a, err := f.s.Economy.OpenAppeal(f.ctx, f.treasurer, economy.AppealInput{As: "seedfund", Title: "Servers for the seed library",
		Purpose: "Two years of **hosting**.", Goal: "10000", Currency: "EUR", EndsAt: f.now.Add(12 * 24 * time.Hour),
		Beneficiaries: []string{"seeds"}, Tiers: []economy.TierInput{{Name: "Friend", Amount: "10", Monthly: true}}})
	if err != nil {
		t.Fatalf("OpenAppeal: %v", err)
	}
	return a
}

func (f *fixture) view(t *testing.T, a *models.FundingAppeal) *economy.AppealView {
	t.Helper()
	fresh, err := f.s.Economy.Appeal(f.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.s.Economy.View(f.ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOrganization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		act, org, err := f.s.Economy.Organization(f.ctx, "seedfund")
		if err != nil || act.Type != models.ActorOrganization || org.Kind != models.OrgFoundation || act.PublicKeyPEM == "" {
			t.Fatalf("Organization = %+v, %+v, %v", act, org, err)
		}
		if !strings.Contains(act.Fields, "liberapay.com/seedfund") || !strings.Contains(act.Fields, "Website") {
			t.Errorf("profile fields %s lack the website and payment link", act.Fields)
		}
		// one handle namespace with people and communities
		for _, h := range []string{"alice", "seeds", "SeedFund"} {
			_, _, err := f.s.Economy.CreateOrganization(f.ctx, f.bob, economy.OrganizationInput{Handle: h, Kind: models.OrgCoalition})
			if status(err) != 409 {
				t.Errorf("handle %q: %v, want 409", h, err)
			}
		}
		for name, in := range map[string]economy.OrganizationInput{
			"bad kind":    {Handle: "x1", Kind: "company"},
			"bad website": {Handle: "x2", Kind: models.OrgCoalition, Website: "javascript:alert(1)"},
			"bad link":    {Handle: "x3", Kind: models.OrgCoalition, PaymentLinks: []models.Field{{Name: "pay", Value: "ftp://x"}}},
			"nameless":    {Handle: "x4", Kind: models.OrgCoalition, PaymentLinks: []models.Field{{Value: "https://x.example"}}},
			"bad handle":  {Handle: "no way", Kind: models.OrgCoalition},
		} {
			if _, _, err := f.s.Economy.CreateOrganization(f.ctx, f.bob, in); status(err) != 422 {
				t.Errorf("%s: %v, want 422", name, err)
			}
		}
		bobActor, _ := f.s.Accounts.ActorOf(f.ctx, f.bob)
		if f.s.Economy.IsAdmin(f.ctx, act, bobActor) {
			t.Fatal("bob is an admin before being added")
		}
		if _, err := f.s.Economy.AddAdmin(f.ctx, bobActor, act, "alice"); status(err) != 403 {
			t.Errorf("a non-admin added an admin: %v", err)
		}
		tr, _ := f.s.Accounts.ActorOf(f.ctx, f.treasurer)
		if _, err := f.s.Economy.AddAdmin(f.ctx, tr, act, "bob"); err != nil {
			t.Fatal(err)
		}
		if !f.s.Economy.IsAdmin(f.ctx, act, bobActor) {
			t.Fatal("bob is not an admin after being added")
		}
		if _, err := f.s.Economy.AddAdmin(f.ctx, tr, act, "bob"); status(err) != 409 {
			t.Errorf("second add: %v, want 409", err)
		}
		if err := f.s.Economy.SetPaymentLinks(f.ctx, bobActor, act, "", []models.Field{{Name: "Open Collective", Value: "https://opencollective.com/seeds"}}); err != nil {
			t.Fatal(err)
		}
		act, org, _ = f.s.Economy.Organization(f.ctx, "seedfund")
		if links := economy.PaymentLinks(org.PaymentLinks); len(links) != 1 || links[0].Name != "Open Collective" || strings.Contains(act.Fields, "Website") {
			t.Errorf("after SetPaymentLinks: %+v, fields %s", links, act.Fields)
		}
	})
}

func TestAppealLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a := f.appeal(t)
		if a.State != models.AppealOpen || a.GoalMinor != 1000000 || a.Hashtag != "FundingAppeal" || len(a.Beneficiaries) != 1 {
			t.Fatalf("appeal %+v", a)
		}
		if n := f.pub.Sent("Create"); n != 1 {
			t.Fatalf("%d Create sent, want 1", n)
		}
		out := f.pub.Take()
		obj := out[0].Object.(core.AppealObject)
		if obj.Appeal.ID != a.ID || obj.Raised.Minor != 0 || !contains(out[0].CC, f.group.URI) {
			t.Errorf("Create object %+v cc %v", obj, out[0].CC)
		}
		if len(f.jobs.Scheduled) != 1 || f.jobs.At[0] != a.EndsAt {
			t.Errorf("close job %v at %v", f.jobs.Scheduled, f.jobs.At)
		}
		// a coalition partner cannot open appeals; a non-admin neither
		if _, _, err := f.s.Economy.CreateOrganization(f.ctx, f.bob, economy.OrganizationInput{Handle: "bobco", Kind: models.OrgCoalition}); err != nil {
			t.Fatal(err)
		}
		for name, tc := range map[string]struct {
			by *models.User
			in economy.AppealInput
			st int
		}{
			"coalition":       {f.bob, economy.AppealInput{As: "bobco", Title: "x", Goal: "1", Currency: "EUR", EndsAt: f.now.Add(48 * time.Hour)}, 422},
			"not admin":       {f.bob, economy.AppealInput{As: "seedfund", Title: "x", Goal: "1", Currency: "EUR", EndsAt: f.now.Add(48 * time.Hour)}, 403},
			"float goal":      {f.treasurer, economy.AppealInput{As: "seedfund", Title: "x", Goal: "1e4", Currency: "EUR", EndsAt: f.now.Add(48 * time.Hour)}, 422},
			"zero goal":       {f.treasurer, economy.AppealInput{As: "seedfund", Title: "x", Goal: "0", Currency: "EUR", EndsAt: f.now.Add(48 * time.Hour)}, 422},
			"unknown cur":     {f.treasurer, economy.AppealInput{As: "seedfund", Title: "x", Goal: "10", Currency: "XBT", EndsAt: f.now.Add(48 * time.Hour)}, 422},
			"past deadline":   {f.treasurer, economy.AppealInput{As: "seedfund", Title: "x", Goal: "10", Currency: "EUR", EndsAt: f.now.Add(-time.Hour)}, 422},
			"no title":        {f.treasurer, economy.AppealInput{As: "seedfund", Goal: "10", Currency: "EUR", EndsAt: f.now.Add(48 * time.Hour)}, 422},
			"tier over-prec":  {f.treasurer, economy.AppealInput{As: "seedfund", Title: "x", Goal: "10", Currency: "EUR", EndsAt: f.now.Add(48 * time.Hour), Tiers: []economy.TierInput{{Name: "a", Amount: "1.001"}}}, 422},
			"bad hashtag":     {f.treasurer, economy.AppealInput{As: "seedfund", Title: "x", Goal: "10", Currency: "EUR", EndsAt: f.now.Add(48 * time.Hour), Hashtag: "two words"}, 422},
			"steward of none": {f.bob, economy.AppealInput{As: "seeds", Title: "x", Goal: "10", Currency: "EUR", EndsAt: f.now.Add(48 * time.Hour)}, 403},
		} {
			if _, err := f.s.Economy.OpenAppeal(f.ctx, tc.by, tc.in); status(err) != tc.st {
				t.Errorf("%s: %v, want %d", name, err, tc.st)
			}
		}
		// a community's steward opens one for it
		if _, err := f.s.Economy.OpenAppeal(f.ctx, f.alice, economy.AppealInput{As: "seeds", Title: "Our own appeal", Goal: "500", Currency: "CHF", EndsAt: f.now.Add(48 * time.Hour)}); err != nil {
			t.Fatalf("community appeal: %v", err)
		}
		list, err := f.s.Economy.Appeals(f.ctx, economy.AppealFilter{Currency: "CHF"}, 10, 0)
		if err != nil || len(list) != 1 || list[0].Author.ID != f.group.ID {
			t.Fatalf("CHF appeals: %v, %v", list, err)
		}
		list, err = f.s.Economy.Appeals(f.ctx, economy.AppealFilter{Beneficiary: "seeds"}, 10, 0)
		if err != nil || len(list) != 1 || list[0].Appeal.ID != a.ID {
			t.Fatalf("appeals for seeds: %v, %v", list, err)
		}
		list, err = f.s.Economy.Appeals(f.ctx, economy.AppealFilter{}, 10, 0)
		if err != nil || len(list) != 2 || list[0].Appeal.EndsAt.After(list[1].Appeal.EndsAt) {
			t.Fatalf("directory not sorted by deadline: %v, %v", list, err)
		}

		// pledges: a promise, not raised
		p, err := f.s.Economy.Pledge(f.ctx, f.alice, a.ID, economy.PledgeInput{Amount: "2350", Message: "for the seeds"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Economy.Pledge(f.ctx, f.bob, a.ID, economy.PledgeInput{Amount: "100.50", Currency: "EUR", Anonymous: true, Monthly: true}); err != nil {
			t.Fatal(err)
		}
		v := f.view(t, a)
		if v.Pledged.Minor != 245050 || v.Raised.Minor != 0 || v.PledgeCount != 2 {
			t.Fatalf("after pledges: pledged %v raised %v count %d", v.Pledged, v.Raised, v.PledgeCount)
		}
		pl, err := f.s.Economy.Pledges(f.ctx, a.ID, 10, 0)
		if err != nil || len(pl) != 2 || pl[0].Pledger != nil || pl[1].Pledger == nil {
			t.Fatalf("pledge list (anonymous first, hidden): %+v, %v", pl, err)
		}
		if f.pub.Sent("Update") != 0 {
			t.Error("a pledge crossing no milestone sent an Update at once")
		}
		if n := countJobs(f.jobs, "appeal_progress_update"); n != 1 {
			t.Errorf("%d progress jobs scheduled, want 1 (debounced)", n)
		}
		// the receipt: 2350 of 10000 is under 25 %: no Update yet
		if _, err := f.s.Economy.RecordReceipt(f.ctx, f.treasurer, economy.ReceiptInput{Ledger: "seedfund", PledgeID: p.ID, Amount: "2350", Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		if v := f.view(t, a); v.Raised.Minor != 235000 || v.Percent != 23 {
			t.Fatalf("raised %v (%d %%)", v.Raised, v.Percent)
		}
		if f.pub.Sent("Update") != 0 {
			t.Error("an Update at 23 %")
		}
		// 2700 reaches 27 %: the 25 % Update goes out at once
		r, err := f.s.Economy.RecordReceipt(f.ctx, f.treasurer, economy.ReceiptInput{Ledger: "seedfund", AppealID: a.ID, Amount: "350", Currency: "EUR", Note: "bank transfer"})
		if err != nil {
			t.Fatal(err)
		}
		if f.pub.Sent("Update") != 1 {
			t.Fatalf("%d Updates at 27 %%, want 1", f.pub.Sent("Update"))
		}
		upd := f.pub.Take()
		if o := upd[len(upd)-1].Object.(core.AppealObject); o.Raised.Minor != 270000 {
			t.Errorf("Update carries raised %v", o.Raised)
		}
		// a correction backs the receipt out: by an entry, once
		c, err := f.s.Economy.Correct(f.ctx, f.treasurer, r.ID, "counted twice")
		if err != nil || c.AmountMinor != -35000 || *c.Corrects != r.ID {
			t.Fatalf("Correct = %+v, %v", c, err)
		}
		if _, err := f.s.Economy.Correct(f.ctx, f.treasurer, r.ID, "again"); status(err) != 409 {
			t.Errorf("second correction: %v, want 409", err)
		}
		if _, err := f.s.Economy.Correct(f.ctx, f.treasurer, c.ID, "undo the undo"); status(err) != 422 {
			t.Errorf("correcting a correction: %v, want 422", err)
		}
		if _, err := f.s.Economy.Correct(f.ctx, f.bob, p.ID, "x"); status(err) == 0 {
			t.Error("bob corrected the foundation's ledger")
		}
		if v := f.view(t, a); v.Raised.Minor != 235000 {
			t.Fatalf("after correction raised %v", v.Raised)
		}
		// reaching the goal: funded
		if _, err := f.s.Economy.RecordReceipt(f.ctx, f.treasurer, economy.ReceiptInput{Ledger: "seedfund", AppealID: a.ID, Amount: "7650", Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		if v := f.view(t, a); v.Appeal.State != models.AppealFunded || v.Percent != 100 || v.Appeal.ProgressQuarter != 4 {
			t.Fatalf("at the goal: state %s, %d %%, quarter %d", v.Appeal.State, v.Percent, v.Appeal.ProgressQuarter)
		}
		// pledges still welcome while funded; disbursements ≤ balance
		if _, err := f.s.Economy.Pledge(f.ctx, f.bob, a.ID, economy.PledgeInput{Amount: "5"}); err != nil {
			t.Errorf("pledge to a funded appeal: %v", err)
		}
		if _, err := f.s.Economy.RecordDisbursement(f.ctx, f.treasurer, economy.DisbursementInput{Ledger: "seedfund", To: "seeds", Amount: "10000.01", Currency: "EUR"}); status(err) != 422 {
			t.Errorf("disbursement above the balance: %v", err)
		}
		if _, err := f.s.Economy.RecordDisbursement(f.ctx, f.treasurer, economy.DisbursementInput{Ledger: "seedfund", To: "seeds", Amount: "5", Currency: "USD"}); status(err) != 422 {
			t.Errorf("disbursement in a currency with no balance: %v", err)
		}
		if _, err := f.s.Economy.RecordDisbursement(f.ctx, f.treasurer, economy.DisbursementInput{Ledger: "seedfund", To: "seeds", AppealID: a.ID, Amount: "4000", Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Economy.RecordDisbursement(f.ctx, f.alice, economy.DisbursementInput{Ledger: "seeds", To: "alice", Amount: "1", Currency: "CHF"}); status(err) != 403 {
			t.Errorf("community disbursement without a decision: %v, want 403", err)
		}
		tot, err := f.s.Economy.Totals(f.ctx, economy.LedgerScope{LedgerID: f.fund.ID})
		if err != nil || len(tot) != 1 || tot[0].Raised != 1000000 || tot[0].Disbursed != 400000 || tot[0].Balance() != 600000 || tot[0].Pledged != 245550 || tot[0].PledgeCount != 3 {
			t.Fatalf("totals %+v, %v", tot, err)
		}
		// the deadline: closed by the job, then no pledges
		f.now = a.EndsAt.Add(time.Second)
		if err := f.s.Economy.RunCloseJob(f.ctx, economy.CloseJob{AppealID: a.ID}); err != nil {
			t.Fatal(err)
		}
		if v := f.view(t, a); v.Appeal.State != models.AppealClosed {
			t.Fatalf("after the deadline: %s", v.Appeal.State)
		}
		if f.pub.Sent("Update") == 0 {
			t.Error("no Update at close")
		}
		if _, err := f.s.Economy.Pledge(f.ctx, f.bob, a.ID, economy.PledgeInput{Amount: "5"}); status(err) != 422 {
			t.Errorf("pledge to a closed appeal: %v", err)
		}
		if _, err := f.s.Economy.CancelAppeal(f.ctx, f.treasurer, a.ID); status(err) != 409 {
			t.Errorf("cancel a closed appeal: %v, want 409", err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func countJobs(j *jobs, kind string) int { return j.Count(kind) }

// TestPledgeBadInput: every bad pledge gets a clear error and changes nothing.
func TestPledgeBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a := f.appeal(t)
		cancelled := f.appeal(t)
		if _, err := f.s.Economy.CancelAppeal(f.ctx, f.bob, cancelled.ID); status(err) != 403 {
			t.Fatalf("bob cancelled: %v", err)
		}
		if _, err := f.s.Economy.CancelAppeal(f.ctx, f.treasurer, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			appeal string
			in     economy.PledgeInput
			want   int
			msg    string
		}{
			{"negative", a.ID, economy.PledgeInput{Amount: "-5"}, 422, "positive"},
			{"zero", a.ID, economy.PledgeInput{Amount: "0"}, 422, "more than zero"},
			{"float", a.ID, economy.PledgeInput{Amount: "5.0e1"}, 422, "positive"},
			{"exponent", a.ID, economy.PledgeInput{Amount: "1e3"}, 422, "positive"},
			{"over-precise", a.ID, economy.PledgeInput{Amount: "5.001"}, 422, "decimals"},
			{"unknown currency", a.ID, economy.PledgeInput{Amount: "5", Currency: "ZZZ"}, 422, "unknown currency"},
			{"other currency", a.ID, economy.PledgeInput{Amount: "5", Currency: "USD"}, 422, "in EUR, not USD"},
			{"cancelled appeal", cancelled.ID, economy.PledgeInput{Amount: "5"}, 422, "cancelled"},
			{"no appeal", "01nothere", economy.PledgeInput{Amount: "5"}, 404, "not found"},
			{"as an org not mine", a.ID, economy.PledgeInput{Amount: "5", As: "seedfund"}, 403, "act for"},
		} {
			_, err := f.s.Economy.Pledge(f.ctx, f.bob, tc.appeal, tc.in)
			if status(err) != tc.want || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s: %v, want %d %q", tc.name, err, tc.want, tc.msg)
			}
		}
		// after the deadline (the close job not yet run)
		f.now = a.EndsAt
		if _, err := f.s.Economy.Pledge(f.ctx, f.bob, a.ID, economy.PledgeInput{Amount: "5"}); status(err) != 422 {
			t.Errorf("after the deadline: %v", err)
		}
		if n, _ := f.st.CountEntries(f.ctx, store.LedgerScope{LedgerID: f.fund.ID}); n != 0 {
			t.Errorf("bad pledges left %d ledger entries", n)
		}
		// receipts: bad amounts, other currency, not the recorder's ledger
		f.now = a.CreatedAt.Add(time.Hour)
		for name, in := range map[string]economy.ReceiptInput{
			"negative":       {Ledger: "seedfund", AppealID: a.ID, Amount: "-1", Currency: "EUR"},
			"other currency": {Ledger: "seedfund", AppealID: a.ID, Amount: "1", Currency: "USD"},
			"unknown pledge": {Ledger: "seedfund", PledgeID: "nope", Amount: "1", Currency: "EUR"},
			"cancelled":      {Ledger: "seedfund", AppealID: cancelled.ID, Amount: "1", Currency: "EUR"},
			"future":         {Ledger: "seedfund", Amount: "1", Currency: "EUR", At: f.now.Add(time.Hour)},
		} {
			if _, err := f.s.Economy.RecordReceipt(f.ctx, f.treasurer, in); status(err) < 400 {
				t.Errorf("receipt %s: %v", name, err)
			}
		}
		if _, err := f.s.Economy.RecordReceipt(f.ctx, f.bob, economy.ReceiptInput{Ledger: "seedfund", Amount: "1", Currency: "EUR"}); status(err) != 403 {
			t.Errorf("bob recorded a receipt: %v", err)
		}
		if n, _ := f.st.CountEntries(f.ctx, store.LedgerScope{LedgerID: f.fund.ID}); n != 0 {
			t.Errorf("bad receipts left %d ledger entries", n)
		}
	})
}

// TestLedgerTotalsConcurrent: pledges and receipts racing each other leave
// exact totals (nothing is stored but the entries; the sums are queries).
func TestLedgerTotalsConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a := f.appeal(t)
		const n = 12
		var wg sync.WaitGroup
		errc := make(chan error, 2*n)
		for i := 0; i < n; i++ {
			wg.Add(2)
			go func(i int) {
				defer wg.Done()
				by := f.alice
				if i%2 == 1 {
					by = f.bob
				}
				_, err := f.s.Economy.Pledge(f.ctx, by, a.ID, economy.PledgeInput{Amount: fmt.Sprintf("%d.01", i+1)})
				errc <- err
			}(i)
			go func(i int) {
				defer wg.Done()
				_, err := f.s.Economy.RecordReceipt(f.ctx, f.treasurer, economy.ReceiptInput{Ledger: "seedfund", AppealID: a.ID,
					Amount: fmt.Sprintf("%d.10", i+1), Currency: "EUR"})
				errc <- err
			}(i)
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		var pledged, raised int64
		for i := 1; i <= n; i++ {
			pledged += int64(i)*100 + 1
			raised += int64(i)*100 + 10
		}
		v := f.view(t, a)
		if v.Pledged.Minor != pledged || v.Raised.Minor != raised || v.PledgeCount != n {
			t.Fatalf("pledged %d (want %d), raised %d (want %d), count %d", v.Pledged.Minor, pledged, v.Raised.Minor, raised, v.PledgeCount)
		}
		tot, _ := f.s.Economy.Totals(f.ctx, economy.LedgerScope{LedgerID: f.fund.ID})
		if len(tot) != 1 || tot[0].Raised != raised || tot[0].Pledged != pledged {
			t.Fatalf("ledger totals %+v", tot)
		}
	})
}

// TestCommunityDisbursementByDecision: a community's money leaves its ledger
// only by a passed "approve disbursement" proposal, and never above the
// balance at close.
func TestCommunityDisbursementByDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		alice, _ := f.s.Accounts.ActorOf(f.ctx, f.alice)
		bob, _ := f.s.Accounts.ActorOf(f.ctx, f.bob)
		if _, err := f.s.Economy.RecordReceipt(f.ctx, f.alice, economy.ReceiptInput{Ledger: "seeds", Amount: "100", Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		propose := func(amount string) (*models.Proposal, error) {
			return f.s.Governance.Propose(f.ctx, alice, f.group, service.ProposalInput{Kind: "approve_disbursement",
				Title: "Pay bob", Args: []byte(`{"to":"bob","amount":"` + amount + `","currency":"EUR"}`),
				ClosesAt: f.now.Add(48 * time.Hour)})
		}
		for _, bad := range []string{"1e3", "-5", "0", "5.001"} {
			if _, err := propose(bad); status(err) != 422 {
				t.Errorf("amount %q: %v, want 422", bad, err)
			}
		}
		decide := func(amount string) *models.Proposal {
			t.Helper()
			p, err := propose(amount)
			if err != nil {
				t.Fatal(err)
			}
			return f.passByVote(t, alice, p)
		}
		p := decide("40")
		if p.State != models.ProposalPassed || !strings.Contains(p.Outcome, "€40 paid to "+bob.URI) {
			t.Fatalf("first decision: %s %q", p.State, p.Outcome)
		}
		p = decide("60.01")
		if p.State != models.ProposalPassed || !strings.Contains(p.Outcome, "more than the balance of €60") {
			t.Fatalf("second decision: %s %q", p.State, p.Outcome)
		}
		tot, _ := f.s.Economy.Totals(f.ctx, economy.LedgerScope{LedgerID: f.group.ID})
		if len(tot) != 1 || tot[0].Raised != 10000 || tot[0].Disbursed != 4000 || tot[0].Balance() != 6000 {
			t.Fatalf("community totals %+v", tot)
		}
	})
}
