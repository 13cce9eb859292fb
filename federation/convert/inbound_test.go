package convert

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/internal/fixtures"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// readFixture reads a stored fediverse payload with the reader its path takes
// here: an activity as the inbox does (vocab.ParseInbound), anything else as a
// fetched document (vocab.ParseDocument).
func readFixture(t *testing.T, rel string) *vocab.Object {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures.Dir(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	read := vocab.ParseDocument
	if strings.Contains(rel, "/activities/") {
		read = vocab.ParseInbound
	}
	o, err := read(b)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return o
}

// readJSON reads a hand-written document as a fetched one.
func readJSON(t *testing.T, doc string) *vocab.Object {
	t.Helper()
	o, err := vocab.ParseDocument([]byte(doc))
	if err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	return o
}

func tagsOf(l []models.NoteTag) []string {
	var out []string
	for _, t := range l {
		out = append(out, t.Type+" "+t.Name+" "+t.Href)
	}
	return out
}

// TestInboundNoteFixtures converts real note-like objects from other servers and
// checks what we keep: visibility from the addressing (with the author's own
// followers collection), to/cc kept as sent, the first audience, Mention and
// Hashtag tags only, content with the contentMap fallback, name, reply target,
// sensitivity.
func TestInboundNoteFixtures(t *testing.T) {
	const public = vocab.PublicAddress
	cases := []struct {
		fixture   string
		followers string // the author's followers collection
		typ       string
		vis       string
		to, cc    []string
		audience  string
		tags      []string
		content   string // a prefix of the content kept
		name      string
		inReplyTo string
	}{
		{fixture: "mastodon/objects/note_1.json", followers: "https://mastodon.madrid/users/felix/followers", typ: "Note",
			vis: models.VisibilityUnlisted, to: []string{"https://mastodon.madrid/users/felix/followers"},
			cc:        []string{public, "https://mamot.fr/users/retiolus"},
			tags:      []string{"Mention @retiolus@mamot.fr https://mamot.fr/users/retiolus"},
			content:   `<p><span class="h-card"><a href="https://mamot.fr/@retiolus"`,
			inReplyTo: "https://mamot.fr/users/retiolus/statuses/107224244380204526"},
		{fixture: "mastodon/objects/note_2.json", followers: "https://floss.social/users/kde/followers", typ: "Note",
			vis: models.VisibilityPublic, to: []string{public},
			cc:        []string{"https://floss.social/users/kde/followers", "https://lemmy.kde.social/c/kde", "https://lemmy.kde.social/c/kde/followers"},
			tags:      []string{"Mention @kde@lemmy.kde.social https://lemmy.kde.social/c/kde"},
			content:   `<p><span class="h-card" translate="no">`,
			inReplyTo: "https://floss.social/users/kde/statuses/113306824627995724"},
		{fixture: "pleroma/objects/note.json", followers: "https://queer.hacktivis.me/users/lanodan/followers", typ: "Note",
			vis: models.VisibilityUnlisted, to: []string{"https://pleroma.popolon.org/users/popolon", "https://queer.hacktivis.me/users/lanodan/followers"},
			cc:        []string{public},
			tags:      []string{"Mention @popolon@pleroma.popolon.org https://pleroma.popolon.org/users/popolon"},
			content:   "Have what?",
			inReplyTo: "https://enterprise.lemmy.ml/post/55143"},
		{fixture: "lemmy/objects/page.json", typ: "Page", vis: models.VisibilityPublic,
			to: []string{"https://enterprise.lemmy.ml/c/tenforward", public}, cc: []string{},
			audience: "https://enterprise.lemmy.ml/c/tenforward",
			tags:     []string{"Mention @tenforward@enterprise.lemmy.ml https://enterprise.lemmy.ml/c/tenforward"},
			content:  "<p>This is a post in the /c/tenforward community", name: "Post title"},
		{fixture: "lemmy/objects/comment.json", typ: "Note", vis: models.VisibilityPublic,
			to: []string{"https://enterprise.lemmy.ml/c/tenforward", public}, cc: []string{"https://enterprise.lemmy.ml/u/picard"},
			audience: "https://enterprise.lemmy.ml/c/tenforward",
			tags: []string{"Mention @picard@enterprise.lemmy.ml https://enterprise.lemmy.ml/u/picard",
				"Mention @tenforward@enterprise.lemmy.ml https://enterprise.lemmy.ml/c/tenforward"},
			content: "<p>first comment!</p>", inReplyTo: "https://enterprise.lemmy.ml/post/55143"},
		{fixture: "lemmy/objects/private_message.json", typ: "Note", vis: models.VisibilityDirect,
			to: []string{"https://queer.hacktivis.me/users/lanodan"}, cc: []string{}, content: "<p>Hello hello, testing</p>"},
		{fixture: "friendica/objects/note_2.json", followers: "https://nerdica.net/followers/liwott", typ: "Note",
			vis: models.VisibilityPublic,
			to:  []string{"https://lemmy.ml/u/humanetech", public, "https://lemmy.ml/c/fediversefutures"},
			cc: []string{"https://lemmy.ml/u/Liwott", "https://nerdica.net/followers/liwott", "https://lemmy.ml/u/poVoq",
				"https://mastodon.social/users/humanetech", "https://lemmy.ml/u/KelsonV"},
			tags: []string{"Hashtag #Friendica https://nerdica.net/search?tag=Friendica", "Hashtag #Lemmy https://nerdica.net/search?tag=Lemmy",
				"Mention @Liwott@lemmy.ml https://lemmy.ml/u/Liwott"},
			content: "Note that on ", inReplyTo: "https://lemmy.ml/comment/167904"},
		{fixture: "friendica/objects/page_2.json", typ: "Article", vis: models.VisibilityUnlisted,
			to: []string{"https://ds9.lemmy.ml/c/testcom"}, cc: []string{public, "https://ds9.lemmy.ml/c/testcom/followers"},
			tags:    []string{"Mention @testcom@ds9.lemmy.ml https://ds9.lemmy.ml/c/testcom"},
			content: "Hello Lemmy!", name: "From Friendica to Lemmy"},
		{fixture: "lotide/objects/page.json", typ: "Page", vis: models.VisibilityUnlisted,
			to: []string{"https://narwhal.city/communities/4"}, cc: []string{public}, name: "What's Dylan Grillin'? (reupload)"},
		{fixture: "gnusocial/objects/note.json", followers: "https://instance.gnusocial.test/actor/42/subscribers", typ: "Note",
			vis: models.VisibilityPublic, to: []string{public}, cc: []string{"https://instance.gnusocial.test/actor/42/subscribers"},
			content: "<p>yay ^^</p>", inReplyTo: "https://instance.gnusocial.test/object/note/1338"},
		{fixture: "peertube/objects/video.json", followers: "https://tilvids.com/accounts/thelinuxexperiment/followers", typ: "Video",
			vis: models.VisibilityPublic, to: []string{public}, cc: []string{"https://tilvids.com/accounts/thelinuxexperiment/followers"},
			content: "Head to https://squarespace.com",
			name:    "Mesa, Wayland & X.org in trouble, Debian leaves X, Facebook blocks Linux: Linux & Open Source News"},
		{fixture: "mobilizon/objects/event.json", followers: "https://rendezvous.nomagic.uk/@emorrp1/followers", typ: "Event",
			vis: models.VisibilityPublic, to: []string{public}, cc: []string{"https://rendezvous.nomagic.uk/@emorrp1/followers"},
			tags: []string{"Hashtag #Dance https://rendezvous.nomagic.uk/tags/dance", "Hashtag #Caledonian https://rendezvous.nomagic.uk/tags/caledonian",
				"Hashtag #Lesson https://rendezvous.nomagic.uk/tags/lesson"},
			content: "<p>£6 each.</p>", name: "Caledonian scottish dance class"},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			o := readFixture(t, tc.fixture)
			author := &models.Actor{URI: firstOr(o.AttributedTo, ""), FollowersURI: tc.followers}
			rn := RemoteNote(author, o)
			n := rn.Note
			check(t, "uri", n.URI, o.ID)
			check(t, "type", n.Type, tc.typ)
			check(t, "visibility", n.Visibility, tc.vis)
			check(t, "to", n.To, tc.to)
			check(t, "cc", n.CC, tc.cc)
			check(t, "audience", n.AudienceURI, tc.audience)
			check(t, "tags", tagsOf(rn.Tags), tc.tags)
			if !strings.HasPrefix(n.Content, tc.content) {
				t.Errorf("content = %.80q, want a prefix %q", n.Content, tc.content)
			}
			check(t, "name", n.Name, tc.name)
			check(t, "inReplyTo", n.InReplyToURI, tc.inReplyTo)
			sameTime(t, "published", n.Published, o.Published)
			if n.ID == "" || n.AuthorID != "" || n.Local {
				t.Errorf("id %q author %q local %v: a new remote row, the author set by the service", n.ID, n.AuthorID, n.Local)
			}
		})
	}
}

