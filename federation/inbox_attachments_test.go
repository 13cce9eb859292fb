package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/internal/fixtures"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// attachmentsOf is the media a fixture carries as a note would carry it: its
// (or its activity's object's) attachment list, or, for a Video (PeerTube),
// its url list of Links.
func attachmentsOf(t *testing.T, rel string) (typ string, key string, v any) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(fixtures.Read(t, rel), &doc); err != nil {
		t.Fatal(err)
	}
	if o, ok := doc["object"].(map[string]any); ok {
		doc = o
	}
	typ, _ = doc["type"].(string)
	if typ == "Video" {
		return typ, "url", doc["url"]
	}
	return typ, "attachment", doc["attachment"]
}

// TestRemoteNoteAttachments: the media of a remote note are kept and shown on
// the addressee's timeline, for every stored fixture that carries media (the
// fixture's own attachment list or url Links, grafted onto a note by x
// addressed to ada): an https image as <img> with its alt text, anything else
// (an http image, which the pages' CSP blocks, a video, a link) as a link
// with its media type. Hostile lists: javascript:, data:, protocol-relative
// and user-info URLs are dropped with their attachment; an alt text with
// markup is escaped; more than models.MaxNoteAttachments are cut; more than
// the inbox's limit is refused. An Update replaces the attachments.
func TestRemoteNoteAttachments(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	u, err := e.inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	sess, _, err := e.inst.App.Svc.Accounts.NewSession(ctx, u, "test")
	if err != nil {
		t.Fatal(err)
	}
	home := func(t *testing.T) string {
		t.Helper()
		code, body := visGet(t, e.inst, visReader{name: "ada", session: sess}, "/home", "text/html", false)
		if code != 200 {
			t.Fatalf("/home: %d", code)
		}
		return body
	}
	img := func(src string) string { return `<img src="` + html.EscapeString(src) + `"` }
	link := func(href string) string {
		return `<a href="` + html.EscapeString(href) + `" rel="nofollow noopener noreferrer">`
	}
	many := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"type": "Image", "mediaType": "image/png", "url": fmt.Sprintf("https://m.example/%d.png", i), "name": "picture"}
		}
		return out
	}

	type tc struct {
		name    string
		typ     string // the object's type (Note when empty)
		key     string // attachment or url
		value   any
		status  int
		stored  int
		shown   []string // substrings of ada's /home
		absent  []string
		checkDB func(t *testing.T, n *models.Note)
	}
	var cases []tc
	for _, f := range []struct {
		rel           string
		stored        int
		shown, absent []string
	}{
		{"mastodon/objects/note_2.json", 1, []string{
			img("https://cdn.masto.host/floss/media_attachments/files/113/306/826/682/985/891/original/c8d906a2f2ab2334.jpg"),
			`alt="The KDE dragons Katie and Konqi stand on either side of a pot filling up with gold coins. Donate!" width="1500" height="1095"`}, nil},
		{"lemmy/objects/page_image_and_link.json", 2, []string{img("https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png"),
			link("https://example.com/some-article") + "https://example.com/some-article</a> <span class=\"muted\">(text/html)</span>"}, nil},
		{"lemmy/objects/page.json", 1, []string{link("https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png")}, nil},
		{"lemmy/activities/create_or_update/create_page.json", 1, []string{link("https://lemmy.ml/pictrs/image/xl8W7FZfk9.jpg")}, nil},
		{"lemmy/activities/create_or_update/update_page.json", 1, []string{link("https://lemmy.ml/pictrs/image/xl8W7FZfk9.jpg")}, nil},
		{"mobilizon/objects/event.json", 1, []string{`alt="Banner"`}, nil},
		{"lotide/activities/create_page_image.json", 1, []string{link("http://ltthostname.local:3334/api/stable/posts/46/href") + "http://ltthostname.local:3334/api/stable/posts/46/href</a> <span class=\"muted\">(image)</span>"},
			[]string{img("http://ltthostname.local:3334/api/stable/posts/46/href")}},
		{"peertube/objects/video.json", 1, []string{link("https://tilvids.com/static/streaming-playlists/hls/e7946124-7b72-4ad7-9d22-844a84bb2de1/0b870685-4461-47a3-8fac-e5531cd8acf5-1080-fragmented.mp4"), "(video/mp4)"}, nil},
	} {
		typ, key, v := attachmentsOf(t, f.rel)
		if typ != "Video" {
			typ = ""
		}
		cases = append(cases, tc{name: f.rel, typ: typ, key: key, value: v, status: 202, stored: f.stored, shown: f.shown, absent: f.absent})
	}
	cases = append(cases,
		tc{name: "hostile URLs", key: "attachment", status: 202, stored: 1, value: []any{
			map[string]any{"type": "Image", "mediaType": "image/png", "url": "javascript:alert(1)", "name": "js"},
			map[string]any{"type": "Image", "mediaType": "image/png", "url": "data:image/png;base64,iVBORw0KGgo=", "name": "data"},
			map[string]any{"type": "Document", "url": "//evil.example/x.png"},
			map[string]any{"type": "Document", "url": "https://trusted.example@evil.example/x.png"},
			map[string]any{"type": "Document", "url": []any{map[string]any{"type": "Link", "mediaType": "image/png", "href": "JaVaScRiPt:alert(2)"}}},
			map[string]any{"type": "Image", "mediaType": "image/png", "url": "https://ok.example/fine.png",
				"name": `"><script>alert(3)</script>`, "width": -5, "height": 1e12, "focalPoint": []any{7, 0}},
		}, shown: []string{img("https://ok.example/fine.png"), `alt="&#34;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"`},
			absent: []string{"javascript:", "JaVaScRiPt", "data:image", "evil.example", "<script>alert(3)"},
			checkDB: func(t *testing.T, n *models.Note) {
				a := n.Attachments[0]
				if a.Width != 0 || a.Height != 0 || a.FocalPoint != nil {
					t.Errorf("out-of-range size or focal point kept: %+v", a)
				}
			}},
		tc{name: "200 attachments are cut", key: "attachment", value: many(200), status: 202, stored: models.MaxNoteAttachments,
			shown: []string{img("https://m.example/15.png")}, absent: []string{"https://m.example/16.png"}},
		tc{name: "201 attachments are refused", key: "attachment", value: many(201), status: 400},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := e.id("notes")
			n := e.note(id, e.x, "")
			n["to"] = []string{asPublic, e.ada}
			if c.typ != "" {
				n["type"] = c.typ
				n["name"] = "a video"
			}
			n[c.key] = c.value
			doc := e.act("Create", e.x, "object", n, "to", []string{asPublic, e.ada})
			code, body := e.rem.postAs(t, e.ada+"/inbox", e.x, mustJSON(t, doc))
			if code != c.status {
				t.Fatalf("status %d, want %d: %s", code, c.status, body)
			}
			if code != 202 {
				return
			}
			if row := waitProcessed(t, e.inst, doc["id"].(string)); row.State != models.ActivityProcessed {
				t.Fatalf("%s: %s", row.State, row.Error)
			}
			stored := e.noteRow(id)
			if len(stored.Attachments) != c.stored {
				t.Fatalf("%d attachments stored, want %d: %+v", len(stored.Attachments), c.stored, stored.Attachments)
			}
			for _, a := range stored.Attachments {
				if !strings.HasPrefix(a.URL, "https://") && !strings.HasPrefix(a.URL, "http://") {
					t.Errorf("unsafe URL stored: %q", a.URL)
				}
			}
			if c.checkDB != nil {
				c.checkDB(t, stored)
			}
			page := home(t)
			for _, s := range c.shown {
				if !strings.Contains(page, s) {
					t.Errorf("/home lacks %s", s)
				}
			}
			for _, s := range c.absent {
				if strings.Contains(page, s) {
					t.Errorf("/home shows %s", s)
				}
			}
		})
	}

	t.Run("a community thread shows the post's and a reply's media", func(t *testing.T) {
		group, _, err := e.inst.App.Svc.Communities.Create(ctx, u, service.CommunityInput{Handle: "pics", Name: "Pics",
			Licence: "CC-BY-SA-4.0", PostingPolicy: models.PolicyOpen})
		if err != nil {
			t.Fatal(err)
		}
		postID := e.id("notes")
		post := e.note(postID, e.x, group.URI)
		post["name"] = "Our beds"
		post["attachment"] = []any{map[string]any{"type": "Image", "mediaType": "image/jpeg", "url": "https://m.example/beds.jpg",
			"name": "raised beds in the sun", "width": 800, "height": 600}}
		e.setup(e.x, e.act("Create", e.x, "object", post, "to", []string{asPublic}, "audience", group.URI))
		replyID := e.id("notes")
		reply := e.note(replyID, e.x, group.URI)
		reply["inReplyTo"] = postID
		reply["attachment"] = []any{map[string]any{"type": "Video", "mediaType": "video/webm", "url": "https://m.example/tour.webm", "name": "a tour"}}
		e.setup(e.x, e.act("Create", e.x, "object", reply, "to", []string{asPublic}, "audience", group.URI))
		code, page := visGet(t, e.inst, visReader{name: "anon"}, "/c/pics/posts/"+e.noteRow(postID).ID, "text/html", false)
		if code != 200 {
			t.Fatalf("thread: %d", code)
		}
		for _, want := range []string{img("https://m.example/beds.jpg") + ` alt="raised beds in the sun" width="800" height="600"`,
			link("https://m.example/tour.webm") + `a tour</a> <span class="muted">(video/webm)</span>`} {
			if !strings.Contains(page, want) {
				t.Errorf("thread page lacks %s", want)
			}
		}
	})

	t.Run("an Update replaces the attachments", func(t *testing.T) {
		id := e.id("notes")
		n := e.note(id, e.x, "")
		n["to"] = []string{asPublic, e.ada}
		n["attachment"] = []any{map[string]any{"type": "Image", "mediaType": "image/png", "url": "https://m.example/before.png"}}
		e.setup(e.x, e.act("Create", e.x, "object", n, "to", []string{asPublic, e.ada}))
		n["attachment"] = []any{map[string]any{"type": "Image", "mediaType": "image/png", "url": "https://m.example/after.png", "name": "after"}}
		n["updated"] = "2030-01-01T00:00:00Z"
		e.setup(e.x, e.act("Update", e.x, "object", n, "to", []string{asPublic, e.ada}))
		got := e.noteRow(id).Attachments
		if len(got) != 1 || got[0].URL != "https://m.example/after.png" || got[0].Name != "after" {
			t.Fatalf("attachments after the Update: %+v", got)
		}
	})
}
