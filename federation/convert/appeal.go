package convert

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(func(c *Converter, a service.AppealObject) (*vocab.Object, error) { return Appeal(c.urls, a), nil })
}

// Appeal is a funding appeal (issue 12) as a Note by its author: Mastodon
// shows Notes and drops unknown types, so the content states everything in
// words (title, purpose, "€2,350 of €10,000 raised (23 %) — 12 days left —
// pledge: link", beneficiaries, the hashtag), using only HTML Mastodon keeps
// (p, br, a, strong and what Markdown gives the purpose). The machine fields
// (commonsType FundingAppeal, fundingGoal, amountRaised, amountPledged,
// pledgeCount, endTime, beneficiary, ledger, appealStatus) and FEP-0837's
// Proposal fields (purpose request, publishes: the primary Intent a pledge's
// Commitment satisfies) ride along for readers who know them. `updated` is
// when the last progress Update went out.
func Appeal(urls service.URLs, ao service.AppealObject) *vocab.Object {
	a := ao.Appeal
	goal := models.Money{Minor: a.GoalMinor, Currency: a.Currency}
	var b strings.Builder
	b.WriteString("<p><strong>" + html.EscapeString(a.Title) + "</strong></p>")
	b.WriteString(a.PurposeHTML)
	b.WriteString("<p>" + html.EscapeString(ProgressLine(ao.Raised, goal, a.State, a.EndsAt, ao.Now)) +
		` — pledge: <a href="` + html.EscapeString(a.URL) + `">` + html.EscapeString(a.URL) + "</a></p>")
	if len(ao.Beneficiaries) > 0 {
		names := make([]string, len(ao.Beneficiaries))
		for i, ben := range ao.Beneficiaries {
			name := ben.Name
			if name == "" {
				name = ben.Username
			}
			href := ben.URL
			if href == "" {
				href = ben.URI
			}
			names[i] = `<a href="` + html.EscapeString(href) + `">` + html.EscapeString(name) + "</a>"
		}
		b.WriteString("<p>For " + strings.Join(names, ", ") + "</p>")
	}
	tagHref := urls.Base + "/tags/" + strings.ToLower(a.Hashtag)
	b.WriteString(`<p><a href="` + html.EscapeString(tagHref) + `" class="mention hashtag" rel="tag">#<span>` +
		html.EscapeString(a.Hashtag) + "</span></a></p>")
	bens := a.Beneficiaries
	if bens == nil {
		bens = []string{}
	}
	cc := append([]string{ao.Author.FollowersURI}, a.Beneficiaries...)
	o := &vocab.Object{
		ID: a.URI, Type: "Note", Name: a.Title, Content: b.String(), URL: a.URL,
		AttributedTo: []string{ao.Author.URI}, To: []string{vocab.PublicAddress}, CC: cc,
		Published: a.CreatedAt, EndTime: a.EndsAt,
		Tags: []vocab.Tag{{Type: vocab.TagHashtag, Name: "#" + a.Hashtag, Href: tagHref}},
		Extra: map[string]any{
			"commonsType":   "FundingAppeal",
			"fundingGoal":   goal.Quantity(),
			"amountRaised":  ao.Raised.Quantity(),
			"amountPledged": ao.Pledged.Quantity(),
			"pledgeCount":   ao.PledgeCount,
			"beneficiary":   bens,
			"ledger":        a.LedgerURI,
			"appealStatus":  a.State,
			"purpose":       "request",
			"publishes": map[string]any{
				"id": a.URI + "#primary", "type": "Intent", "action": "transfer",
				"receiver": ao.Author.URI, "resourceQuantity": goal.Quantity(),
			},
		},
	}
	if a.ProgressSentAt != nil {
		o.Updated = *a.ProgressSentAt
	}
	return o
}

// DaysLeft counts started days until ends (rounded up: an appeal with 11 days
// and 2 hours to go has "12 days left"), 0 once it ended.
func DaysLeft(ends, now time.Time) int64 {
	left := ends.Sub(now)
	if left <= 0 {
		return 0
	}
	return int64((left + 24*time.Hour - 1) / (24 * time.Hour))
}

// ProgressLine is an appeal's progress in words: "€2,350 of €10,000 raised
// (23 %) — 12 days left" (or "— funded", "— closed", "— cancelled", "— ended").
func ProgressLine(raised, goal models.Money, state string, ends, now time.Time) string {
	s := fmt.Sprintf("%s of %s raised (%d %%)", raised, goal, models.Percent(raised.Minor, goal.Minor))
	switch state {
	case models.AppealClosed, models.AppealCancelled:
		return s + " — " + state
	}
	left := ends.Sub(now)
	days := DaysLeft(ends, now)
	switch {
	case left <= 0:
		s += " — ended"
	case days == 1:
		s += " — 1 day left"
	default:
		s += fmt.Sprintf(" — %d days left", days)
	}
	if state == models.AppealFunded {
		s += " — funded"
	}
	return s
}
