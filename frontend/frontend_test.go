package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
)

func TestFirstAccountBecomesAdmin(t *testing.T) {
	inst := apptest.Start(t)
	b := newBrowser(t, inst)
	want(t, b.get("/signup"), http.StatusOK, "the first account becomes its administrator")
	p := b.signup("founder", nil)
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		t.Fatalf("sign-up: %d %q", p.Status, p.Location)
	}
	if u := user(t, inst, "founder"); u == nil || u.Role != models.RoleAdmin || !u.Approved {
		t.Fatalf("first account: %+v", u)
	}
	want(t, b.get("/"), http.StatusOK, "Welcome back, founder", `href="/admin"`)
	ck := cookieNamed(t, inst, b, "commonsd_session")
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
		t.Fatalf("session cookie flags: %+v", ck)
	}
}

// cookieNamed finds a Set-Cookie on a fresh log-in (the jar hides the flags).
func cookieNamed(t *testing.T, inst *apptest.Instance, b *browser, name string) *http.Cookie {
	t.Helper()
	anon := newBrowser(t, inst)
	p := anon.login(user(t, inst, "founder").Username, goodPassword)
	for _, c := range (&http.Response{Header: p.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s cookie set", name)
	return nil
}

func TestSignUpModes(t *testing.T) {
	inst, admin := startWithAdmin(t)
	_ = admin
	ctx := context.Background()
	inv, err := inst.App.Svc.Instance.CreateInvite(ctx, user(t, inst, "ada"), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, mode, user string
		extra            url.Values
		status           int
		body             string
		approved, exists bool
	}{
		{"open", "open", "olivia", nil, http.StatusSeeOther, "", true, true},
		{"approval without reason", "approval", "paul", nil, http.StatusUnprocessableEntity, "tell the moderators why", false, false},
		{"approval with reason", "approval", "pia", url.Values{"reason": {"I garden with the commons"}}, http.StatusOK, "waiting for approval", false, true},
		{"closed without invite", "closed", "carl", nil, http.StatusForbidden, "registration is closed", false, false},
		{"closed with bad invite", "closed", "cleo", url.Values{"invite": {"nope"}}, http.StatusForbidden, "invite link is invalid", false, false},
		{"closed with invite", "closed", "cora", url.Values{"invite": {inv.Code}}, http.StatusSeeOther, "", true, true},
		{"closed with used invite", "closed", "cato", url.Values{"invite": {inv.Code}}, http.StatusForbidden, "invite link is invalid", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setMode(t, inst, tc.mode)
			b := newBrowser(t, inst)
			p := b.signup(tc.user, tc.extra)
			want(t, p, tc.status, tc.body)
			u := user(t, inst, tc.user)
			if (u != nil) != tc.exists {
				t.Fatalf("account exists = %v, want %v", u != nil, tc.exists)
			}
			if u != nil && u.Approved != tc.approved {
				t.Fatalf("approved = %v, want %v", u.Approved, tc.approved)
			}
			if got := b.loggedIn(); got != (tc.status == http.StatusSeeOther) {
				t.Fatalf("logged in = %v", got)
			}
		})
	}
	t.Run("closed page without invite shows no form", func(t *testing.T) {
		setMode(t, inst, "closed")
		p := newBrowser(t, inst).get("/signup")
		want(t, p, http.StatusOK, "You need an invite link")
		if strings.Contains(p.Body, `action="/signup"`) {
			t.Fatal("closed sign-up page shows the form")
		}
		want(t, newBrowser(t, inst).get("/signup?invite=abc"), http.StatusOK, `name="invite" value="abc"`)
	})
	t.Run("pending account cannot log in", func(t *testing.T) {
		p := newBrowser(t, inst).login("pia", goodPassword)
		want(t, p, http.StatusForbidden, "waiting for approval")
	})
}

func TestSignUpErrors(t *testing.T) {
	inst, _ := startWithAdmin(t)
	newBrowser(t, inst).signup("taken", nil)
	tests := []struct {
		name   string
		vals   url.Values
		status int
		body   string
	}{
		{"duplicate username", url.Values{"username": {"taken"}, "email": {"other@example.org"}, "password": {goodPassword}},
			http.StatusConflict, `the username &#34;taken&#34; is taken`},
		{"duplicate email", url.Values{"username": {"fresh1"}, "email": {"taken@example.org"}, "password": {goodPassword}},
			http.StatusConflict, "email address is already registered"},
		{"weak password", url.Values{"username": {"fresh2"}, "email": {"fresh2@example.org"}, "password": {"short"}},
			http.StatusUnprocessableEntity, "password must be at least 10 characters"},
		{"bad handle", url.Values{"username": {"no spaces"}, "email": {"fresh3@example.org"}, "password": {goodPassword}},
			http.StatusUnprocessableEntity, "a username is 1 to 30 characters from a–z, 0–9 and _"},
		{"lone underscore", url.Values{"username": {"_"}, "email": {"fresh7@example.org"}, "password": {goodPassword}},
			http.StatusUnprocessableEntity, "a username needs at least one letter or digit"},
		{"bad email", url.Values{"username": {"fresh4"}, "email": {"nope"}, "password": {goodPassword}},
			http.StatusUnprocessableEntity, "email address is not valid"},
		{"csrf missing", url.Values{"username": {"fresh5"}, "email": {"fresh5@example.org"}, "password": {goodPassword}, "csrf": {""}},
			http.StatusForbidden, "form token"},
		{"csrf wrong", url.Values{"username": {"fresh6"}, "email": {"fresh6@example.org"}, "password": {goodPassword}, "csrf": {"forged-token-forged-token-forged-token"}},
			http.StatusForbidden, "form token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t, inst)
			b.get("/signup") // gets the CSRF cookie
			from := "/signup"
			if _, ok := tc.vals["csrf"]; ok {
				from = ""
			}
			p := b.post(from, "/signup", tc.vals)
			want(t, p, tc.status, tc.body)
			if name := tc.vals.Get("username"); name != "taken" && user(t, inst, name) != nil {
				t.Fatalf("account %s created", name)
			}
			if tc.status == http.StatusUnprocessableEntity && !strings.Contains(p.Body, `aria-invalid="true"`) {
				t.Fatal("error is not linked to a field")
			}
		})
	}
	t.Run("every invalid field at once, the first one focused", func(t *testing.T) {
		p := newBrowser(t, inst).signup("_", url.Values{"email": {"nope"}, "password": {"short"}})
		want(t, p, http.StatusUnprocessableEntity, `id="f-username-error"`, `id="f-email-error"`, `id="f-password-error"`,
			"a username needs at least one letter or digit", "email address is not valid", "password must be at least 10 characters")
		if n := strings.Count(p.Body, " autofocus"); n != 1 || !regexp.MustCompile(`<input id="f-username"[^>]* autofocus`).MatchString(p.Body) {
			t.Fatalf("autofocus %d times, want once on the username:\n%s", n, p.Body)
		}
	})
	t.Run("re-rendered form keeps input but not the password", func(t *testing.T) {
		p := newBrowser(t, inst).signup("x y", nil)
		want(t, p, http.StatusUnprocessableEntity, `value="x y"`, `aria-describedby="f-username-error f-username-hint"`)
		if strings.Contains(p.Body, goodPassword) {
			t.Fatal("password echoed back")
		}
	})
}

