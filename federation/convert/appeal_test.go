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
		EndsAt: t0.Add(12*24*time.Hour + time.Hour), State: models.AppealOpen, Beneficiaries: []string{w.group.URI},
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
		{235000, models.AppealOpen, now.Add(12*24*time.Hour + time.Minute), "€2,350 of €10,000 raised (23 %) — 12 days left"},
		{0, models.AppealOpen, now.Add(36 * time.Hour), "€0 of €10,000 raised (0 %) — 1 day left"},
		{1000000, models.AppealFunded, now.Add(time.Hour), "€10,000 of €10,000 raised (100 %) — ends today — funded"},
		{1200050, models.AppealClosed, now.Add(-time.Hour), "€12,000.50 of €10,000 raised (120 %) — closed"},
		{100, models.AppealCancelled, now.Add(time.Hour), "€1 of €10,000 raised (0 %) — cancelled"},
		{100, models.AppealOpen, now.Add(-time.Hour), "€1 of €10,000 raised (0 %) — ended"},
	} {
		if got := ProgressLine(eur(tc.raised), eur(1000000), tc.state, tc.ends, now); got != tc.want {
			t.Errorf("ProgressLine = %q, want %q", got, tc.want)
		}
	}
}