func firstOr(l []string, def string) string {
	if len(l) > 0 {
		return l[0]
	}
	return def
}

// TestInboundNoteShapes: the rules of RemoteNote on the shapes the fixtures do
// not cover.
func TestInboundNoteShapes(t *testing.T) {
	const pub = `"https://www.w3.org/ns/activitystreams#Public"`
	author := &models.Actor{URI: "https://a.example/u/x", FollowersURI: "https://a.example/u/x/fans"}
	note := func(extra string) string {
		return `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.example/n/1","type":"Note","attributedTo":"https://a.example/u/x"` + extra + `}`
	}
	cases := []struct {
		name, doc string
		check     func(t *testing.T, rn service.RemoteNote)
	}{
		{"contentMap only: its entry is the content", note(`,"contentMap":{"de":"<p>Hallo</p>"}`), func(t *testing.T, rn service.RemoteNote) {
			check(t, "content", rn.Note.Content, "<p>Hallo</p>")
		}},
		{"content wins over contentMap", note(`,"content":"<p>hi</p>","contentMap":{"de":"<p>Hallo</p>"}`), func(t *testing.T, rn service.RemoteNote) {
			check(t, "content", rn.Note.Content, "<p>hi</p>")
		}},
		{"no addressing is direct, stored as empty lists", note(``), func(t *testing.T, rn service.RemoteNote) {
			check(t, "visibility", rn.Note.Visibility, models.VisibilityDirect)
			check(t, "to", rn.Note.To, []string{})
			check(t, "cc", rn.Note.CC, []string{})
		}},
		{"the author's own followers collection, whatever its name", note(`,"to":"https://a.example/u/x/fans"`), func(t *testing.T, rn service.RemoteNote) {
			check(t, "visibility", rn.Note.Visibility, models.VisibilityFollowers)
		}},
		{"as:Public is public", note(`,"to":"as:Public"`), func(t *testing.T, rn service.RemoteNote) {
			check(t, "visibility", rn.Note.Visibility, models.VisibilityPublic)
		}},
		{"audience only is a public Group post", note(`,"audience":["https://g.example/c/a","https://g.example/c/b"]`), func(t *testing.T, rn service.RemoteNote) {
			check(t, "visibility", rn.Note.Visibility, models.VisibilityPublic)
			check(t, "audience", rn.Note.AudienceURI, "https://g.example/c/a")
		}},
		{"emoji and other tags are dropped", note(`,"to":` + pub + `,"tag":[{"type":"Emoji","name":":x:","icon":{"type":"Image","url":"https://a.example/x.png"}},` +
			`{"type":"Mention","name":"@b@b.example","href":"https://b.example/u/b"},{"type":"Link","href":"https://c.example"},{"type":"Hashtag","name":"#go","href":"https://a.example/tags/go"}]`),
			func(t *testing.T, rn service.RemoteNote) {
				check(t, "tags", tagsOf(rn.Tags), []string{"Mention @b@b.example https://b.example/u/b", "Hashtag #go https://a.example/tags/go"})
			}},
		{"sensitive, summary and url", note(`,"sensitive":true,"summary":"cw","url":"https://a.example/@x/1"`), func(t *testing.T, rn service.RemoteNote) {
			check(t, "sensitive", rn.Note.Sensitive, true)
			check(t, "summary", rn.Note.Summary, "cw")
			check(t, "url", rn.Note.URL, "https://a.example/@x/1")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, RemoteNote(author, readJSON(t, tc.doc))) })
	}
	// The reader already falls back to contentMap; RemoteNote does too for an
	// object built by other means.
	t.Run("contentMap only, object not from the reader", func(t *testing.T) {
		o := &vocab.Object{ID: "https://a.example/n/2", Type: "Note", ContentMap: map[string]string{"fr": "<p>Salut</p>"}}
		check(t, "content", RemoteNote(author, o).Note.Content, "<p>Salut</p>")
	})
}

