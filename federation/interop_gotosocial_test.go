package federation_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// A stand-in for GoToSocial, with the quirks that broke interop in the wild.
// Each quirk is a small named test below, so the next incompatibility found
// has an obvious place to go:
//
//   - keyId is a URL of its own (…/users/NAME/main-key, no fragment) serving a
//     minimal actor stub (id = the actor, only publicKey), or, on other
//     servers, a key document {id, owner, publicKeyPem};
//   - every GET must be signed (authorized fetch is always on);
//   - a request without User-Agent is answered 418;
//   - accounts created from the CLI are locked (manuallyApprovesFollowers).

// newGTSFake is a cmFake that behaves like GoToSocial at its door.
func newGTSFake(t *testing.T) *cmFake {
	f := newCMFake(t)
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "" {
			http.Error(w, "I'm a teapot", http.StatusTeapot)
			return
		}
		if r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/.well-known/") && r.Header.Get("Signature") == "" {
			http.Error(w, "unsigned GET", http.StatusUnauthorized)
			return
		}
		f.serve(w, r)
	})
	return f
}

// gtsUser adds a GoToSocial account: a locked Person whose keyId is
// …/main-key; stub says what that URL serves ("stub" as GoToSocial, "keydoc"
// a stand-alone key document with owner).
func gtsUser(t *testing.T, f *cmFake, name, stub string) *cmActor {
	t.Helper()
	uri := f.srv.URL + "/users/" + name
	keyID := uri + "/main-key"
	a := f.addActor(t, map[string]any{
		"@context":                  []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                        uri,
		"type":                      "Person",
		"preferredUsername":         name,
		"inbox":                     uri + "/inbox",
		"outbox":                    uri + "/outbox",
		"followers":                 uri + "/followers",
		"following":                 uri + "/following",
		"url":                       f.srv.URL + "/@" + name,
		"manuallyApprovesFollowers": true,
		"discoverable":              false,
		"publicKey":                 map[string]any{"id": keyID, "owner": uri},
	})
	pem := a.fake.docPEM(t, uri)
	switch stub {
	case "stub":
		f.put(keyID, map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       uri, "type": "Person", "preferredUsername": name,
			"publicKey": map[string]any{"id": keyID, "owner": uri, "publicKeyPem": pem},
		})
	case "keydoc":
		f.put(keyID, map[string]any{"@context": "https://w3id.org/security/v1", "id": keyID, "owner": uri, "publicKeyPem": pem})
	default:
		t.Fatalf("stub %q", stub)
	}
	return a
}

// gtsFollow sends a Follow as GoToSocial shapes it and returns its id.
func gtsFollow(t *testing.T, a *cmActor, object, inbox string) string {
	t.Helper()
	id := a.URI + "/follow/" + strings.TrimPrefix(a.id("x"), a.URI+"/x/")
	follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Follow", "actor": a.URI, "object": object}
	if st, body := a.post(t, inbox, follow); st != http.StatusAccepted {
		t.Fatalf("Follow from a GoToSocial user never seen: %d %s", st, body)
	}
	return id
}

// TestGoToSocialColdFollowPerson: a GoToSocial user this instance has never
// seen follows a local person; the signature's key is found through the
// keyId URL (stub or key document), the Follow is accepted.
func TestGoToSocialColdFollowPerson(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	newUser(t, inst, "ada")
	ada := actorOf(t, inst, "ada")
	fake := newGTSFake(t)
	for _, stub := range []string{"stub", "keydoc"} {
		t.Run(stub, func(t *testing.T) {
			g := gtsUser(t, fake, "g"+stub, stub)
			if _, err := inst.App.Store.ActorByURI(ctx, g.URI); err == nil {
				t.Fatal("not a cold follow: the actor is known")
			}
			id := gtsFollow(t, g, ada.URI, ada.InboxURI)
			fake.waitPost(t, "Accept of the Follow", cmIs("Accept", ada.URI, id))
			row, err := inst.App.Store.ActorByURI(ctx, g.URI)
			if err != nil || row.InboxURI != g.URI+"/inbox" || row.PublicKeyID != g.KeyID {
				t.Fatalf("stored actor: %+v %v", row, err)
			}
		})
	}
}

// TestGoToSocialColdFollowCommunity: the same for a community (a Group).
func TestGoToSocialColdFollowCommunity(t *testing.T) {
	inst := apptest.Start(t)
	group, _ := cmCommunity(t, inst, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	fake := newGTSFake(t)
	g := gtsUser(t, fake, "gina", "stub")
	id := gtsFollow(t, g, group.URI, group.InboxURI)
	fake.waitPost(t, "Accept of the Follow", cmIs("Accept", group.URI, id))
}

// TestGoToSocialForgedKeyStub: a stub at the keyId whose PEM is not the
// actor's own is refused (the owner's document is the authority).
func TestGoToSocialForgedKeyStub(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	ada := actorOf(t, inst, "ada")
	fake := newGTSFake(t)
	g := gtsUser(t, fake, "mallory", "stub")
	other := gtsUser(t, fake, "other", "stub")
	// The key stub of mallory now carries other's key, which signs.
	fake.put(g.KeyID, map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       g.URI, "type": "Person",
		"publicKey": map[string]any{"id": g.KeyID, "owner": g.URI, "publicKeyPem": fake.docPEM(t, other.URI)},
	})
	g.Key = other.Key
	follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": g.id("follow"), "type": "Follow", "actor": g.URI, "object": ada.URI}
	if st, body := g.post(t, ada.InboxURI, follow); st != http.StatusUnauthorized {
		t.Fatalf("forged key stub: %d %s", st, body)
	}
}

// TestGoToSocialLockedAccount: following a locked GoToSocial account stays
// pending until its Accept arrives (signed with the …/main-key keyId).
func TestGoToSocialLockedAccount(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	newUser(t, inst, "ada")
	ada := actorOf(t, inst, "ada")
	fake := newGTSFake(t)
	g := gtsUser(t, fake, "locked", "stub")
	f, _, err := inst.App.Svc.Social.FollowByHandle(ctx, ada, g.URI)
	if err != nil {
		t.Fatal(err)
	}
	sent := fake.waitPost(t, "the Follow", cmIs("Follow", ada.URI, g.URI))
	if got, _ := inst.App.Store.FollowByID(ctx, f.ID); got.State != models.FollowPending {
		t.Fatalf("follow of a locked account: %s", got.State)
	}
	accept := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": g.id("accept"), "type": "Accept", "actor": g.URI, "object": sent}
	if st, body := g.post(t, ada.InboxURI, accept); st != http.StatusAccepted {
		t.Fatalf("Accept: %d %s", st, body)
	}
	eventually(t, "the follow accepted", func() bool {
		got, err := inst.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})
}
