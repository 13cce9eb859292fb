package federation_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/service"
)

// mastodonQuestion is a poll as Mastodon publishes it
// (ActivityPub::NoteSerializer for a status with a poll): a Question with
// oneOf (or anyOf) Notes named by the options, each with
// replies.totalItems, endTime, votersCount and, once closed, closed. No
// Question is in the shared fixtures, so the shape follows the serializer.
func mastodonQuestion(id, author, to string, counts map[string]int, closed bool) map[string]any {
	var options []any
	for _, name := range []string{"Tea", "Coffee"} {
		options = append(options, map[string]any{"type": "Note", "name": name,
			"replies": map[string]any{"type": "Collection", "totalItems": counts[name]}})
	}
	q := map[string]any{"id": id, "type": "Question", "attributedTo": author, "content": "<p>Tea or coffee?</p>",
		"published": time.Now().UTC().Format(time.RFC3339), "to": []any{"https://www.w3.org/ns/activitystreams#Public"},
		"cc": []any{author + "/followers", to}, "tag": []any{map[string]any{"type": "Mention", "href": to}},
		"endTime": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339), "oneOf": options,
		"votersCount": counts["Tea"] + counts["Coffee"]}
	if closed {
		q["closed"] = time.Now().UTC().Format(time.RFC3339)
	}
	return q
}

// TestRemotePoll: a Mastodon poll reaches a local user, who sees it with its
// tallies and votes; the vote leaves exactly as Mastodon sends its own
// (Create{Note{name, inReplyTo, attributedTo, to: the author}}, no content);
// the author's Update{Question} refreshes the counts; a second vote, an
// unknown option, two options on a single-choice poll, a vote after close
// and someone else's Update are refused.
func TestRemotePoll(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	fake := newCMFake(t)
	svc := inst.App.Svc
	u, err := svc.Accounts.SignUp(ctx, service.Registration{Username: "lea", Email: "lea@example.org", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	lea, _ := svc.Accounts.ActorOf(ctx, u)
	ana := fake.mastodon(t, "ana")
	mallory := fake.mastodon(t, "mallory")

	qid := ana.id("statuses")
	send := func(a *cmActor, typ string, q map[string]any) {
		t.Helper()
		act := map[string]any{"@context": []any{"https://www.w3.org/ns/activitystreams", map[string]any{"votersCount": "http://joinmastodon.org/ns#votersCount"}},
			"id": a.id("activities"), "type": typ, "actor": a.URI, "object": q, "to": q["to"], "cc": q["cc"]}
		if code, body := a.post(t, lea.InboxURI, act); code != http.StatusAccepted {
			t.Fatalf("%s refused: %d %s", typ, code, body)
		}
		cmOutcome(t, inst, act["id"].(string))
	}
	q := mastodonQuestion(qid, ana.URI, lea.URI, map[string]int{"Tea": 2, "Coffee": 1}, false)
	fake.put(qid, q)
	send(ana, "Create", q)
	n, err := inst.App.Store.NoteByURI(ctx, qid)
	if err != nil {
		t.Fatalf("the Question is not stored: %v", err)
	}
	poll := func() *service.PollView {
		t.Helper()
		m, err := svc.Governance.Polls(ctx, lea, []string{n.ID})
		if err != nil || m[n.ID] == nil {
			t.Fatalf("poll: %v", err)
		}
		return m[n.ID]
	}
	if p := poll(); len(p.Options) != 2 || p.Options[0].Count != 2 || p.Options[1].Count != 1 || p.Voters != 3 || p.Closed || p.Multiple {
		t.Fatalf("poll as received %+v", p)
	}

	refusals := []struct {
		options []string
		status  int
	}{{[]string{"Milk"}, 422}, {[]string{"Tea", "Coffee"}, 422}, {nil, 422}}
	for _, r := range refusals {
		if _, err := svc.Governance.VotePoll(ctx, lea, n.ID, r.options); cmStatus(err) != r.status {
			t.Fatalf("vote %v: %v, want %d", r.options, err, r.status)
		}
	}
	if _, err := svc.Governance.VotePoll(ctx, lea, n.ID, []string{"Coffee"}); err != nil {
		t.Fatal(err)
	}
	vote := fake.waitPost(t, "lea's vote at ana's inbox", func(m map[string]any) bool {
		obj, _ := m["object"].(map[string]any)
		return m["type"] == "Create" && obj != nil && obj["inReplyTo"] == qid
	})
	obj := vote["object"].(map[string]any)
	toAna := obj["to"] == ana.URI
	if l, ok := obj["to"].([]any); ok {
		toAna = len(l) == 1 && l[0] == ana.URI
	}
	if obj["type"] != "Note" || obj["name"] != "Coffee" || obj["attributedTo"] != lea.URI || !toAna || obj["content"] != nil || vote["actor"] != lea.URI || obj["cc"] != nil {
		t.Fatalf("the vote is not shaped as Mastodon's: %v", vote)
	}
	if p := poll(); p.Options[1].Count != 2 || !p.Voted("Coffee") {
		t.Fatalf("after voting %+v", p)
	}
	if _, err := svc.Governance.VotePoll(ctx, lea, n.ID, []string{"Tea"}); cmStatus(err) != 409 {
		t.Fatalf("a second vote: %v", err)
	}

	// Someone else's Update of ana's poll changes nothing.
	forged := mastodonQuestion(qid, mallory.URI, lea.URI, map[string]int{"Tea": 90, "Coffee": 0}, false)
	act := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": mallory.id("activities"), "type": "Update", "actor": mallory.URI, "object": forged}
	mallory.post(t, lea.InboxURI, act)
	inst.WaitQueueIdle(t)
	if p := poll(); p.Options[0].Count != 2 {
		t.Fatalf("a forged Update changed the counts: %+v", p)
	}

	// The author's Update brings the tallies and the close.
	upd := mastodonQuestion(qid, ana.URI, lea.URI, map[string]int{"Tea": 3, "Coffee": 2}, true)
	fake.put(qid, upd)
	send(ana, "Update", upd)
	if p := poll(); p.Options[0].Count != 3 || p.Options[1].Count != 2 || !p.Closed {
		t.Fatalf("after the author's Update %+v", p)
	}
	lea2, _ := svc.Accounts.SignUp(ctx, service.Registration{Username: "leo", Email: "leo@example.org", Password: "correct horse battery"})
	leo, _ := svc.Accounts.ActorOf(ctx, lea2)
	if _, err := svc.Governance.VotePoll(ctx, leo, n.ID, []string{"Tea"}); cmStatus(err) != 409 {
		t.Fatalf("a vote after close: %v", err)
	}
}
