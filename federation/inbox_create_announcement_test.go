package federation_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// announcementEnv adds to inboxEnv a local community "garden" (ada its
// steward) and a remote Organization o on the fake server.
func announcementEnv(t *testing.T) (*inboxEnv, *models.Actor, string) {
	t.Helper()
	e := newInboxEnv(t)
	ada, err := e.inst.App.Svc.Accounts.ByUsername(context.Background(), "ada")
	if err != nil {
		t.Fatal(err)
	}
	g, _, err := e.inst.App.Svc.Communities.Create(context.Background(), ada,
		service.CommunityInput{Handle: "garden", Licence: "CC-BY-SA-4.0", PostingPolicy: models.PolicyOpen})
	if err != nil {
		t.Fatal(err)
	}
	org := e.rem.URL() + "/orgs/o"
	var doc map[string]any
	if err := json.Unmarshal(actorDoc(org, e.rem.URL(), &e.rem.key.PublicKey), &doc); err != nil {
		t.Fatal(err)
	}
	doc["type"] = "Organization"
	e.rem.Serve("/orgs/o", mustJSON(t, doc))
	return e, g, org
}

// announcementDoc is a Create{Note} of a bounty by author to group, with
// fields changed by kv on the Note.
func (e *inboxEnv) announcementDoc(author, objectID, group string, kv ...any) map[string]any {
	n := map[string]any{"id": objectID, "type": "Note", "attributedTo": author, "name": "Fix the seed catalogue",
		"content": "<p><strong>Bounty: Fix the seed catalogue</strong></p><p>Payout: €100.00</p>",
		"to":      []string{asPublic}, "cc": []string{author + "/followers", group}, "audience": []string{group},
		"commonsType": "CoalitionAnnouncement", "announcementKind": "bounty", "purpose": "request",
		"price": quantity("100.00", "EUR")}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(n, kv[i].(string))
		} else {
			n[kv[i].(string)] = kv[i+1]
		}
	}
	m := e.act("Create", author, "object", n, "to", []string{asPublic}, "cc", []string{group})
	m["@context"] = []any{"https://www.w3.org/ns/activitystreams", map[string]any{"commons": "https://commonsd.org/ns#"}}
	return m
}

type announcementCounts struct{ announcements, relays, notes int64 }

func countAnnouncements(t *testing.T, e *inboxEnv, author string) announcementCounts {
	t.Helper()
	db := e.inst.App.Store.DB
	var c announcementCounts
	db.Model(&models.Announcement{}).Count(&c.announcements)
	db.Model(&models.AnnouncementRelay{}).Count(&c.relays)
	db.Model(&models.Note{}).Where("author_id IN (?)", db.Model(&models.Actor{}).Select("id").Where("uri = ?", author)).Count(&c.notes)
	return c
}

func relayOf(t *testing.T, e *inboxEnv, g *models.Actor, uri string) string {
	t.Helper()
	a, err := e.inst.App.Store.AnnouncementByURI(context.Background(), uri)
	if err != nil {
		return "none"
	}
	r, err := e.inst.App.Store.Relay(context.Background(), g.ID, a.ID)
	if err != nil {
		return "none"
	}
	return r.State
}

// groupAnnounced counts the Group's Announce activities of uri.
func groupAnnounced(t *testing.T, e *inboxEnv, g *models.Actor, uri string) int64 {
	t.Helper()
	var n int64
	e.inst.App.Store.DB.Model(&models.Activity{}).Where("type = ? AND actor_uri = ? AND object_uri = ?", "Announce", g.URI, uri).Count(&n)
	return n
}