// TestCreatedNoteFixtures: a note received in a Create keeps every id the
// activity and the note were addressed to, and the activity as received.
func TestCreatedNoteFixtures(t *testing.T) {
	for _, rel := range []string{
		"mastodon/activities/create_note.json",
		"lemmy/activities/create_or_update/create_page.json",
		"lemmy/activities/create_or_update/create_comment.json",
	} {
		t.Run(rel, func(t *testing.T) {
			act := readFixture(t, rel)
			o := act.Object
			if o == nil || o.IsIRIOnly() {
				t.Fatalf("no embedded object: %+v", o)
			}
			rn := CreatedNote(&models.Actor{URI: act.Actor}, act, o)
			check(t, "uri", rn.Note.URI, o.ID)
			want := slices.Concat(act.Audience, act.To, act.CC, o.Audience, o.To, o.CC)
			check(t, "addressed", rn.Addressed, want)
			if len(want) == 0 {
				t.Error("fixture without addressing")
			}
			again, err := vocab.ParseInbound([]byte(rn.Activity))
			if err != nil {
				t.Fatalf("activity as kept does not read: %v", err)
			}
			check(t, "activity id", again.ID, act.ID)
			check(t, "activity object", again.Object.ID, o.ID)
		})
	}
}

// TestInboundActorFixtures converts real actor documents and checks the fields
// we keep: type, username, URLs (inbox, sharedInbox, collections, icon, image),
// the key, flags and profile fields.
func TestInboundActorFixtures(t *testing.T) {
	cases := []struct {
		fixture                       string
		typ, username, name, url      string
		inbox, shared, followers, key string
		icon, image                   string
		locked, discoverable, bot     bool
		fields                        []string // "name=text of the value"
	}{
		{fixture: "mastodon/objects/person.json", typ: "Person", username: "mastodon", name: "Mastodon",
			url: "https://masto.qa.urbanwildlife.biz/@mastodon", inbox: "https://masto.qa.urbanwildlife.biz/users/mastodon/inbox",
			shared: "https://masto.qa.urbanwildlife.biz/inbox", followers: "https://masto.qa.urbanwildlife.biz/users/mastodon/followers",
			key:  "https://masto.qa.urbanwildlife.biz/users/mastodon#main-key",
			icon: "https://masto.qa.urbanwildlife.biz/system/accounts/avatars/109/105/103/301/739/269/original/2cf61ff96e94cb1d.png"},
		{fixture: "pleroma/objects/person.json", typ: "Person", username: "lanodan", name: "Haelwenn /элвэн/ :bzh:",
			url: "https://queer.hacktivis.me/users/lanodan", inbox: "https://queer.hacktivis.me/users/lanodan/inbox",
			shared: "https://queer.hacktivis.me/inbox", followers: "https://queer.hacktivis.me/users/lanodan/followers",
			key:   "https://queer.hacktivis.me/users/lanodan#main-key",
			icon:  "https://queer.hacktivis.me/media/d23cf9b0-5586-4592-aca5-9a52777a6042/avatar_HD.png",
			image: "https://queer.hacktivis.me/media/37b6ce56-8c24-4e64-bd70-a76e84ab0c69/53a48a3a49ed5e5637a84e4f3663df17f8d764244bbc1027ba03cfc446e8b7bd.jpg"},
		{fixture: "friendica/objects/person_1.json", typ: "Person", username: "jakob", name: "Jakob :friendica:",
			url: "https://soc.schuerz.at/profile/jakob", inbox: "https://soc.schuerz.at/inbox/jakob", shared: "https://soc.schuerz.at/inbox",
			followers: "https://soc.schuerz.at/followers/jakob", key: "https://soc.schuerz.at/profile/jakob#main-key",
			icon: "https://soc.schuerz.at/photo/profile/jakob.png?ts=1630598950", locked: true, discoverable: true},
		{fixture: "lemmy/objects/group.json", typ: "Group", username: "tenforward", name: "Ten Forward",
			url: "https://enterprise.lemmy.ml/c/tenforward", inbox: "https://enterprise.lemmy.ml/c/tenforward/inbox",
			shared: "https://enterprise.lemmy.ml/inbox", followers: "https://enterprise.lemmy.ml/c/tenforward/followers",
			key:  "https://enterprise.lemmy.ml/c/tenforward#main-key",
			icon: "https://enterprise.lemmy.ml/pictrs/image/waqyZwLAy4.webp", image: "https://enterprise.lemmy.ml/pictrs/image/Wt8zoMcCmE.jpg"},
		{fixture: "lemmy/objects/instance.json", typ: "Application", username: "enterprise.lemmy.ml", name: "Enterprise",
			url: "https://enterprise.lemmy.ml/", inbox: "https://enterprise.lemmy.ml/inbox", key: "https://enterprise.lemmy.ml/#main-key", bot: true},
		{fixture: "peertube/objects/group.json", typ: "Group", username: "thelinuxexperiment_channel", name: "The Linux Experiment",
			url: "https://tilvids.com/video-channels/thelinuxexperiment_channel", inbox: "https://tilvids.com/video-channels/thelinuxexperiment_channel/inbox",
			shared: "https://tilvids.com/inbox", followers: "https://tilvids.com/video-channels/thelinuxexperiment_channel/followers",
			key:   "https://tilvids.com/video-channels/thelinuxexperiment_channel#main-key",
			icon:  "https://tilvids.com/lazy-static/avatars/1bbe97f1-d283-4db4-8bdd-e5320564aff9.jpg",
			image: "https://tilvids.com/lazy-static/banners/1a8d6881-30c8-47cb-8576-7af62d869c45.jpg"},
		{fixture: "mobilizon/objects/group.json", typ: "Group", username: "contribateliers", name: "Contribateliers",
			url: "https://mobilizon.fr/@contribateliers", inbox: "https://mobilizon.fr/@contribateliers/inbox", shared: "https://mobilizon.fr/inbox",
			followers: "https://mobilizon.fr/@contribateliers/followers", key: "https://mobilizon.fr/@contribateliers#main-key",
			icon:         "https://mobilizon.fr/media/a94f7f8da4b39f6b375f55bd8664abff4ae61d33496df7ee23ad6bf473c3632f.png?name=contribateliers%27s%20avatar.png",
			image:        "https://mobilizon.fr/media/7fe251dd5f8b5abcea10c31b655c09afee457efdd49f3087ba78b054b3f0dbeb.jpg?name=contribateliers%27s%20banner.jpg",
			discoverable: true},
		{fixture: "gnusocial/objects/person.json", typ: "Person", username: "diogo", name: "Diogo Peralta Cordeiro",
			url: "https://instance.gnusocial.test/@diogo", inbox: "https://instance.gnusocial.test/actor/42/inbox.json",
			shared: "https://instance.gnusocial.test/inbox.json", followers: "https://instance.gnusocial.test/actor/42/subscribers",
			key: "https://instance.gnusocial.test/actor/42#public-key"},
		{fixture: "lotide/objects/person.json", typ: "Person", username: "57H", name: "57H", url: "https://narwhal.city/users/3",
			inbox: "https://narwhal.city/users/3/inbox", shared: "https://narwhal.city/inbox", key: "https://narwhal.city//users/3#main-key"},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			o := readFixture(t, tc.fixture)
			a := RemoteActor(o, "remote.example", t0)
			check(t, "uri", a.URI, o.ID)
			check(t, "domain", a.Domain, "remote.example")
			check(t, "type", a.Type, tc.typ)
			check(t, "username", a.Username, tc.username)
			check(t, "name", a.Name, tc.name)
			check(t, "url", a.URL, tc.url)
			check(t, "inbox", a.InboxURI, tc.inbox)
			check(t, "sharedInbox", a.SharedInbox, tc.shared)
			if tc.followers != "" {
				check(t, "followers", a.FollowersURI, tc.followers)
			}
			check(t, "key id", a.PublicKeyID, tc.key)
			if a.PublicKeyPEM != o.PublicKey.PublicKeyPEM || !strings.HasPrefix(a.PublicKeyPEM, "-----BEGIN ") {
				t.Errorf("key = %.40q", a.PublicKeyPEM)
			}
			check(t, "icon", a.IconURL, tc.icon)
			check(t, "image", a.ImageURL, tc.image)
			check(t, "manuallyApprovesFollowers", a.ManuallyApprovesFollowers, tc.locked)
			check(t, "discoverable", a.Discoverable, tc.discoverable)
			check(t, "bot", a.Bot, tc.bot)
			if a.FetchedAt == nil || !a.FetchedAt.Equal(t0) || a.Local() {
				t.Errorf("fetchedAt %v local %v", a.FetchedAt, a.Local())
			}
		})
	}
}

