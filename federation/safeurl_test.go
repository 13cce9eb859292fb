package federation_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// hostileURLSet are URLs a remote server may put in any URL field; each carries
// a marker ("evilN") so that the test can find it wherever it would leak.
func hostileURLSet() []string {
	base := []string{
		"javascript:alert('%s')",
		"JaVaScRiPt:alert('%s')",
		"data:text/html,<script>%s</script>",
		"vbscript:msgbox('%s')",
		"file:///etc/%s",
		"/relative/%s",
		"//%s.example/x",
		"https://trusted.example@%s.example/",
		"https:%s.example/x",
		"ftp://%s.example/x",
	}
	out := make([]string, len(base))
	for i, b := range base {
		out[i] = fmt.Sprintf(b, fmt.Sprintf("evil%d", i))
	}
	return out
}

// TestRemoteURLsOnlyHTTP: a remote actor whose profile (url, icon, image,
// profile fields), note (url, Mention and Hashtag hrefs, links in its HTML) and
// Offer (Link and Document attachments, co-contributor ids) carry hostile URLs:
// the API, the pages and the feeds show none of them, and the safe URLs sent
// alongside survive (so the test is not passing by showing nothing).
func TestRemoteURLsOnlyHTTP(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	group, _ := cmCommunity(t, inst, "maria", "wiki", service.CommunityInput{Name: "Wiki", OfferPolicy: models.PolicyOpen})
	fake := newCMFake(t)
	hostile := hostileURLSet()
	h := func(i int) string { return hostile[i%len(hostile)] }

	// The actor document.
	uri := fake.srv.URL + "/users/mallory"
	var fields []any
	for i := range hostile {
		fields = append(fields, map[string]any{"type": "PropertyValue", "name": fmt.Sprintf("f%d", i),
			"value": fmt.Sprintf(`<a href="%s">link %d</a>`, strings.ReplaceAll(h(i), `"`, "&quot;"), i)})
	}
	fields = append(fields, map[string]any{"type": "PropertyValue", "name": "site", "value": `<a href="https://good.example/site">site</a>`})
	mallory := fake.addActor(t, map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                uri,
		"type":              "Person",
		"preferredUsername": "mallory",
		"name":              "Mallory",
		"url":               h(0),
		"icon":              map[string]any{"type": "Image", "url": h(2)},
		"image":             map[string]any{"type": "Image", "url": h(7)},
		"inbox":             uri + "/inbox",
		"outbox":            uri + "/outbox",
		"followers":         uri + "/followers",
		"attachment":        fields,
		"publicKey":         map[string]any{"id": uri + "#main-key", "owner": uri},
	})

	// A public note in the community: each hostile URL as its url, a tag href,
	// and a link in its content.
	for i := range hostile {
		create, noteID := cmNote(t, inst, mallory, group, fmt.Sprintf("post %d", i), "")
		note := create["object"].(map[string]any)
		note["url"] = h(i)
		note["content"] = note["content"].(string) + fmt.Sprintf(`<p><a href="%s">x</a> <a href="https://good.example/n%d">ok</a></p>`,
			strings.ReplaceAll(h(i+1), `"`, "&quot;"), i)
		tags := note["tag"].([]any)
		tags = append(tags,
			map[string]any{"type": "Mention", "href": h(i + 2), "name": "@ghost@" + fmt.Sprint(i)},
			map[string]any{"type": "Hashtag", "href": h(i + 3), "name": fmt.Sprintf("#tag%d", i)})
		note["tag"] = tags
		fake.put(noteID, note)
		if code, body := mallory.post(t, group.InboxURI, create); code != http.StatusAccepted {
			t.Fatalf("Create %d: %d %s", i, code, body)
		}
		if row := cmOutcome(t, inst, create["id"].(string)); row.State != models.ActivityProcessed {
			t.Fatalf("note %d ended %s %q", i, row.State, row.Error)
		}
	}

	// An Offer whose links, documents and co-contributors are hostile.
	var atts []any
	for i := range hostile {
		atts = append(atts, map[string]any{"type": "Link", "href": h(i), "url": h(i)},
			map[string]any{"type": "Document", "url": h(i + 4), "mediaType": "application/pdf", "name": fmt.Sprintf("d%d.pdf", i)})
	}
	atts = append(atts, map[string]any{"type": "Link", "href": "https://good.example/link", "url": "https://good.example/link"})
	objID := mallory.id("contributions")
	obj := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": objID, "type": "Page", "name": "Evil offer",
		"content": "<p>see attachments</p>", "attributedTo": append([]any{mallory.URI}, toAny(hostile)...),
		"attachment": atts, "licence": "CC-BY-SA-4.0", "contributionKind": "knowledge"}
	fake.put(objID, obj)
	offer := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": mallory.id("offers"), "type": "Offer",
		"actor": mallory.URI, "object": obj, "target": group.URI}
	if code, body := mallory.post(t, group.InboxURI, offer); code != http.StatusAccepted {
		t.Fatalf("Offer: %d %s", code, body)
	}
	if row := cmOutcome(t, inst, offer["id"].(string)); row.State != models.ActivityProcessed {
		t.Fatalf("offer ended %s %q", row.State, row.Error)
	}
	co, err := inst.App.Store.ContributionByURI(ctx, objID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(co.Links, "https://good.example/link") {
		t.Fatalf("the safe link was lost: %s", co.Links)
	}
	row := cmRemoteRow(t, inst, mallory)
	posts, err := inst.App.Store.ListDiscussions(ctx, group.URI, 50, 0)
	if err != nil || len(posts) != len(hostile) {
		t.Fatalf("%d posts listed, want %d (%v)", len(posts), len(hostile), err)
	}

	pages := []struct{ path, accept, want string }{
		{"/api/v1/communities/wiki/discussions", "application/json", "good.example/n0"},
		{"/api/v1/contributions/" + co.ID, "application/json", "good.example/link"},
		{"/api/v1/communities/wiki/contributions", "application/json", "Evil offer"},
		{"/c/wiki/discussions", "text/html", "post 0"},
		{"/c/wiki/posts/" + posts[0].ID, "text/html", "good.example/n"},
		{"/api/v1/communities/wiki/discussions/" + posts[0].ID, "application/json", "good.example/n"},
		{"/contributions/" + co.ID, "text/html", "good.example/link"},
		{"/c/wiki/feed.rss", "application/rss+xml", "post 0"},
		{"/c/wiki/feed.atom", "application/atom+xml", "post 0"},
		{"/tags/tag0", "text/html", "post 0"},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, inst.URL+p.path, nil)
			req.Header.Set("Accept", p.accept)
			resp, err := inst.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, p.want) {
				t.Fatalf("%d, want 200 with %q:\n%.2000s", resp.StatusCode, p.want, body)
			}
			for i := range hostile {
				if strings.Contains(body, fmt.Sprintf("evil%d", i)) {
					t.Errorf("shows %q", hostile[i])
				}
			}
		})
	}
	// And what is stored.
	for _, s := range []string{row.URL, row.IconURL, row.ImageURL, row.Fields, strings.Join(co.Links, " "), co.Attachments, strings.Join(co.Contributors, " ")} {
		for i := range hostile {
			if strings.Contains(s, fmt.Sprintf("evil%d", i)) {
				t.Errorf("stored %q", s)
			}
		}
	}
}

func toAny(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}
