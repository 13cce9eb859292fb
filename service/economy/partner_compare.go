package economy

import (
	"time"

	"github.com/commonsd/commonsd/models"
)

// The partner's page compares the measurable terms with the ledger (issue
// 12): for a monthly amount, each calendar month (UTC) from the recognition
// to the end (or now, at most the last 24) shows what was pledged against
// what the ledger records delivered that month in the pledge's currency — the
// same transfers the page lists (DeliveredBy), summed in integer minor units
// when the page is built. Nothing of it is stored. Hours and the revenue
// share are shown as pledged: the ledger records money, and the partner's
// revenue is not known here.

// MonthDelivery is one month of a monthly money pledge.
type MonthDelivery struct {
	Month     time.Time // the first instant of the month, UTC
	Pledged   models.Money
	Delivered models.Money
}

// Met reports whether the month's deliveries reach the pledge.
func (m MonthDelivery) Met() bool { return m.Delivered.Minor >= m.Pledged.Minor }

// Label is the month for people: "November 2026".
func (m MonthDelivery) Label() string { return m.Month.Format("January 2006") }

// Shortfall is what is missing to meet the month's pledge (zero when met).
func (m MonthDelivery) Shortfall() models.Money {
	if m.Met() {
		return models.Money{Currency: m.Pledged.Currency}
	}
	return models.Money{Minor: m.Pledged.Minor - m.Delivered.Minor, Currency: m.Pledged.Currency}
}

const maxComparedMonths = 24

// monthsOf compares a monthly money pledge with the delivered entries, the
// newest month first; nil without a monthly amount or before recognition.
func monthsOf(p *models.Partnership, delivered []models.EconomicEvent, now time.Time) []MonthDelivery {
	if p.TermsMinor <= 0 || p.DecidedAt == nil || (p.State != models.PartnershipActive && p.EndedAt == nil) {
		return nil
	}
	if p.State == models.PartnershipEnded && p.EndedAt.Before(*p.DecidedAt) {
		return nil
	}
	month := func(t time.Time) time.Time {
		t = t.UTC()
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	first, last := month(*p.DecidedAt), month(now)
	if p.State == models.PartnershipEnded {
		last = month(*p.EndedAt)
	}
	if earliest := last.AddDate(0, -(maxComparedMonths - 1), 0); first.Before(earliest) {
		first = earliest
	}
	var out []MonthDelivery
	idx := map[time.Time]int{}
	for m := last; !m.Before(first); m = m.AddDate(0, -1, 0) {
		idx[m] = len(out)
		out = append(out, MonthDelivery{Month: m, Pledged: models.Money{Minor: p.TermsMinor, Currency: p.TermsCurrency},
			Delivered: models.Money{Currency: p.TermsCurrency}})
	}
	for _, ev := range delivered {
		if ev.Currency != p.TermsCurrency {
			continue
		}
		if i, ok := idx[month(ev.PointInTime)]; ok {
			out[i].Delivered.Minor += ev.AmountMinor
		}
	}
	return out
}