// TestInboundActorShapes: the rules of RemoteActor on shapes the fixtures do not
// cover, GoToSocial's among them.
func TestInboundActorShapes(t *testing.T) {
	const key = `"publicKey":{"id":"https://a.example/users/x/main-key","owner":"https://a.example/users/x","publicKeyPem":"-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"}`
	person := func(extra string) string {
		return `{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],"id":"https://a.example/users/x","type":"Person","inbox":"https://a.example/users/x/inbox",` + key + extra + `}`
	}
	var many []string
	for i := range 20 {
		many = append(many, `{"type":"PropertyValue","name":"f`+string(rune('a'+i))+`","value":"v"}`)
	}
	cases := []struct {
		name, doc string
		check     func(t *testing.T, a *models.Actor)
	}{
		{"GoToSocial: key without fragment, fields as HTML, no shared inbox", person(`,"preferredUsername":"x","name":"X","summary":"<p>hi <script>alert(1)</script></p>",` +
			`"manuallyApprovesFollowers":true,"discoverable":true,"featured":"https://a.example/users/x/collections/featured",` +
			`"attachment":[{"type":"PropertyValue","name":"Web<b>site</b>","value":"<a href=\"https://x.example\" rel=\"nofollow noreferrer noopener\" target=\"_blank\">x.example</a>"}],` +
			`"icon":{"type":"Image","mediaType":"image/png","url":"https://a.example/fileserver/01/avatar.png"}`), func(t *testing.T, a *models.Actor) {
			check(t, "username", a.Username, "x")
			check(t, "key id", a.PublicKeyID, "https://a.example/users/x/main-key")
			check(t, "sharedInbox", a.SharedInbox, "")
			check(t, "featured", a.FeaturedURI, "https://a.example/users/x/collections/featured")
			check(t, "icon", a.IconURL, "https://a.example/fileserver/01/avatar.png")
			check(t, "locked", a.ManuallyApprovesFollowers, true)
			if strings.Contains(a.Summary, "script") {
				t.Errorf("summary not sanitised: %q", a.Summary)
			}
			var f []models.Field
			if err := json.Unmarshal([]byte(a.Fields), &f); err != nil || len(f) != 1 {
				t.Fatalf("fields %q: %v", a.Fields, err)
			}
			check(t, "field name", f[0].Name, "Website")
			check(t, "field text", content.Text(f[0].Value), "x.example")
			if !strings.Contains(f[0].Value, `href="https://x.example"`) {
				t.Errorf("field link lost: %q", f[0].Value)
			}
		}},
		{"no preferredUsername: the id's last segment", person(``), func(t *testing.T, a *models.Actor) {
			check(t, "username", a.Username, "x")
			check(t, "url falls back to the id", a.URL, "https://a.example/users/x")
			check(t, "fields", a.Fields, "")
		}},
		{"a leading @ is dropped", person(`,"preferredUsername":" @x "`), func(t *testing.T, a *models.Actor) {
			check(t, "username", a.Username, "x")
		}},
		{"URLs other than http(s) are dropped", person(`,"url":"javascript:alert(1)","icon":"data:image/png;base64,AAAA","image":{"type":"Image","url":"ftp://a.example/b.png"},` +
			`"outbox":"javascript:x","followers":"https://a.example/users/x/followers","endpoints":{"sharedInbox":"file:///etc/passwd"}`), func(t *testing.T, a *models.Actor) {
			check(t, "url", a.URL, "https://a.example/users/x")
			check(t, "icon", a.IconURL, "")
			check(t, "image", a.ImageURL, "")
			check(t, "outbox", a.OutboxURI, "")
			check(t, "followers", a.FollowersURI, "https://a.example/users/x/followers")
			check(t, "sharedInbox", a.SharedInbox, "")
		}},
		{"HTML in the name is text", person(`,"name":" <b>Bold</b> name "`), func(t *testing.T, a *models.Actor) {
			check(t, "name", a.Name, "Bold name")
		}},
		{"at most 16 fields", person(`,"attachment":[` + strings.Join(many, ",") + `]`), func(t *testing.T, a *models.Actor) {
			var f []models.Field
			if err := json.Unmarshal([]byte(a.Fields), &f); err != nil {
				t.Fatal(err)
			}
			check(t, "fields", len(f), MaxRemoteFields)
			check(t, "first", f[0].Name, "fa")
		}},
		{"Service is a bot", strings.Replace(person(``), `"type":"Person"`, `"type":"Service"`, 1), func(t *testing.T, a *models.Actor) {
			check(t, "bot", a.Bot, true)
		}},
		{"markdown source of the summary is kept", person(`,"summary":"<p>hi</p>","source":{"content":"hi","mediaType":"text/markdown"}`), func(t *testing.T, a *models.Actor) {
			check(t, "summary source", a.SummarySource, "hi")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, RemoteActor(readJSON(t, tc.doc), "a.example", t0)) })
	}
}