// TestInboxCreateAnnouncement: a remote organization's announcement to one
// of our communities is held for its maintainers unless the organization is
// a recognised partner; everything hostile is refused and changes nothing.
func TestInboxCreateAnnouncement(t *testing.T) {
	e, g, org := announcementEnv(t)
	ctx := context.Background()
	held := e.id("notes")
	refused := func(reason string, doc func(e *inboxEnv) map[string]any, signer ...string) inboxCase {
		s := org
		if len(signer) > 0 {
			s = signer[0]
		}
		var before announcementCounts
		return inboxCase{name: reason, signer: s, status: 202, state: models.ActivityFailed, reason: reason,
			doc: func(e *inboxEnv) map[string]any {
				before = countAnnouncements(t, e, s)
				return doc(e)
			},
			check: func(t *testing.T, e *inboxEnv) {
				if c := countAnnouncements(t, e, s); c != before {
					t.Errorf("a refused announcement changed something: %+v, was %+v", c, before)
				}
			}}
	}
	runInboxCases(t, e, []inboxCase{
		{name: "a non-partner's is held", signer: org, status: 202, state: models.ActivityProcessed, changes: true,
			doc: func(e *inboxEnv) map[string]any { return e.announcementDoc(org, held, g.URI) },
			check: func(t *testing.T, e *inboxEnv) {
				if s := relayOf(t, e, g, held); s != models.RelayHeld {
					t.Errorf("relay = %s, want held", s)
				}
				if n := e.noteRow(held); n.AudienceURI != "" {
					t.Errorf("the note became a community post: %+v", n)
				}
				if n := groupAnnounced(t, e, g, held); n != 0 {
					t.Errorf("announced %d times", n)
				}
				var notes int64
				e.inst.App.Store.DB.Model(&models.Notification{}).Where("kind = ?", "announcement_held").Count(&notes)
				if notes != 1 {
					t.Errorf("%d held notifications, want 1 (ada)", notes)
				}
			}},
		{name: "a duplicate id changes nothing", signer: org, status: 202, state: models.ActivityProcessed,
			doc: func(e *inboxEnv) map[string]any { return e.announcementDoc(org, held, g.URI, "name", "Another title") },
			check: func(t *testing.T, e *inboxEnv) {
				if c := countAnnouncements(t, e, org); c.announcements != 1 || c.relays != 1 || c.notes != 1 {
					t.Errorf("counts %+v", c)
				}
			}},
		{name: "attributed to another", signer: org, status: 403, reason: "not to the sender",
			doc: func(e *inboxEnv) map[string]any {
				return e.announcementDoc(org, e.id("notes"), g.URI, "attributedTo", e.y)
			}},
		{name: "a mention of the community does not make it a post", signer: org, status: 202, state: models.ActivityProcessed, changes: true,
			doc: func(e *inboxEnv) map[string]any {
				id := e.id("notes")
				d := e.announcementDoc(org, id, g.URI, "cc", []string{org + "/followers"}, "audience", nil,
					"tag", []any{map[string]any{"type": "Mention", "href": g.URI, "name": "@garden"}})
				return d // the Create (not its Note) still cc's garden
			},
			check: func(t *testing.T, e *inboxEnv) {
				var n models.Note
				e.inst.App.Store.DB.Where("uri LIKE ? AND audience_uri <> ''", e.rem.URL()+"/notes/%").Find(&n)
				if n.ID != "" {
					t.Errorf("an announcement became a community post: %+v", n)
				}
				var announces int64
				e.inst.App.Store.DB.Model(&models.Activity{}).Where("type = ? AND actor_uri = ?", "Announce", g.URI).Count(&announces)
				if announces != 0 {
					t.Errorf("the community announced %d times", announces)
				}
			}},
		{name: "without attributedTo", signer: org, status: 400, reason: "no attributedTo", // at the door, as every note
			doc: func(e *inboxEnv) map[string]any {
				return e.announcementDoc(org, e.id("notes"), g.URI, "attributedTo", nil)
			}},
		{name: "off-host object id", signer: org, status: 400, reason: "not on the actor's host",
			doc: func(e *inboxEnv) map[string]any {
				return e.announcementDoc(org, "https://elsewhere.example/notes/1", g.URI)
			}},
		refused("only organizations", func(e *inboxEnv) map[string]any {
			return e.announcementDoc(e.x, e.id("notes"), g.URI)
		}, e.x),
		refused("unknown announcementKind", func(e *inboxEnv) map[string]any {
			return e.announcementDoc(org, e.id("notes"), g.URI, "announcementKind", "raffle")
		}),
		refused("needs its announcementKind", func(e *inboxEnv) map[string]any {
			return e.announcementDoc(org, e.id("notes"), g.URI, "announcementKind", nil)
		}),
		refused("price", func(e *inboxEnv) map[string]any {
			return e.announcementDoc(org, e.id("notes"), g.URI, "price", quantity("1e3", "EUR"))
		}),
		refused("price", func(e *inboxEnv) map[string]any {
			return e.announcementDoc(org, e.id("notes"), g.URI, "price", quantity("-100.00", "EUR"))
		}),
		refused("price", func(e *inboxEnv) map[string]any {
			return e.announcementDoc(org, e.id("notes"), g.URI, "price", map[string]any{"hasUnit": "one", "hasNumericalValue": 100, "currency": "EUR"})
		}),
		refused("needs its payout", func(e *inboxEnv) map[string]any {
			return e.announcementDoc(org, e.id("notes"), g.URI, "price", nil)
		}),
		refused("partnership with @garden that does not exist", func(e *inboxEnv) map[string]any {
			return e.announcementDoc(org, e.id("notes"), g.URI, "partnerOf", g.URI)
		}),
	})

	// Recognised by the community (as a passed recognise_partner proposal
	// does), the organization's announcements are announced at once.
	svc := e.inst.App.Svc
	orgActor, err := e.inst.App.Store.ActorByURI(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.inst.App.Store.Tx(ctx, func(tx *store.Store) error {
		return svc.Economy.RecogniseDecided(ctx, tx, g, orgActor, actorOf(t, e.inst, "ada").ID, "")
	}); err != nil {
		t.Fatal(err)
	}
	partnered := e.id("notes")
	e.setup(org, e.announcementDoc(org, partnered, g.URI, "partnerOf", []string{g.URI}))
	if s := relayOf(t, e, g, partnered); s != models.RelayAnnounced {
		t.Errorf("partner's relay = %s", s)
	}
	if n := groupAnnounced(t, e, g, partnered); n != 1 {
		t.Errorf("partner's announced %d times, want 1", n)
	}
	// The held one is released by a maintainer: announced once.
	a, _ := e.inst.App.Store.AnnouncementByURI(ctx, held)
	if err := svc.Economy.DecideAnnouncement(ctx, actorOf(t, e.inst, "ada"), g, a.ID, true); err != nil {
		t.Fatal(err)
	}
	if n := groupAnnounced(t, e, g, held); n != 1 || relayOf(t, e, g, held) != models.RelayAnnounced {
		t.Errorf("released: announced %d times, relay %s", n, relayOf(t, e, g, held))
	}
}