func TestLogin(t *testing.T) {
	inst, _ := startWithAdmin(t)
	newBrowser(t, inst).signup("lena", nil)
	tests := []struct {
		name, login, password, next string
		status                      int
		location, body              string
	}{
		{"bad password", "lena", "wrong password!", "", http.StatusUnauthorized, "", "invalid username or password"},
		{"unknown user", "nobody", goodPassword, "", http.StatusUnauthorized, "", "invalid username or password"},
		{"username", "lena", goodPassword, "", http.StatusSeeOther, "/", ""},
		{"email", "lena@example.org", goodPassword, "", http.StatusSeeOther, "/", ""},
		{"safe next", "lena", goodPassword, "/settings/profile", http.StatusSeeOther, "/settings/profile", ""},
		{"open redirect", "lena", goodPassword, "//evil.example/", http.StatusSeeOther, "/", ""},
		{"absolute next", "lena", goodPassword, "https://evil.example/", http.StatusSeeOther, "/", ""},
		{"backslash next", "lena", goodPassword, "/\\evil.example", http.StatusSeeOther, "/", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t, inst)
			p := b.post("/login", "/login", url.Values{"login": {tc.login}, "password": {tc.password}, "next": {tc.next}})
			want(t, p, tc.status, tc.body)
			if p.Location != tc.location {
				t.Fatalf("location %q, want %q", p.Location, tc.location)
			}
			if b.loggedIn() != (tc.status == http.StatusSeeOther) {
				t.Fatal("session state wrong")
			}
		})
	}
	t.Run("csrf missing", func(t *testing.T) {
		b := newBrowser(t, inst)
		b.get("/login")
		want(t, b.post("", "/login", url.Values{"login": {"lena"}, "password": {goodPassword}}), http.StatusForbidden)
		if b.loggedIn() {
			t.Fatal("logged in without a CSRF token")
		}
	})
	t.Run("suspended", func(t *testing.T) {
		newBrowser(t, inst).signup("sam", nil)
		yes := true
		if _, err := inst.App.Svc.Accounts.Moderate(context.Background(), nil, "sam", modSuspend(&yes)); err != nil {
			t.Fatal(err)
		}
		want(t, newBrowser(t, inst).login("sam", goodPassword), http.StatusForbidden, "suspended")
	})
	t.Run("rate limited", func(t *testing.T) {
		b := newBrowser(t, inst)
		var p page
		for i := 0; i < inst.Cfg.Security.LoginAttemptsPerMinute+2; i++ {
			p = b.login("ratey", "wrong password!")
		}
		want(t, p, http.StatusTooManyRequests, "too many login attempts")
	})
}