// TestOwnDocumentsComeBack: our own note and actor documents, written as we send
// them and read as a peer's (model → AS → model), give back the model's values.
func TestOwnDocumentsComeBack(t *testing.T) {
	w := newWorld()
	read := func(t *testing.T, o *vocab.Object) *vocab.Object {
		t.Helper()
		b, err := vocab.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		got, err := vocab.ParseDocument(b)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		return got
	}
	t.Run("note", func(t *testing.T) {
		n := w.note
		rn := RemoteNote(w.alice, read(t, Note(n, w.alice, w.tags)))
		got := rn.Note
		check(t, "uri", got.URI, n.URI)
		check(t, "url", got.URL, n.URL)
		check(t, "type", got.Type, n.Type)
		check(t, "content", got.Content, n.Content)
		check(t, "summary", got.Summary, n.Summary)
		check(t, "sensitive", got.Sensitive, n.Sensitive)
		check(t, "inReplyTo", got.InReplyToURI, n.InReplyToURI)
		check(t, "audience", got.AudienceURI, n.AudienceURI)
		check(t, "to", got.To, n.To)
		check(t, "cc", got.CC, n.CC)
		check(t, "visibility", got.Visibility, n.Visibility)
		sameTime(t, "published", got.Published, n.Published)
		check(t, "tags", rn.Tags, w.tags)
	})
	t.Run("note of each visibility", func(t *testing.T) {
		for _, tc := range []struct {
			vis    string
			to, cc []string
		}{
			{models.VisibilityPublic, []string{vocab.PublicAddress}, []string{w.alice.FollowersURI}},
			{models.VisibilityUnlisted, []string{w.alice.FollowersURI}, []string{vocab.PublicAddress}},
			{models.VisibilityFollowers, []string{w.alice.FollowersURI}, []string{w.bob.URI}},
			{models.VisibilityDirect, []string{w.bob.URI}, nil},
		} {
			n := *w.note
			n.AudienceURI, n.To, n.CC, n.Visibility = "", tc.to, tc.cc, tc.vis
			check(t, tc.vis, RemoteNote(w.alice, read(t, Note(&n, w.alice, nil))).Note.Visibility, tc.vis)
		}
	})
	for _, a := range []*models.Actor{w.alice, w.group, w.app} {
		t.Run("actor "+a.Type, func(t *testing.T) {
			got := RemoteActor(read(t, Actor(a)), "commons.example", t0)
			check(t, "uri", got.URI, a.URI)
			check(t, "type", got.Type, a.Type)
			check(t, "username", got.Username, a.Username)
			check(t, "name", got.Name, a.Name)
			check(t, "summary", got.Summary, a.Summary)
			check(t, "url", got.URL, a.URL)
			check(t, "inbox", got.InboxURI, a.InboxURI)
			check(t, "outbox", got.OutboxURI, a.OutboxURI)
			check(t, "followers", got.FollowersURI, a.FollowersURI)
			check(t, "following", got.FollowingURI, a.FollowingURI)
			check(t, "featured", got.FeaturedURI, a.FeaturedURI)
			check(t, "sharedInbox", got.SharedInbox, a.SharedInbox)
			check(t, "key id", got.PublicKeyID, a.PublicKeyID)
			check(t, "key", got.PublicKeyPEM, a.PublicKeyPEM)
			check(t, "icon", got.IconURL, a.IconURL)
			check(t, "image", got.ImageURL, a.ImageURL)
			check(t, "manuallyApprovesFollowers", got.ManuallyApprovesFollowers, a.ManuallyApprovesFollowers)
			check(t, "discoverable", got.Discoverable, a.Discoverable)
			check(t, "bot", got.Bot, a.Type == models.ActorApplication)
			want := service.Fields(a)
			gotF := service.Fields(got)
			if len(gotF) != len(want) {
				t.Fatalf("fields %v, want %v", gotF, want)
			}
			for i := range want {
				check(t, "field name", gotF[i].Name, want[i].Name)
				check(t, "field text", content.Text(gotF[i].Value), want[i].Value)
			}
		})
	}
}

