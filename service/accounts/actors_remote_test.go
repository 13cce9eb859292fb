package accounts_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func remoteDoc(uri, username, domain, name string) *models.Actor {
	now := time.Now().UTC()
	return &models.Actor{Type: models.ActorPerson, URI: uri, URL: uri, Username: username, Domain: domain, Name: name,
		InboxURI: uri + "/inbox", PublicKeyID: uri + "#main-key", PublicKeyPEM: "pem", FetchedAt: &now}
}

// The rules of storing a fetched remote actor: insert, refresh keeping the row's
// own fields, the newest holder of a handle wins within its domain (the old row
// is renamed and marked stale), another domain never renames, a local actor is
// never overwritten.
func TestUpsertRemoteActor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st)
		up := s.Actors.UpsertRemote

		first, err := up(ctx, remoteDoc("https://b.example/users/bea", "bea", "b.example", "Bea"))
		if err != nil || first.ID == "" || first.CreatedAt.IsZero() {
			t.Fatalf("insert: %+v %v", first, err)
		}
		suspended := *first
		suspended.Suspended = true
		if err := st.UpdateActor(ctx, &suspended); err != nil {
			t.Fatal(err)
		}
		doc := remoteDoc("https://b.example/users/bea", "bea", "b.example", "Bea B.")
		doc.ID, doc.Suspended = "forged-id", false
		again, err := up(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != first.ID || !again.Suspended || again.Name != "Bea B." || !again.CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("refresh: %+v (first %+v)", again, first)
		}

		// b.example gives "bea" to another actor: the new one gets the handle.
		other, err := up(ctx, remoteDoc("https://b.example/users/bea2", "Bea", "b.example", "New Bea"))
		if err != nil {
			t.Fatal(err)
		}
		old, err := st.ActorByID(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if old.Username != "bea~"+first.ID || old.FetchedAt != nil {
			t.Errorf("reassigned handle: old row %q fetched %v", old.Username, old.FetchedAt)
		}
		if got, err := st.ActorByHandle(ctx, "bea", "b.example"); err != nil || got.ID != other.ID {
			t.Errorf("handle lookup: %+v %v", got, err)
		}

		// The same username on another domain renames nothing.
		if _, err := up(ctx, remoteDoc("https://c.example/users/Bea", "Bea", "c.example", "C Bea")); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.ActorByID(ctx, other.ID); got.Username != "Bea" {
			t.Errorf("another domain renamed %q", got.Username)
		}

		// A local actor is never overwritten, even by a document claiming its id.
		local, err := s.Actors.CreateLocal(ctx, models.ActorPerson, "ada", "Ada")
		if err != nil {
			t.Fatal(err)
		}
		got, err := up(ctx, remoteDoc(local.URI, "evil", "b.example", "Evil"))
		if err != nil || got.ID != local.ID || got.Name != "Ada" || !got.Local() {
			t.Errorf("local overwritten: %+v %v", got, err)
		}

		for _, bad := range []*models.Actor{nil, remoteDoc("https://x.example/a", "a", "", "no domain"), remoteDoc("", "a", "x.example", "no id")} {
			if _, err := up(ctx, bad); servicetest.Status(err) != 500 {
				t.Errorf("upsert of %+v: %v", bad, err)
			}
		}
	})
}