func TestLogout(t *testing.T) {
	inst, b := startWithAdmin(t)
	if !b.loggedIn() {
		t.Fatal("not logged in after sign-up")
	}
	want(t, b.post("", "/logout", url.Values{"csrf": {"wrong"}}), http.StatusForbidden)
	if !b.loggedIn() {
		t.Fatal("logged out without a valid token")
	}
	p := b.logout()
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		t.Fatalf("logout: %d %q", p.Status, p.Location)
	}
	if b.loggedIn() {
		t.Fatal("still logged in")
	}
	p = b.get("/settings/profile")
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login?next=") {
		t.Fatalf("settings after logout: %d %q", p.Status, p.Location)
	}
	_ = inst
}

func TestProfilePages(t *testing.T) {
	inst, _ := startWithAdmin(t)
	ctx := context.Background()
	if _, err := inst.App.Svc.Actors.CreateLocal(ctx, models.ActorGroup, "gardeners", "Community gardeners"); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, inst)
	tests := []struct {
		path   string
		status int
		body   []string
	}{
		{"/@ada", http.StatusOK, []string{"@ada@" + inst.Host, `<html lang="en">`}},
		{"/users/ada", http.StatusOK, []string{"@ada@" + inst.Host}},
		{"/@gardeners", http.StatusOK, []string{"Community gardeners", `<span class="badge">Group</span>`}},
		{"/about", http.StatusOK, []string{"About commonsd", "Application", "Open: anyone may sign up"}},
		{"/@nobody", http.StatusNotFound, []string{"no actor @nobody here", `<main id="main"`}},
		{"/", http.StatusOK, []string{"Members", `href="/signup"`, `class="skip" href="#main"`}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			want(t, b.get(tc.path), tc.status, tc.body...)
		})
	}
}

