package federation_test

import (
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
)

// TestInboxAnnounce covers boosts and a remote Group's relays, among them its
// moderation: a Group's Announce{Delete} removes a post of that community,
// never a local user's own note nor a post outside the community (7.3).
func TestInboxAnnounce(t *testing.T) {
	e := newInboxEnv(t)
	other := newRemote(t)
	z := other.Actor("z")
	h := e.rem.URL() + "/groups/h"
	inG, inH, zInG, yPlain := e.id("notes"), e.id("notes"), other.URL()+"/notes/z1", e.id("notes")
	e.setup(e.y, e.act("Create", e.y, "object", e.note(inG, e.y, e.g), "to", []string{asPublic}))
	e.setup(e.y, e.act("Create", e.y, "object", e.note(inH, e.y, h), "to", []string{asPublic}))
	e.setup(e.y, e.act("Create", e.y, "object", e.note(yPlain, e.y, ""), "to", []string{asPublic}))
	zCreate := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": other.URL() + "/c/1", "type": "Create", "actor": z,
		"to": []string{asPublic}, "object": e.note(zInG, z, e.g)}
	e.setup(z, zCreate)
	// ada posted into the remote community g: her note carries its audience.
	if err := e.inst.App.Store.DB.Model(&models.Note{}).Where("id = ?", e.adaNote.ID).Update("audience_uri", e.g).Error; err != nil {
		t.Fatal(err)
	}
	relayedDelete := func(e *inboxEnv, by, note string) map[string]any {
		return e.act("Announce", by, "object", map[string]any{"id": e.id("deletes"), "type": "Delete", "actor": e.y, "object": note}, "to", []string{asPublic})
	}
	deleted := func(uri string) bool { return e.noteRow(uri).DeletedAt != nil }
	// relayedUpdate is a Group's Announce{Update} of note by its author, with
	// an embedded copy saying text: never believed, the note is re-fetched.
	relayedUpdate := func(e *inboxEnv, by, author, note, text string) map[string]any {
		n := e.note(note, author, e.g)
		n["content"] = "<p>" + text + "</p>"
		return e.act("Announce", by, "object", map[string]any{"id": e.id("updates"), "type": "Update", "actor": author, "object": n}, "to", []string{asPublic})
	}
	adaContent := e.adaNote.Content
	runInboxCases(t, e, []inboxCase{
		{name: "group relays an Update of a local user's note", signer: e.g, status: 202, state: "ignored", reason: "note of this instance",
			doc: func(e *inboxEnv) map[string]any { return relayedUpdate(e, e.g, e.ada, e.adaNote.URI, "forged") },
			check: func(t *testing.T, e *inboxEnv) {
				if got := e.noteRow(e.adaNote.URI).Content; got != adaContent {
					t.Fatalf("ada's note became %q", got)
				}
			}},
		{name: "group relays an Update: the post is re-fetched from its origin, the relayed copy ignored", signer: e.g, status: 202,
			state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any {
				origin := e.note(inG, e.y, e.g)
				origin["@context"] = "https://www.w3.org/ns/activitystreams"
				origin["content"] = "<p>edited at its origin</p>"
				e.rem.Serve(strings.TrimPrefix(inG, e.rem.URL()), mustJSON(t, origin))
				return relayedUpdate(e, e.g, e.y, inG, "forged by the relay")
			},
			check: func(t *testing.T, e *inboxEnv) {
				if got := e.noteRow(inG); got.Content != "<p>edited at its origin</p>" || got.EditedAt == nil {
					t.Fatalf("after the relayed Update: %q (edited %v)", got.Content, got.EditedAt)
				}
			}},
		{name: "group deletes a local user's note in the group", signer: e.g, status: 202, state: "failed", reason: "cannot delete a post of this instance",
			doc: func(e *inboxEnv) map[string]any { return relayedDelete(e, e.g, e.adaNote.URI) },
			check: func(t *testing.T, e *inboxEnv) {
				if deleted(e.adaNote.URI) {
					t.Fatal("ada's note was deleted")
				}
			}},
		{name: "group deletes a post of another group", signer: e.g, status: 202, state: "failed", reason: "not in this community",
			doc: func(e *inboxEnv) map[string]any { return relayedDelete(e, e.g, inH) }},
		{name: "group deletes a post in no group", signer: e.g, status: 202, state: "failed", reason: "not in this community",
			doc: func(e *inboxEnv) map[string]any { return relayedDelete(e, e.g, yPlain) }},
		{name: "group deletes a post we do not have", signer: e.g, status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return relayedDelete(e, e.g, e.id("notes")) }},
		{name: "a person relays a delete", status: 202, state: "ignored",
			doc: func(e *inboxEnv) map[string]any { return relayedDelete(e, e.x, inG) }},
		{name: "announce of two objects", status: 400, reason: "one object",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Announce", e.x, "object", []string{inG, e.adaNote.URI})
			}},
		{name: "boost of ada's note", status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Announce", e.x, "object", e.adaNote.URI, "to", []string{asPublic})
			}},
		{name: "group removes a post of another server's author in the group", signer: e.g, status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any { return relayedDelete(e, e.g, zInG) },
			check: func(t *testing.T, e *inboxEnv) {
				if !deleted(zInG) {
					t.Fatal("post not removed")
				}
				for _, u := range []string{e.adaNote.URI, inH, yPlain, inG} {
					if deleted(u) {
						t.Fatalf("%s removed too", u)
					}
				}
			}},
	})
}
