package federation_test

import (
	"context"
	"encoding/json"
	"github.com/commonsd/commonsd/internal/fixtures"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func fixturesDir(t *testing.T) string { return fixtures.Dir(t) }

func readFixture(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestMastodonFixtures serves Mastodon's Person document (ids moved to a local
// server, our key in publicKeyPem) and POSTs Mastodon's own activities, rewritten
// to that actor and to a local user, signed as Mastodon signs: each is accepted
// and has its effect.
func TestMastodonFixtures(t *testing.T) {
	dir := filepath.Join(fixturesDir(t), "mastodon")
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ctx := context.Background()
	ada := actorOf(t, inst, "ada")
	note, err := inst.App.Svc.Social.PostNote(ctx, ada, service.NoteInput{Content: "a note to like and report"})
	if err != nil {
		t.Fatal(err)
	}
	rem := newRemote(t)
	origin := rem.URL()
	actor := origin + "/users/mastodon"

	var person map[string]any
	if err := json.Unmarshal([]byte(strings.ReplaceAll(readFixture(t, dir, "objects/person.json"),
		"https://masto.qa.urbanwildlife.biz", origin)), &person); err != nil {
		t.Fatal(err)
	}
	pem, _ := signing.EncodePublicKey(&rem.key.PublicKey)
	person["publicKey"].(map[string]any)["publicKeyPem"] = string(pem)
	rem.Serve("/users/mastodon", mustJSON(t, person))

	send := func(file string, pairs ...string) {
		t.Helper()
		body := strings.NewReplacer(pairs...).Replace(readFixture(t, dir, file))
		if !strings.Contains(body, `"`+actor+`"`) {
			t.Fatalf("%s: rewrite left the actor out:\n%s", file, body)
		}
		if code, resp := rem.postAs(t, inst.ActorURL("ada")+"/inbox", actor, []byte(body)); code != 202 {
			t.Fatalf("%s: status %d: %s", file, code, resp)
		}
	}
	felix := []string{"https://mastodon.madrid/users/felix", actor, "https://mastodon.madrid", origin,
		"https://mamot.fr", "https://mamot.fr.invalid"}
	asonix := []string{"https://masto.asonix.dog/users/asonix", actor, "https://masto.asonix.dog", origin,
		"https://ds9.lemmy.ml/c/testcom", ada.URI}

	send("activities/follow.json", asonix...)
	eventually(t, "the follow", func() bool {
		n, _ := inst.App.Store.CountFollowers(ctx, ada.ID)
		return n == 1
	})
	eventually(t, "the Accept at the Mastodon actor", func() bool {
		for _, p := range rem.Posts() {
			if strings.Contains(string(p.Body), `"Accept"`) && strings.Contains(string(p.Body), "1ea87517-63c5-4118-8831-460ee641b2cf") {
				return true
			}
		}
		return false
	})

	noteURI := actor + "/statuses/107224289116410645"
	send("activities/create_note.json", felix...)
	eventually(t, "the note", func() bool {
		n, err := inst.App.Store.NoteByURI(ctx, noteURI)
		return err == nil && strings.Contains(n.Content, "thinkpad") && n.Visibility == models.VisibilityUnlisted
	})

	send("activities/like_page.json", append([]string{"https://ds9.lemmy.ml/post/147", note.URI}, felix...)...)
	eventually(t, "the like", func() bool {
		n, _ := inst.App.Store.CountLikes(ctx, note.URI)
		return n == 1
	})
	send("activities/undo_like_page.json", append([]string{"https://ds9.lemmy.ml/post/147", note.URI,
		"#likes/212341", "#likes/212340"}, felix...)...)
	eventually(t, "the like undone", func() bool {
		n, _ := inst.App.Store.CountLikes(ctx, note.URI)
		return n == 0
	})

	send("activities/flag.json", "https://mastodon.example/actor", actor, "https://mastodon.example", origin,
		"https://example.com/users/1", ada.URI, "https://example.com/posts/380590", note.URI,
		"https://example.com", "https://example.com.invalid")
	eventually(t, "the report", func() bool {
		rs, _ := inst.App.Store.ListReports(ctx, 10, 0)
		return len(rs) == 1 && rs[0].TargetActorID == ada.ID && strings.Contains(rs[0].Content, "take a look")
	})

	send("activities/delete.json", append([]string{"https://mastodon.madrid/users/felix/statuses/107773559874184870", noteURI}, felix...)...)
	eventually(t, "the note deleted", func() bool {
		n, err := inst.App.Store.NoteByURI(ctx, noteURI)
		return err == nil && n.DeletedAt != nil
	})

	send("activities/undo_follow.json", asonix...)
	eventually(t, "the follow undone", func() bool {
		n, _ := inst.App.Store.CountFollowers(ctx, ada.ID)
		return n == 0
	})
	for _, a := range failedInbound(inst) {
		t.Errorf("inbound %s %s failed: %s", a.Type, a.URI, a.Error)
	}
}

var urlRE = regexp.MustCompile(`https?://[A-Za-z0-9._\-]+(?::[0-9]+)?`)

// rewriteFixture moves a fixture onto the test's servers: the origin of its
// actor (or, for an object, of its id) becomes origin/<host> (so fixtures stay
// apart), ActivityStreams and security vocabulary URLs stay, every other host
// gets .invalid appended (never resolvable: no test reaches the Internet). A
// Follow or Block (or Undo of one) is retargeted at local. It returns the new
// body and actor ("" if there is none).
func rewriteFixture(raw []byte, origin, local string) ([]byte, string) {
	var doc map[string]any
	if json.Unmarshal(raw, &doc) != nil {
		return raw, ""
	}
	home := ""
	for _, k := range []string{"actor", "id"} {
		if v := idOf(doc[k]); v != "" {
			if u, err := url.Parse(v); err == nil && u.Host != "" {
				home = u.Scheme + "://" + u.Host
				break
			}
		}
	}
	out := urlRE.ReplaceAllStringFunc(string(raw), func(s string) string {
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		switch {
		case s == home:
			return origin + "/" + u.Host
		case u.Host == "www.w3.org" || u.Host == "w3id.org":
			return s
		default:
			return s + ".invalid"
		}
	})
	if json.Unmarshal([]byte(out), &doc) != nil {
		return []byte(out), ""
	}
	retarget := func(m map[string]any) {
		if t, _ := m["type"].(string); t == "Follow" || t == "Block" {
			m["object"] = local
		}
	}
	retarget(doc)
	if t, _ := doc["type"].(string); t == "Undo" {
		if inner, ok := doc["object"].(map[string]any); ok {
			retarget(inner)
		}
	}
	b, _ := json.Marshal(doc)
	return b, idOf(doc["actor"])
}

func idOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		s, _ := x["id"].(string)
		return s
	case []any:
		if len(x) > 0 {
			return idOf(x[0])
		}
	}
	return ""
}