func TestProfileUpdate(t *testing.T) {
	inst, b := startWithAdmin(t)
	vals := url.Values{"display_name": {"Ada Admin"}, "bio": {"Tends the <commons>.\n\nSecond paragraph."},
		"field_name": {"Website", "", "Pronouns", ""}, "field_value": {"https://example.org", "", "she/her", ""}}
	p := b.post("/settings/profile", "/settings/profile", vals)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", p.Status, p.Body)
	}
	want(t, b.get("/@ada"), http.StatusOK, "Ada Admin", "Tends the &lt;commons&gt;.", "<p>Second paragraph.</p>", "Pronouns", "she/her")

	bad := []struct {
		name string
		vals url.Values
		msg  string
	}{
		{"long display name", url.Values{"display_name": {strings.Repeat("x", 101)}, "bio": {"changed"}}, "display name is longer"},
		{"bidi override in display name", url.Values{"display_name": {"Ada \u202egnp.exe"}}, "text-direction control character (U&#43;202E)"},
		{"bidi isolate in a field label", url.Values{"display_name": {"Ada"}, "field_name": {"Web\u2067site"}, "field_value": {"v"}}, "text-direction control character (U&#43;2067)"},
		{"long bio", url.Values{"display_name": {"Changed"}, "bio": {strings.Repeat("x", 2001)}}, "bio is longer"},
		{"long field", url.Values{"display_name": {"Changed"}, "field_name": {strings.Repeat("x", 256)}, "field_value": {"v"}}, "at most 255"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			p := b.post("/settings/profile", "/settings/profile", tc.vals)
			want(t, p, http.StatusUnprocessableEntity, tc.msg, `class="error" id="f`)
			a := actor(t, inst, "ada")
			if a.Name != "Ada Admin" || !strings.HasPrefix(a.SummarySource, "Tends") {
				t.Fatalf("profile changed: %q %q", a.Name, a.SummarySource)
			}
		})
	}
	t.Run("csrf missing", func(t *testing.T) {
		want(t, b.post("", "/settings/profile", url.Values{"display_name": {"Hacked"}}), http.StatusForbidden)
		if actor(t, inst, "ada").Name != "Ada Admin" {
			t.Fatal("profile changed without a token")
		}
	})
	t.Run("logged out", func(t *testing.T) {
		anon := newBrowser(t, inst)
		// A forged token is refused before anything else; the browser's own token
		// gets as far as the log-in redirect. Neither changes the profile.
		want(t, anon.post("", "/settings/profile", url.Values{"display_name": {"Hacked"}, "csrf": {"x"}}), http.StatusForbidden, "form token")
		p := anon.post("/login", "/settings/profile", url.Values{"display_name": {"Hacked"}})
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login") || actor(t, inst, "ada").Name != "Ada Admin" {
			t.Fatalf("anonymous profile post: %d %s", p.Status, p.Location)
		}
	})
}

var pngBytes = append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, make([]byte, 64)...)

