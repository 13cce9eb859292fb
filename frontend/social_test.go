package frontend_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func timelineLen(t *testing.T, inst *apptest.Instance, name string) int {
	t.Helper()
	tl, err := inst.App.Svc.Social.Timeline(context.Background(), actor(t, inst, name), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(tl)
}

var unfollowRE = regexp.MustCompile(`action="/follow/([^/"]+)/unfollow"`)

// TestFollowAndTimelineAcrossInstances: A's user follows B's user through /follow,
// B posts through the compose form, A's /home shows it; A unfollows.
func TestFollowAndTimelineAcrossInstances(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ada := newBrowser(t, a)
	want(t, ada.signup("ada", nil), http.StatusSeeOther)
	bob := newBrowser(t, b)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)

	p := ada.post("/follow", "/follow", url.Values{"handle": {b.Handle("bob")}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/follow?") {
		t.Fatalf("follow: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	want(t, ada.get(p.Location), http.StatusOK, "@bob@"+b.Host)
	eventually(t, "the follow to be accepted", func() bool {
		body := ada.get("/follow").Body
		return strings.Contains(body, `<span class="badge ok">Following</span>`) && !strings.Contains(body, "Pending")
	})

	p = bob.post("/home", "/home", url.Values{"content": {"Hello from **B** #commons"}, "visibility": {"public"}})
	if p.Status != http.StatusSeeOther || p.Location != "/home?done=posted" {
		t.Fatalf("post: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	bob.post("/home", "/home", url.Values{"content": {"the ending"}, "summary": {"spoilers <b>ahead</b>"}, "visibility": {"unlisted"}})
	eventually(t, "B's notes on A's home", func() bool {
		body := ada.get("/home").Body
		return strings.Contains(body, "<strong>B</strong>") && strings.Contains(body, "spoilers")
	})
	home := ada.get("/home")
	want(t, home, http.StatusOK, "@bob@"+b.Host, `<details class="cw">`, "spoilers &lt;b&gt;ahead&lt;/b&gt;", "the ending")
	if strings.Contains(home.Body, `/delete"`) {
		t.Fatal("delete button on someone else's note")
	}

	t.Run("admin sees the deliveries", func(t *testing.T) {
		eventually(t, "a completed delivery to B", func() bool {
			return strings.Contains(ada.get("/admin/deliveries?state=completed").Body, b.Host)
		})
		want(t, ada.get("/admin/deliveries?host="+url.QueryEscape(b.Host)), http.StatusOK, "completed", b.URL+"/")
		want(t, ada.get("/admin/deliveries?state=bogus"), http.StatusUnprocessableEntity)
	})

	m := unfollowRE.FindStringSubmatch(ada.get("/follow").Body)
	if m == nil {
		t.Fatal("no unfollow button")
	}
	want(t, ada.post("", "/follow/"+m[1]+"/unfollow", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	p = ada.post("/follow", "/follow/"+m[1]+"/unfollow", url.Values{"who": {"@bob@" + b.Host}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("unfollow: %d\n%s", p.Status, p.Body)
	}
	want(t, ada.get(p.Location), http.StatusOK, "You no longer follow @bob@"+b.Host, "You follow no one yet")
	eventually(t, "the Undo to reach B", func() bool {
		n, _ := b.App.Store.CountFollowers(context.Background(), actor(t, b, "bob").ID)
		return n == 0
	})
}

func TestComposeAndDelete(t *testing.T) {
	inst, ada := startWithAdmin(t)
	want(t, ada.get("/"), http.StatusOK, `href="/home"`)
	want(t, ada.get("/home"), http.StatusOK, `<nav aria-label="Main">`, `href="/home" aria-current="page"`, `name="content"`, `id="f-visibility"`, "Nothing here yet")

	t.Run("logged out is sent to log in", func(t *testing.T) {
		p := newBrowser(t, inst).get("/home")
		if p.Status != http.StatusSeeOther || p.Location != "/login?next=%2Fhome" {
			t.Fatalf("%d %q", p.Status, p.Location)
		}
	})
	t.Run("csrf missing", func(t *testing.T) {
		want(t, ada.post("", "/home", url.Values{"content": {"forged"}}), http.StatusForbidden)
		want(t, ada.post("", "/home", url.Values{"content": {"forged"}, "csrf": {""}}), http.StatusForbidden)
		if n := timelineLen(t, inst, "ada"); n != 0 {
			t.Fatalf("notes posted without a token: %d", n)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		p := ada.post("/home", "/home", url.Values{"content": {"  "}, "visibility": {"public"}})
		want(t, p, http.StatusUnprocessableEntity, "content is required", `aria-invalid="true"`)
		p = ada.post("/home", "/home", url.Values{"content": {"just us"}, "visibility": {"direct"}})
		want(t, p, http.StatusUnprocessableEntity, "must mention someone", `value="direct" selected`, "just us")
		want(t, ada.post("/home", "/home", url.Values{"content": {"x"}, "visibility": {"secret"}}), http.StatusUnprocessableEntity, "visibility must be")
		if n := timelineLen(t, inst, "ada"); n != 0 {
			t.Fatalf("invalid notes posted: %d", n)
		}
	})

	p := ada.post("/home", "/home", url.Values{"content": {"My *first* note <script>alert(1)</script>"}, "summary": {"<i>cw</i>"}, "visibility": {"followers"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("post: %d\n%s", p.Status, p.Body)
	}
	home := ada.get("/home?done=posted")
	want(t, home, http.StatusOK, "Your note was posted.", "<em>first</em>", "&lt;i&gt;cw&lt;/i&gt;", `<span class="badge">followers</span>`, "@ada@"+inst.Host)
	if strings.Contains(home.Body, "<script>alert") {
		t.Fatal("script not sanitised")
	}
	m := regexp.MustCompile(`action="/notes/([^/"]+)/delete"`).FindStringSubmatch(home.Body)
	if m == nil {
		t.Fatal("no delete button on own note")
	}

	other := newBrowser(t, inst)
	other.signup("otto", nil)
	want(t, other.post("/home", "/notes/"+m[1]+"/delete", url.Values{}), http.StatusForbidden)
	want(t, ada.post("", "/notes/"+m[1]+"/delete", url.Values{"csrf": {"bad"}}), http.StatusForbidden)
	if n := timelineLen(t, inst, "ada"); n != 1 {
		t.Fatalf("note deleted without permission: %d", n)
	}
	p = ada.post("/home", "/notes/"+m[1]+"/delete", url.Values{})
	if p.Status != http.StatusSeeOther || p.Location != "/home?done=deleted" {
		t.Fatalf("delete: %d %q", p.Status, p.Location)
	}
	home = ada.get(p.Location)
	want(t, home, http.StatusOK, "Your note was deleted.")
	if strings.Contains(home.Body, "<em>first</em>") {
		t.Fatal("deleted note still shown")
	}
	want(t, ada.post("/home", "/notes/"+m[1]+"/delete", url.Values{}), http.StatusNotFound)
}

func TestTimelinePaging(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	a := actor(t, inst, "ada")
	for i := 1; i <= 25; i++ {
		if _, err := inst.App.Svc.Social.PostNote(ctx, a, service.NoteInput{Content: fmt.Sprintf("note number %d.", i)}); err != nil {
			t.Fatal(err)
		}
	}
	first := ada.get("/home")
	want(t, first, http.StatusOK, "note number 25.", "note number 6.")
	if strings.Contains(first.Body, "note number 5.") {
		t.Fatal("first page too long")
	}
	m := regexp.MustCompile(`href="/home\?max_id=([^"]+)">Older notes`).FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatal("no link to older notes")
	}
	second := ada.get("/home?max_id=" + m[1])
	want(t, second, http.StatusOK, "note number 5.", "note number 1.", "Older notes", `href="/home">Newest notes`)
	if strings.Contains(second.Body, "note number 6.") || strings.Contains(second.Body, "max_id=") {
		t.Fatal("second page overlaps or links further")
	}
}

func TestFollowRequests(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	yes := true
	if err := inst.App.Svc.Actors.UpdateProfile(ctx, actor(t, inst, "ada"), service.Profile{DisplayName: "Ada", ManuallyApprovesFollowers: &yes}); err != nil {
		t.Fatal(err)
	}
	mia, max := newBrowser(t, inst), newBrowser(t, inst)
	mia.signup("mia", nil)
	max.signup("max", nil)
	for _, b := range []*browser{mia, max} {
		p := b.post("/follow", "/follow", url.Values{"handle": {"@ada@" + inst.Host}})
		if p.Status != http.StatusSeeOther || !strings.Contains(p.Location, "done=pending") {
			t.Fatalf("follow: %d %q", p.Status, p.Location)
		}
		want(t, b.get(p.Location), http.StatusOK, "pending until they accept", `<span class="badge">Pending</span>`, "Withdraw request")
	}
	want(t, mia.post("/follow", "/follow", url.Values{"handle": {"@nobody@" + inst.Host}}), http.StatusNotFound, "no actor @nobody here", `id="f-handle-error"`)
	want(t, mia.post("/follow", "/follow", url.Values{"handle": {"@mia@" + inst.Host}}), http.StatusUnprocessableEntity, "cannot follow itself")

	want(t, ada.get("/follow"), http.StatusOK, "Follow requests (2 waiting)")
	reqs := ada.get("/follow_requests")
	want(t, reqs, http.StatusOK, "@mia@"+inst.Host, "@max@"+inst.Host)
	ids := regexp.MustCompile(`action="/follow_requests/([^"]+)"`).FindAllStringSubmatch(reqs.Body, -1)
	if len(ids) != 2 {
		t.Fatalf("request forms: %v", ids)
	}
	// Requests are listed newest first: max, then mia.
	want(t, mia.post("/follow_requests", "/follow_requests/"+ids[1][1], url.Values{"action": {"accept"}}), http.StatusNotFound)
	want(t, ada.post("", "/follow_requests/"+ids[1][1], url.Values{"action": {"accept"}, "csrf": {"bad"}}), http.StatusForbidden)
	want(t, ada.post("/follow_requests", "/follow_requests/"+ids[1][1], url.Values{"action": {"accept"}}), http.StatusSeeOther)
	want(t, ada.post("/follow_requests", "/follow_requests/"+ids[0][1], url.Values{"action": {"reject"}}), http.StatusSeeOther)
	want(t, ada.get("/follow_requests?done=reject"), http.StatusOK, "Follow request rejected.", "No follow requests are waiting")
	want(t, mia.get("/follow"), http.StatusOK, `<span class="badge ok">Following</span>`)
	want(t, max.get("/follow"), http.StatusOK, "You follow no one yet")
}

// TestAuthorizeInteraction is the remote-follow flow: B's WebFinger template
// /authorize_interaction?uri={uri} with a handle of A.
func TestAuthorizeInteraction(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	newBrowser(t, a).signup("ann", nil)
	bob := newBrowser(t, b)
	bob.signup("bob", nil)

	uri := "acct:ann@" + a.Host
	path := "/authorize_interaction?uri=" + url.QueryEscape(uri)
	p := bob.get(path)
	want(t, p, http.StatusOK, "Follow ann", "@ann@"+a.Host, `action="/authorize_interaction"`, `name="uri" value="`+uri+`"`)

	t.Run("logged out keeps the uri", func(t *testing.T) {
		anon := newBrowser(t, b)
		p := anon.get(path)
		if p.Status != http.StatusSeeOther || p.Location != "/login?next="+url.QueryEscape(path) {
			t.Fatalf("%d %q", p.Status, p.Location)
		}
		want(t, anon.get(p.Location), http.StatusOK, `name="next" value="`+path+`"`)
		p = anon.post(p.Location, "/login", url.Values{"login": {"bob"}, "password": {goodPassword}, "next": {path}})
		if p.Status != http.StatusSeeOther || p.Location != path {
			t.Fatalf("after log-in: %d %q", p.Status, p.Location)
		}
	})
	t.Run("bad uri", func(t *testing.T) {
		for _, bad := range []string{"", "@@", "@nobody@" + b.Host, "not a handle"} {
			want(t, bob.get("/authorize_interaction?uri="+url.QueryEscape(bad)), http.StatusUnprocessableEntity, "Cannot follow")
		}
	})
	t.Run("csrf missing", func(t *testing.T) {
		want(t, bob.post("", "/authorize_interaction", url.Values{"uri": {uri}, "csrf": {"x"}}), http.StatusForbidden)
		if fs, _ := b.App.Svc.Social.Following(context.Background(), actor(t, b, "bob"), 10, 0); len(fs) != 0 {
			t.Fatalf("followed without a token: %d", len(fs))
		}
	})

	p = bob.post(path, "/authorize_interaction", url.Values{"uri": {uri}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/authorize_interaction?") || !strings.Contains(p.Location, url.QueryEscape(uri)) {
		t.Fatalf("follow: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	want(t, bob.get(p.Location), http.StatusOK, "@ann@"+a.Host)
	eventually(t, "the follow to be accepted", func() bool {
		return strings.Contains(bob.get(path).Body, "You follow @ann@"+a.Host)
	})
	if n, _ := a.App.Store.CountFollowers(context.Background(), actor(t, a, "ann").ID); n != 1 {
		t.Fatalf("A counts %d followers", n)
	}
	if strings.Contains(bob.get(path).Body, `action="/authorize_interaction"`) {
		t.Fatal("follow button shown while following")
	}
}

// TestAdminDomainPolicy: an admin blocks B's domain through the page; a follow of
// B's user then fails on the form and stores nothing.
func TestAdminDomainPolicy(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	admin := newBrowser(t, a)
	admin.signup("ada", nil)
	newBrowser(t, b).signup("bob", nil)
	ctx := context.Background()

	want(t, admin.get("/admin"), http.StatusOK, `href="/admin/domains"`, `href="/admin/deliveries"`, `href="/admin/reports"`)
	want(t, admin.get("/admin/domains"), http.StatusOK, "No domain is blocked")
	want(t, admin.post("", "/admin/domains", url.Values{"domain": {b.Host}, "policy": {"block"}, "csrf": {"bad"}}), http.StatusForbidden)
	want(t, admin.post("/admin/domains", "/admin/domains", url.Values{"domain": {"not a domain"}, "policy": {"block"}}), http.StatusUnprocessableEntity, "is not a domain")
	p := admin.post("/admin/domains", "/admin/domains", url.Values{"domain": {b.Host}, "policy": {"block"}, "reason": {"spam wave"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("block: %d\n%s", p.Status, p.Body)
	}
	want(t, admin.get(p.Location), http.StatusOK, "Domain blocked.", b.Host, "spam wave")

	p = admin.post("/follow", "/follow", url.Values{"handle": {b.Handle("bob")}})
	want(t, p, http.StatusForbidden, "domain is blocked by this instance", `id="f-handle-error"`)
	want(t, admin.post("/follow", "/follow", url.Values{"handle": {b.ActorURL("bob")}}), http.StatusForbidden, "blocked")
	if _, err := a.App.Store.ActorByHandle(ctx, "bob", b.Host); err == nil {
		t.Fatal("blocked actor stored")
	}
	if fs, _ := a.App.Svc.Social.Following(ctx, actor(t, a, "ada"), 10, 0); len(fs) != 0 {
		t.Fatalf("follow stored: %+v", fs)
	}

	t.Run("moderator reads, cannot change", func(t *testing.T) {
		mod := newBrowser(t, a)
		mod.signup("mo", nil)
		if _, err := a.App.Svc.Accounts.Moderate(ctx, user(t, a, "ada"), "mo", service.ModerationChange{Role: models.RoleModerator}); err != nil {
			t.Fatal(err)
		}
		page := mod.get("/admin/domains")
		want(t, page, http.StatusOK, b.Host)
		if strings.Contains(page.Body, `action="/admin/domains`) {
			t.Fatal("moderator sees the domain forms")
		}
		want(t, mod.get("/admin/deliveries"), http.StatusOK)
		want(t, mod.post("/admin/domains", "/admin/domains/remove", url.Values{"domain": {b.Host}}), http.StatusForbidden)
		want(t, mod.post("/admin/domains", "/admin/domains", url.Values{"domain": {"other.example"}, "policy": {"block"}}), http.StatusForbidden)
	})

	p = admin.post("/admin/domains", "/admin/domains/remove", url.Values{"domain": {b.Host}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d\n%s", p.Status, p.Body)
	}
	want(t, admin.get(p.Location), http.StatusOK, "Entry removed.", "No domain is blocked")
	p = admin.post("/follow", "/follow", url.Values{"handle": {b.Handle("bob")}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("follow after unblock: %d\n%s", p.Status, p.Body)
	}
}

func TestAdminFederationPagesAccess(t *testing.T) {
	inst, admin := startWithAdmin(t)
	member := newBrowser(t, inst)
	member.signup("mia", nil)
	ctx := context.Background()
	if err := inst.App.Svc.Social.ReceiveFlag(ctx, actor(t, inst, "mia"), "https://remote.example/flags/1",
		[]string{actor(t, inst, "ada").URI}, "<p>Spam &amp; abuse</p>"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin/deliveries", "/admin/domains", "/admin/reports"} {
		want(t, member.get(path), http.StatusForbidden)
		p := newBrowser(t, inst).get(path)
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login?next=") {
			t.Fatalf("anonymous %s: %d %q", path, p.Status, p.Location)
		}
	}
	want(t, member.post("/home", "/admin/domains", url.Values{"domain": {"evil.example"}, "policy": {"block"}}), http.StatusForbidden)
	if entries, _ := inst.App.Svc.Admin.DomainPolicies(ctx, nil); len(entries) != 0 {
		t.Fatalf("member added a domain policy: %+v", entries)
	}
	want(t, admin.get("/admin/reports"), http.StatusOK, "@mia@"+inst.Host, "@ada@"+inst.Host, "Spam &amp; abuse")
	want(t, admin.get("/admin/deliveries"), http.StatusOK, "No deliveries")
}

func TestSocialPagesAccessible(t *testing.T) {
	inst, admin := startWithAdmin(t)
	for _, path := range []string{"/home", "/follow", "/follow_requests", "/admin/deliveries", "/admin/domains", "/admin/reports",
		"/authorize_interaction?uri=" + url.QueryEscape("@ada@"+inst.Host)} {
		t.Run(path, func(t *testing.T) {
			p := admin.get(path)
			want(t, p, http.StatusOK, `<html lang="en">`, `href="#main"`, `<nav aria-label="Main">`)
			for _, m := range inputIDRE.FindAllStringSubmatch(p.Body, -1) {
				if !strings.Contains(p.Body, `for="`+m[1]+`"`) {
					t.Errorf("input %s has no label", m[1])
				}
			}
		})
	}
}

func TestBoostShown(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	mia := newBrowser(t, inst)
	mia.signup("mia", nil)
	newBrowser(t, inst).signup("otto", nil)
	want(t, ada.post("/follow", "/follow", url.Values{"handle": {"mia"}}), http.StatusSeeOther)
	n, err := inst.App.Svc.Social.PostNote(ctx, actor(t, inst, "otto"), service.NoteInput{Content: "worth sharing"})
	if err != nil {
		t.Fatal(err)
	}
	if err := inst.App.Svc.Social.ReceiveAnnounce(ctx, actor(t, inst, "mia"), inst.URL+"/activities/boost1", n); err != nil {
		t.Fatal(err)
	}
	want(t, ada.get("/home"), http.StatusOK, "Boosted by", `href="/@mia">mia</a>`, "worth sharing", "@otto@"+inst.Host)
}