// TestEveryFixtureThroughTheInbox walks every fixture of every server (activities,
// objects, collections), rewritten onto a local server and signed by its actor,
// through a local user's inbox and the shared inbox: each answer is 202 or a
// specific 4xx, never a 5xx, and the instance stays healthy.
func TestEveryFixtureThroughTheInbox(t *testing.T) {
	root := fixturesDir(t)
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	rem := newRemote(t)
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 50 {
		t.Fatalf("only %d fixtures under %s", len(files), root)
	}
	statuses := map[int]int{}
	for i, p := range files {
		name, _ := filepath.Rel(root, p)
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		body, actor := rewriteFixture(raw, rem.URL(), inst.ActorURL("ada"))
		inbox := inst.ActorURL("ada") + "/inbox"
		if i%2 == 1 {
			inbox = inst.URL + "/inbox"
		}
		signer := actor
		if signer == "" {
			signer = rem.Actor("nobody")
		}
		code, resp := rem.postAs(t, inbox, signer, body)
		statuses[code]++
		t.Logf("%-55s %d %s", name, code, strings.TrimSpace(resp))
		if code != 202 && (code < 400 || code >= 500) {
			t.Errorf("%s: status %d: %s", name, code, resp)
		}
		if strings.HasPrefix(name, "mastodon/activities/") && code != 202 && name != "mastodon/activities/private_message.json" {
			t.Errorf("%s: Mastodon activity refused with %d: %s", name, code, resp)
		}
	}
	t.Logf("statuses: %v", statuses)
	healthy(t, inst)

	// Let the jobs run (the test fails if they do not finish), then check that none
	// panicked and the instance answers.
	inst.WaitQueueIdle(t)
	var errsJSON []string
	q := "SELECT json(errors) FROM river_job WHERE kind = 'inbox.process' AND errors IS NOT NULL"
	if inst.App.Store.Driver == "postgres" {
		q = "SELECT errors::text FROM river_job WHERE kind = 'inbox.process' AND errors IS NOT NULL"
	}
	if err := inst.App.Store.DB.Raw(q).Scan(&errsJSON).Error; err != nil {
		t.Fatal(err)
	}
	t.Logf("%d inbox jobs recorded errors", len(errsJSON))
	for _, e := range errsJSON {
		if strings.Contains(e, "panic") {
			t.Errorf("inbox job panicked: %s", e)
		}
	}
	var rows []models.Activity
	inst.App.Store.DB.Where("local = ?", false).Find(&rows)
	byState := map[string]int{}
	for _, a := range rows {
		byState[a.State]++
		if a.State != models.ActivityProcessed {
			t.Logf("%s: %s %s: %s", a.State, a.Type, a.URI, a.Error)
		}
	}
	t.Logf("processing: %v", byState)
	healthy(t, inst)
}
