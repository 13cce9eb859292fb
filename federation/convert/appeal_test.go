package convert

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// appeal is an open appeal of a foundation for the makers community, at 23 %
// with 12 days left.
func (w *world) appeal() service.AppealObject {
	fund := actor(models.ActorOrganization, "seedfund", "")
	a := &models.FundingAppeal{ID: "01jappeal0000000000000000", URI: base + "/appeals/01jappeal0000000000000000",
		URL: base + "/appeals/01jappeal0000000000000000", AuthorID: fund.ID, Local: true, Title: "Servers <for> the seed library",
		PurposeHTML: "<p>Two years of <strong>hosting</strong>.</p>", Currency: "EUR", GoalMinor: 1000000,
		EndsAt: t0.Add(12*24*time.Hour - time.Hour), State: models.AppealOpen, Beneficiaries: []string{w.group.URI},
		Hashtag: "FundingAppeal", LedgerURI: base + "/appeals/01jappeal0000000000000000/ledger", CreatedAt: t0}
	return service.AppealObject{Appeal: a, Author: fund, Raised: models.Money{Minor: 235000, Currency: "EUR"},
		Pledged: models.Money{Minor: 410000, Currency: "EUR"}, PledgeCount: 12, Beneficiaries: []*models.Actor{w.group}, Now: t0}
}

// mastodonTags are the elements Mastodon's sanitizer keeps in remote content
// (Sanitize::Config::MASTODON_STRICT); anything else is stripped or rewritten.
var mastodonTags = map[string]bool{"p": true, "br": true, "span": true, "a": true, "del": true, "pre": true,
	"blockquote": true, "code": true, "b": true, "strong": true, "u": true, "i": true, "em": true, "ul": true,
	"ol": true, "li": true}

var tagRE = regexp.MustCompile(`</?([a-zA-Z0-9]+)`)

// TestAppealContentReadsOnMastodon: the content says the progress in words with
// the pledge link and the hashtag, in HTML Mastodon keeps.
func TestAppealContentReadsOnMastodon(t *testing.T) {
	w := newWorld()
	o := Appeal(testConverter().urls, w.appeal())
	for _, want := range []string{
		"<strong>Servers &lt;for&gt; the seed library</strong>",
		"€2,350 of €10,000 raised (23 %) — 12 days left — pledge: <a href=\"" + base + "/appeals/01jappeal0000000000000000\">",
		`For <a href="` + w.group.URL + `">The makers</a>`,
		`rel="tag">#<span>FundingAppeal</span></a>`,
	} {
		if !strings.Contains(o.Content, want) {
			t.Errorf("content lacks %q:\n%s", want, o.Content)
		}
	}
	for _, m := range tagRE.FindAllStringSubmatch(o.Content, -1) {
		if !mastodonTags[strings.ToLower(m[1])] {
			t.Errorf("content uses <%s>, which Mastodon drops", m[1])
		}
	}
	if strings.Contains(o.Content, "style=") || strings.Contains(o.Content, "<script") {
		t.Error("content has inline style or script")
	}
}

func TestProgressLine(t *testing.T) {
	eur := func(minor int64) models.Money { return models.Money{Minor: minor, Currency: "EUR"} }
	now := t0
	for _, tc := range []struct {
		raised int64
		state  string
		ends   time.Time
		want   string
	}{
		{235000, models.AppealOpen, now.Add(12*24*time.Hour - time.Minute), "€2,350 of €10,000 raised (23 %) — 12 days left"},
		{235000, models.AppealOpen, now.Add(12 * 24 * time.Hour), "€2,350 of €10,000 raised (23 %) — 12 days left"},
		{0, models.AppealOpen, now.Add(36 * time.Hour), "€0 of €10,000 raised (0 %) — 2 days left"},
		{1000000, models.AppealFunded, now.Add(time.Hour), "€10,000 of €10,000 raised (100 %) — 1 day left — funded"},
		{1200050, models.AppealClosed, now.Add(-time.Hour), "€12,000.50 of €10,000 raised (120 %) — closed"},
		{100, models.AppealCancelled, now.Add(time.Hour), "€1 of €10,000 raised (0 %) — cancelled"},
		{100, models.AppealOpen, now.Add(-time.Hour), "€1 of €10,000 raised (0 %) — ended"},
	} {
		if got := ProgressLine(eur(tc.raised), eur(1000000), tc.state, tc.ends, now); got != tc.want {
			t.Errorf("ProgressLine = %q, want %q", got, tc.want)
		}
	}
}

// pledgeOffer is bob's monthly pledge of €25 to the appeal.
func (w *world) pledgeOffer() service.PledgeOfferObject {
	a := w.appeal()
	return service.PledgeOfferObject{Pledge: &models.Pledge{ID: "01jpledge", URI: "https://remote.example/pledges/1",
		AmountMinor: 2500, Currency: "EUR", Monthly: true, Message: "for the seeds"}, Pledger: w.bob,
		AppealURI: a.Appeal.URI, Author: a.Author}
}

// TestInboundAppeal reads our own appeal back, and refuses bad amounts.
func TestInboundAppeal(t *testing.T) {
	w := newWorld()
	o := roundTrip(t, Appeal(testConverter().urls, w.appeal()))
	if !IsAppeal(o) {
		t.Fatal("not recognised as an appeal")
	}
	in, err := InboundAppeal(o)
	if err != nil {
		t.Fatal(err)
	}
	if in.Goal.Minor != 1000000 || in.Raised.Minor != 235000 || in.Pledged.Minor != 410000 || in.PledgeCount != 12 ||
		in.State != "open" || in.Title != "Servers <for> the seed library" || in.Hashtag != "FundingAppeal" || len(in.Beneficiaries) != 1 {
		t.Fatalf("read back %+v", in)
	}
	q := func(v string, cur string) map[string]any {
		return map[string]any{"hasUnit": "one", "hasNumericalValue": v, "currency": cur}
	}
	for name, edit := range map[string]func(raw map[string]any){
		"float goal": func(r map[string]any) {
			r["fundingGoal"] = map[string]any{"hasUnit": "one", "hasNumericalValue": 10000.0, "currency": "EUR"}
		},
		"zero goal":        func(r map[string]any) { r["fundingGoal"] = q("0.00", "EUR") },
		"negative raised":  func(r map[string]any) { r["amountRaised"] = q("-1.00", "EUR") },
		"other currency":   func(r map[string]any) { r["amountRaised"] = q("1.00", "USD") },
		"unknown currency": func(r map[string]any) { r["fundingGoal"] = q("1.00", "XYZ") },
		"exponent":         func(r map[string]any) { r["amountPledged"] = q("1e3", "EUR") },
		"over-precise":     func(r map[string]any) { r["amountPledged"] = q("1.001", "EUR") },
		"bad count":        func(r map[string]any) { r["pledgeCount"] = 1.5 },
	} {
		o := roundTrip(t, Appeal(testConverter().urls, w.appeal()))
		edit(o.Raw)
		if _, err := InboundAppeal(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
