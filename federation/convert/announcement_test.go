package convert

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// announcement is a coalition partner's job for the makers community and a
// remote one: €25.50 an hour... as pay, a deadline, a link.
func (w *world) announcement() service.AnnouncementObject {
	coop := actor(models.ActorOrganization, "seedcoop", "")
	coop.Name = "Seed Co-op"
	at := t0.Add(72 * time.Hour)
	a := &models.Announcement{ID: "01jannounce00000000000000", URI: base + "/announcements/01jannounce00000000000000",
		URL: base + "/announcements/01jannounce00000000000000", AuthorID: coop.ID, Local: true, Kind: models.AnnouncementJob,
		Purpose: "request", Title: "Seed <librarian>", Body: "## The work\n\nCatalogue the **seed bank**.",
		ForWhom: "seed savers & gardeners", PriceMinor: 2550, Currency: "EUR", At: &at, Link: "https://seedcoop.example/jobs/1?a=1&b=2",
		Communities: []string{w.group.URI, w.rgroup.URI}, State: models.AnnouncementOpen, CreatedAt: t0}
	a.BodyHTML = "<h2>The work</h2>\n<p>Catalogue the <strong>seed bank</strong>.</p>"
	v := &service.AnnouncementView{Announcement: a, Author: coop, Communities: []*models.Actor{w.group, w.rgroup}}
	return service.AnnouncementObject{Announcement: a, Author: coop, Communities: v.Communities, Content: service.AnnouncementHTML(v)}
}

var (
	mastodonAttr = regexp.MustCompile(`\s+([a-zA-Z-]+)="[^"]*"`)
	anyTag       = regexp.MustCompile(`<(/?)([a-zA-Z0-9]+)([^>]*)>`)
)

// mastodonText renders HTML as Mastodon shows it: elements its sanitizer
// does not keep are dropped (their text stays), attributes other than
// href/rel/class go, and what is left reads as text, paragraphs on their own
// lines, <br> a line break, source newlines collapsed as a browser does.
func mastodonText(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	last := 0
	for _, m := range anyTag.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(strings.ReplaceAll(s[last:m[0]], "\n", "")) // whitespace between blocks is not shown
		last = m[1]
		name := strings.ToLower(s[m[4]:m[5]])
		if !mastodonTags[name] {
			t.Errorf("content uses <%s>, which Mastodon drops", name)
			continue
		}
		for _, a := range mastodonAttr.FindAllStringSubmatch(s[m[6]:m[7]], -1) {
			if a[1] != "href" && a[1] != "rel" && a[1] != "class" {
				t.Errorf("content has attribute %s, which Mastodon drops", a[1])
			}
		}
		switch {
		case name == "br":
			b.WriteString("\n")
		case name == "p" && s[m[2]:m[3]] == "/":
			b.WriteString("\n")
		}
	}
	b.WriteString(s[last:])
	return html.UnescapeString(b.String())
}

// TestAnnouncementContentReadsOnMastodon: rendered as Mastodon keeps it, the
// content says what, for whom, pay, deadline and link, each on its line.
func TestAnnouncementContentReadsOnMastodon(t *testing.T) {
	w := newWorld()
	o := Announcement(w.announcement())
	got := mastodonText(t, o.Content)
	want := "Job: Seed <librarian>\n" +
		"The work\n" +
		"Catalogue the seed bank.\n" +
		"For: seed savers & gardeners\n" +
		"Pay: €25.50\n" +
		"Deadline: " + t0.Add(72*time.Hour).Format("Mon 2 January 2006, 15:04 UTC") + "\n" +
		"Link: https://seedcoop.example/jobs/1?a=1&b=2\n" +
		"To The makers, The garden\n"
	if got != want {
		t.Errorf("as Mastodon shows it:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(o.Content, `<a href="https://seedcoop.example/jobs/1?a=1&amp;b=2" rel="nofollow noopener">`) {
		t.Errorf("link not a link: %s", o.Content)
	}
	if strings.Contains(o.Content, "style=") || strings.Contains(o.Content, "<script") {
		t.Error("content has inline style or script")
	}
}

// TestAnnouncementRoundTrip: what we send is what we read back.
func TestAnnouncementRoundTrip(t *testing.T) {
	w := newWorld()
	ao := w.announcement()
	doc, err := vocab.Marshal(Announcement(ao))
	if err != nil {
		t.Fatal(err)
	}
	o, err := vocab.ParseDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !IsAnnouncement(o) {
		t.Fatal("not an announcement")
	}
	check(t, "audience", o.Audience, []string{w.group.URI, w.rgroup.URI})
	check[any](t, "purpose", o.Raw["purpose"], "request")
	pub, _ := o.Raw["publishes"].(map[string]any)
	check[any](t, "publishes.type", pub["type"], "Intent")
	check[any](t, "publishes.receiver", pub["receiver"], ao.Author.URI)
	check[any](t, "publishes.resourceQuantity", pub["resourceQuantity"], map[string]any{"hasUnit": "one", "hasNumericalValue": "1"})
	check[any](t, "publishes.resourceConformsTo", pub["resourceConformsTo"], vocab.CommonsNamespace+"Work")
	in, err := InboundAnnouncement(o)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "kind", in.Kind, models.AnnouncementJob)
	check(t, "price", *in.Price, models.Money{Minor: 2550, Currency: "EUR"})
	sameTime(t, "at", in.At, *ao.Announcement.At)
	check(t, "forWhom", in.ForWhom, ao.Announcement.ForWhom)
	check(t, "link", in.Link, ao.Announcement.Link)
	check(t, "communities", in.Communities, []string{w.group.URI, w.rgroup.URI, ao.Author.FollowersURI})
	check(t, "title", in.Title, ao.Announcement.Title)
}