func TestAvatar(t *testing.T) {
	inst, b := startWithAdmin(t)
	max := int(inst.Cfg.Media.MaxAvatarBytes)
	tests := []struct {
		name, ctype string
		data        []byte
		status      int
		msg         string
	}{
		{"oversized", "image/png", append(append([]byte{}, pngBytes...), make([]byte, max)...), http.StatusRequestEntityTooLarge, "avatar is larger than"},
		{"far oversized", "image/png", append(append([]byte{}, pngBytes...), make([]byte, 2*max)...), http.StatusRequestEntityTooLarge, "avatar is larger than"},
		{"wrong type", "text/html", []byte("<script>alert(1)</script>"), http.StatusUnsupportedMediaType, "avatar must be PNG"},
		{"lying type", "image/png", []byte("GIF89a not a png"), http.StatusUnsupportedMediaType, "not a image/png image"},
		{"empty", "image/png", nil, http.StatusUnprocessableEntity, "empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := b.upload("/settings/avatar", "avatar", "a.png", tc.ctype, tc.data)
			want(t, p, tc.status, tc.msg, `id="f-avatar-error"`)
			if a := actor(t, inst, "ada"); a.IconMediaID != "" || a.IconURL != "" {
				t.Fatalf("avatar changed: %+v", a.IconURL)
			}
		})
	}
	p := b.upload("/settings/avatar", "avatar", "a.png", "image/png", pngBytes)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", p.Status, p.Body)
	}
	a := actor(t, inst, "ada")
	if a.IconURL == "" {
		t.Fatal("no avatar set")
	}
	want(t, b.get("/@ada"), http.StatusOK, `src="`+a.IconURL+`"`)
	m := b.get("/media/" + a.IconMediaID)
	if m.Status != 200 || m.Header.Get("Content-Type") != "image/png" || m.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(m.Header.Get("Cache-Control"), "max-age") || m.Body != string(pngBytes) {
		t.Fatalf("media: %d %v", m.Status, m.Header)
	}
	want(t, b.get("/media/01nonexistent"), http.StatusNotFound)
}