// TestOfferedContribution: a remote Offer of a contribution becomes the service's
// input; our own offer (model → AS → model) gives back the contribution.
func TestOfferedContribution(t *testing.T) {
	w := newWorld()
	t.Run("our own offer comes back", func(t *testing.T) {
		doc, err := testConverter().Activity(w.activities()["offer_contribution"])
		if err != nil {
			t.Fatal(err)
		}
		b, err := vocab.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		act, err := vocab.ParseInbound(b)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		in, ro := OfferedContribution(act, act.Object)
		co := w.offered
		check(t, "title", in.Title, co.Title)
		check(t, "body", in.Body, co.Body)
		check(t, "kind", in.Kind, co.Kind)
		check(t, "licence", in.Licence, co.Licence)
		check(t, "links", in.Links, co.Links)
		check(t, "object", ro.ObjectURI, co.URI)
		check(t, "offer", ro.OfferURI, co.OfferURI)
		check(t, "contributors", ro.Contributors, co.Contributors)
		check(t, "attachments", ro.Attachments, service.Attachments(co))
		if !strings.Contains(ro.BodyHTML, co.BodyHTML) {
			t.Errorf("body HTML %q lacks %q", ro.BodyHTML, co.BodyHTML)
		}
	})
	offer := func(object string) string {
		return `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.example/offers/1","type":"Offer","actor":"https://a.example/u/x",` +
			`"target":"https://commons.example/users/makers","object":{"id":"https://a.example/c/1","type":"Note","attributedTo":"https://a.example/u/x"` + object + `}}`
	}
	cases := []struct {
		name, doc string
		check     func(t *testing.T, in service.ContributionInput, ro *service.RemoteOffer)
	}{
		{"no name: the first line of the content, as text", offer(`,"content":"<p>Fix the <b>pump</b></p><p>details</p>"`),
			func(t *testing.T, in service.ContributionInput, ro *service.RemoteOffer) {
				check(t, "title", in.Title, "Fix the pump")
				check(t, "body", in.Body, "")
				check(t, "body HTML", ro.BodyHTML, "<p>Fix the <b>pump</b></p><p>details</p>")
			}},
		{"a long first line is cut to 200 runes", offer(`,"content":"` + strings.Repeat("é", 300) + `"`),
			func(t *testing.T, in service.ContributionInput, _ *service.RemoteOffer) {
				check(t, "title", in.Title, strings.Repeat("é", 199)+"…")
			}},
		{"only a markdown source is the body", offer(`,"name":"t","source":{"content":"<b>raw</b>","mediaType":"text/html"}`),
			func(t *testing.T, in service.ContributionInput, _ *service.RemoteOffer) {
				check(t, "title", in.Title, "t")
				check(t, "body", in.Body, "")
			}},
		{"attachments: links, documents by URL, the rest dropped", offer(`,"name":"t","attachment":[` +
			`{"type":"Link","href":"https://x.example/plan"},{"type":"Image","mediaType":"image/png","url":"https://a.example/m/1.png","name":"pic"},` +
			`{"type":"Audio","url":"https://a.example/m/2.ogg"},{"type":"Document"},{"type":"PropertyValue","name":"n","value":"v"},{"type":"Event","url":"https://a.example/e"}]`),
			func(t *testing.T, in service.ContributionInput, ro *service.RemoteOffer) {
				check(t, "links", in.Links, []string{"https://x.example/plan"})
				check(t, "attachments", ro.Attachments, []models.Attachment{
					{URL: "https://a.example/m/1.png", MediaType: "image/png", Name: "pic"}, {URL: "https://a.example/m/2.ogg"}})
			}},
		{"extension terms that are not strings are ignored", offer(`,"name":"t","contributionKind":7,"licence":["PPL"]`),
			func(t *testing.T, in service.ContributionInput, _ *service.RemoteOffer) {
				check(t, "kind", in.Kind, "")
				check(t, "licence", in.Licence, "")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			act, err := vocab.ParseInbound([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			in, ro := OfferedContribution(act, act.Object)
			check(t, "offer", ro.OfferURI, "https://a.example/offers/1")
			check(t, "contributors", ro.Contributors, []string{"https://a.example/u/x"})
			tc.check(t, in, ro)
		})
	}
}

// TestFlaggedObjects: the ids a Flag reports, from real reports and the shapes
// the strict reading lets through.
func TestFlaggedObjects(t *testing.T) {
	for _, tc := range []struct {
		name string
		act  *vocab.Object
		want []string
	}{
		{"Mastodon: the account and its posts", readFixture(t, "mastodon/activities/flag.json"),
			[]string{"https://example.com/users/1", "https://example.com/posts/380590", "https://example.com/posts/380591"}},
		{"Lemmy: one post", readFixture(t, "lemmy/activities/community/report_page.json"), []string{"http://enterprise.lemmy.ml/post/7"}},
		{"embedded objects by their id", readJSON(t, `{"id":"https://a.example/f/1","type":"Flag","actor":"https://a.example/u/x",`+
			`"object":[{"id":"https://b.example/u/y","type":"Person"},"https://b.example/n/1"]}`),
			[]string{"https://b.example/u/y", "https://b.example/n/1"}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, "objects", FlaggedObjects(tc.act), tc.want) })
	}
}

// TestAnswerReason: content, else summary.
func TestAnswerReason(t *testing.T) {
	for _, tc := range []struct{ content, summary, want string }{
		{"in content", "in summary", "in content"},
		{"", "in summary", "in summary"},
		{"", "", ""},
	} {
		check(t, "reason", AnswerReason(&vocab.Object{Content: tc.content, Summary: tc.summary}), tc.want)
	}
}

// TestFlagReason: a report's reason is its content (Mastodon) or, as Lemmy
// sends it, its summary.
func TestFlagReason(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixtures.Dir(t), "lemmy", "activities", "community", "report_page.json"))
	if err != nil {
		t.Fatal(err)
	}
	flag, err := vocab.ParseInbound(b)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "Lemmy's reason", AnswerReason(flag), "report this post")
	check(t, "Mastodon's reason", AnswerReason(&vocab.Object{Type: "Flag", Content: "spam"}), "spam")
}