// TestInboundAnnouncement: bad fields are refused, each with its reason.
func TestInboundAnnouncement(t *testing.T) {
	w := newWorld()
	good, _ := vocab.Marshal(Announcement(w.announcement()))
	for _, tc := range []struct {
		name   string
		change func(m map[string]any)
		err    string
	}{
		{"good", func(map[string]any) {}, ""},
		{"float price", func(m map[string]any) {
			m["price"] = map[string]any{"hasUnit": "one", "hasNumericalValue": 25.5, "currency": "EUR"}
		}, "price"},
		{"over-precise price", func(m map[string]any) {
			m["price"] = map[string]any{"hasUnit": "one", "hasNumericalValue": "25.505", "currency": "EUR"}
		}, "price"},
		{"negative price", func(m map[string]any) {
			m["price"] = map[string]any{"hasUnit": "one", "hasNumericalValue": "-25.50", "currency": "EUR"}
		}, "price"},
		{"unknown currency", func(m map[string]any) {
			m["price"] = map[string]any{"hasUnit": "one", "hasNumericalValue": "25.50", "currency": "ZZZ"}
		}, "price"},
		{"no kind", func(m map[string]any) { delete(m, "announcementKind") }, "announcementKind"},
		{"kind not a string", func(m map[string]any) { m["announcementKind"] = 3 }, "announcementKind"},
		{"partnerOf not ids", func(m map[string]any) { m["partnerOf"] = []any{3} }, "partnerOf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(good, &m); err != nil {
				t.Fatal(err)
			}
			tc.change(m)
			b, _ := json.Marshal(m)
			o, err := vocab.ParseDocument(b)
			if err != nil {
				t.Fatal(err)
			}
			_, err = InboundAnnouncement(o)
			if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
		})
	}
}

// TestOfferClaimsBounty: a contribution's claim of a bounty travels on the
// offered object and is read back into the offer.
func TestOfferClaimsBounty(t *testing.T) {
	w := newWorld()
	doc, err := testConverter().Activity(w.activities()["offer_contribution_bounty"])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := vocab.Marshal(doc)
	act, err := vocab.ParseDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := OfferedContribution(act, act.Object)
	check(t, "bounty", in.Bounty, "https://remote.example/announcements/b1")
}

// TestAnnouncementTermsInNamespace: every term an announcement or a bounty
// claim writes is defined by the inline context and the /ns document, in
// the commons namespace (FEP-0837 terms in ValueFlows').
func TestAnnouncementTermsInNamespace(t *testing.T) {
	var doc struct {
		Context map[string]any `json:"@context"`
	}
	if err := json.Unmarshal(vocab.ContextDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	for term, iri := range map[string]string{"CoalitionAnnouncement": "commons:CoalitionAnnouncement", "commonsType": "commons:commonsType",
		"announcementKind": "commons:announcementKind", "forWhom": "commons:forWhom", "price": "commons:price",
		"payNote": "commons:payNote", "announcementLink": "commons:announcementLink", "partnerOf": "commons:partnerOf",
		"claimsBounty": "commons:claimsBounty", "purpose": "vf:purpose", "publishes": "vf:publishes", "reciprocal": "vf:reciprocal",
		"resourceConformsTo": "vf:resourceConformsTo", "resourceQuantity": "vf:resourceQuantity", "Intent": "vf:Intent"} {
		got := doc.Context[term]
		if m, ok := got.(map[string]any); ok {
			got = m["@id"]
		}
		if got != iri {
			t.Errorf("/ns %s = %v, want %s", term, got, iri)
		}
	}
}