func TestAdmin(t *testing.T) {
	inst, admin := startWithAdmin(t)
	member := newBrowser(t, inst)
	member.signup("mia", nil)

	t.Run("member gets 403", func(t *testing.T) {
		want(t, member.get("/admin"), http.StatusForbidden)
		p := member.post("/", "/admin/registration", url.Values{"mode": {"closed"}})
		want(t, p, http.StatusForbidden)
		if m := inst.App.Svc.Instance.RegistrationMode(context.Background()); m != "open" {
			t.Fatalf("mode changed to %s", m)
		}
	})
	t.Run("anonymous is sent to log in", func(t *testing.T) {
		p := newBrowser(t, inst).get("/admin")
		if p.Status != http.StatusSeeOther || p.Location != "/login?next=%2Fadmin" {
			t.Fatalf("%d %q", p.Status, p.Location)
		}
	})
	t.Run("admin changes registration mode", func(t *testing.T) {
		want(t, admin.get("/admin"), http.StatusOK, "mia", `value="approval"`)
		p := admin.post("/admin", "/admin/registration", url.Values{"mode": {"approval"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("%d\n%s", p.Status, p.Body)
		}
		if m := inst.App.Svc.Instance.RegistrationMode(context.Background()); m != "approval" {
			t.Fatalf("mode = %s", m)
		}
		want(t, admin.get("/admin?done=mode"), http.StatusOK, "Registration mode changed", `id="mode-approval" name="mode" value="approval" checked`)
		want(t, admin.post("/admin", "/admin/registration", url.Values{"mode": {"anarchy"}}), http.StatusUnprocessableEntity, "registration mode must be")
		want(t, admin.post("", "/admin/registration", url.Values{"mode": {"closed"}, "csrf": {"bad"}}), http.StatusForbidden)
		if m := inst.App.Svc.Instance.RegistrationMode(context.Background()); m != "approval" {
			t.Fatalf("mode = %s", m)
		}
	})
	t.Run("approve, suspend, role", func(t *testing.T) {
		newBrowser(t, inst).signup("pat", url.Values{"reason": {"hello"}})
		if user(t, inst, "pat").Approved {
			t.Fatal("pat approved before review")
		}
		want(t, admin.get("/admin"), http.StatusOK, "Waiting for approval", "hello")
		// Suspending asks first: a confirmation page, nothing done yet.
		want(t, admin.post("/admin", "/admin/users/pat", url.Values{"action": {"suspend"}}), http.StatusOK,
			"Yes, suspend @pat", `name="confirmed" value="yes"`, `name="action" value="suspend"`)
		if user(t, inst, "pat").Suspended {
			t.Fatal("suspended without confirmation")
		}
		for _, step := range []struct {
			vals  url.Values
			check func(u *models.User) bool
		}{
			{url.Values{"action": {"approve"}}, func(u *models.User) bool { return u.Approved }},
			{url.Values{"action": {"suspend"}, "confirmed": {"yes"}}, func(u *models.User) bool { return u.Suspended }},
			{url.Values{"action": {"unsuspend"}}, func(u *models.User) bool { return !u.Suspended }},
			{url.Values{"action": {"role"}, "role": {"moderator"}}, func(u *models.User) bool { return u.Role == models.RoleModerator }},
		} {
			p := admin.post("/admin", "/admin/users/pat", step.vals)
			if p.Status != http.StatusSeeOther || !step.check(user(t, inst, "pat")) {
				t.Fatalf("%v: %d %+v\n%s", step.vals, p.Status, user(t, inst, "pat"), p.Body)
			}
		}
		want(t, admin.post("/admin", "/admin/users/ada", url.Values{"action": {"suspend"}, "confirmed": {"yes"}}), http.StatusForbidden, "cannot demote or suspend yourself")
	})
	t.Run("moderator may suspend members but not change roles", func(t *testing.T) {
		mod := newBrowser(t, inst)
		want(t, mod.login("pat", goodPassword), http.StatusSeeOther)
		p := mod.get("/admin")
		want(t, p, http.StatusOK, "mia")
		if strings.Contains(p.Body, `action="/admin/registration"`) {
			t.Fatal("moderator sees the registration switch")
		}
		want(t, mod.post("/admin", "/admin/users/mia", url.Values{"action": {"suspend"}, "confirmed": {"yes"}}), http.StatusSeeOther)
		if !user(t, inst, "mia").Suspended {
			t.Fatal("mia not suspended")
		}
		if member.loggedIn() {
			t.Fatal("suspended member still logged in")
		}
		want(t, mod.post("/admin", "/admin/users/mia", url.Values{"action": {"role"}, "role": {"admin"}}), http.StatusForbidden)
	})
	t.Run("invite link", func(t *testing.T) {
		p := admin.post("/admin", "/admin/invites", url.Values{"max_uses": {"3"}, "days": {"7"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("%d\n%s", p.Status, p.Body)
		}
		invs, _ := inst.App.Svc.Instance.Invites(context.Background())
		if len(invs) != 1 || invs[0].MaxUses != 3 || invs[0].ExpiresAt == nil {
			t.Fatalf("invites: %+v", invs)
		}
		want(t, admin.get("/admin"), http.StatusOK, inst.URL+"/signup?invite="+invs[0].Code)
		want(t, admin.post("/admin", "/admin/invites", url.Values{"max_uses": {"0"}, "days": {"1"}}), http.StatusUnprocessableEntity, "max uses")
	})
}

func TestAccessibleForms(t *testing.T) {
	inst, admin := startWithAdmin(t)
	pages := map[string]string{
		"/settings/profile": admin.get("/settings/profile").Body,
		"/admin":            admin.get("/admin").Body,
		"/settings/tokens":  admin.get("/settings/tokens").Body,
		"/login":            newBrowser(t, inst).get("/login").Body,
		"/signup":           newBrowser(t, inst).get("/signup").Body,
	}
	for path, body := range pages {
		t.Run(path, func(t *testing.T) {
			if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, `href="#main"`) || !strings.Contains(body, `<nav aria-label="Main">`) {
				t.Fatal("missing lang, skip link or nav landmark")
			}
			for _, m := range inputIDRE.FindAllStringSubmatch(body, -1) {
				if !strings.Contains(body, `for="`+m[1]+`"`) {
					t.Errorf("input %s has no label", m[1])
				}
			}
		})
	}
}
