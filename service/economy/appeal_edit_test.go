package economy_test

import (
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/economy"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestEditAppeal: the author's admins edit title, purpose, tiers, links and
// extend the deadline (an Update{Note} each time); the goal changes only
// while nothing is pledged; nobody else edits, a deadline is not brought
// forward, and a closed appeal is not edited.
func TestEditAppeal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a := f.appeal(t)
		f.pub.Out = nil
		ed := economy.AppealEdit{Title: "Servers, two years", Purpose: "Hosting and **backups**.",
			EndsAt:       a.EndsAt.Add(10 * 24 * time.Hour),
			PaymentLinks: []models.Field{{Name: "Liberapay", Value: "https://liberapay.com/seedfund"}},
			Tiers:        []economy.TierInput{{Name: "Friend", Amount: "15", Monthly: true}, {Name: "Patron", Amount: "100"}}}
		got, err := f.s.Economy.EditAppeal(f.ctx, f.treasurer, a.ID, ed)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Servers, two years" || !got.EndsAt.Equal(ed.EndsAt.UTC()) || len(economy.Tiers(got)) != 2 ||
			len(economy.PaymentLinks(got.PaymentLinks)) != 1 || got.GoalMinor != a.GoalMinor {
			t.Fatalf("edited %+v", got)
		}
		if n := f.pub.Sent(core.TypeUpdate); n != 1 {
			t.Errorf("%d Updates sent, want 1", n)
		}
		// the goal and currency, while nothing is pledged
		ed.Goal, ed.Currency = "5000", "CHF"
		ed.Tiers = []economy.TierInput{{Name: "Friend", Amount: "15"}}
		if got, err = f.s.Economy.EditAppeal(f.ctx, f.treasurer, a.ID, ed); err != nil || got.GoalMinor != 500000 || got.Currency != "CHF" {
			t.Fatalf("goal edit: %+v %v", got, err)
		}
		for name, tc := range map[string]struct {
			by   *models.User
			ed   economy.AppealEdit
			want int
		}{
			"a stranger":               {f.bob, economy.AppealEdit{Title: "Mine now", Goal: "5000", Currency: "CHF"}, 403},
			"deadline brought forward": {f.treasurer, economy.AppealEdit{Title: "x", EndsAt: a.EndsAt.Add(-time.Hour)}, 422},
			"deadline past a year":     {f.treasurer, economy.AppealEdit{Title: "x", EndsAt: f.now.AddDate(1, 0, 1)}, 422},
			"no title":                 {f.treasurer, economy.AppealEdit{}, 422},
			"tier over-precise":        {f.treasurer, economy.AppealEdit{Title: "x", Tiers: []economy.TierInput{{Name: "a", Amount: "1.001"}}}, 422},
		} {
			if _, err := f.s.Economy.EditAppeal(f.ctx, tc.by, a.ID, tc.ed); status(err) != tc.want {
				t.Errorf("%s: %v, want %d", name, err, tc.want)
			}
		}
		if _, err := f.s.Economy.Pledge(f.ctx, f.bob, a.ID, economy.PledgeInput{Amount: "20"}); err != nil {
			t.Fatal(err)
		}
		ed.Goal, ed.Currency = "6000", "CHF"
		if _, err := f.s.Economy.EditAppeal(f.ctx, f.treasurer, a.ID, ed); status(err) != 409 {
			t.Errorf("goal edit after a pledge: %v, want 409", err)
		}
		ed.Goal, ed.Currency = "", ""
		ed.Title = "Servers, three years"
		if got, err = f.s.Economy.EditAppeal(f.ctx, f.treasurer, a.ID, ed); err != nil || got.Title != "Servers, three years" || got.GoalMinor != 500000 {
			t.Fatalf("edit after a pledge: %+v %v", got, err)
		}
		if _, err := f.s.Economy.CancelAppeal(f.ctx, f.treasurer, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Economy.EditAppeal(f.ctx, f.treasurer, a.ID, ed); status(err) != 409 {
			t.Errorf("edit of a cancelled appeal: %v, want 409", err)
		}
	})
}
