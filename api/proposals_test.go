package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

type proposal struct {
	ID, URI, Kind, Title, Method, State, Outcome string
	Options                                      []string
	Counts, Advisory                             map[string]int64
	Cast, Eligible                               int64
	MyVote                                       string    `json:"my_vote"`
	ClosesAt                                     time.Time `json:"closes_at"`
}

// TestProposalsAPI: a member opens a proposal, members vote and change their
// vote, a non-member's vote is advisory, the refusals are the documented ones,
// and withdrawal ends it (every response checked against openapi.json).
func TestProposalsAPI(t *testing.T) {
	inst := start(t)
	fern := userWithToken(t, inst, "fern", "member")
	milo := userWithToken(t, inst, "milo", "member")
	nora := userWithToken(t, inst, "nora", "member") // never a member
	newCommunity(t, inst, fern, "seeds", nil)
	base := "/api/v1/communities/seeds"
	expect(t, call(t, inst, "POST", base+"/join", milo, nil), http.StatusOK)

	cases := []struct {
		name   string
		token  string
		body   any
		status int
	}{
		{"anonymous", "", map[string]any{"title": "x"}, http.StatusUnauthorized},
		{"not a member", nora, map[string]any{"title": "x"}, http.StatusForbidden},
		{"unknown field", fern, map[string]any{"title": "x", "colour": "red"}, http.StatusBadRequest},
		{"no title", fern, map[string]any{"motion": "why"}, http.StatusUnprocessableEntity},
		{"unknown kind", fern, map[string]any{"title": "x", "kind": "coup"}, http.StatusUnprocessableEntity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, inst, "POST", base+"/proposals", tc.token, tc.body), tc.status)
		})
	}

	r := call(t, inst, "POST", base+"/proposals", milo, map[string]any{"title": "Buy a seed drill", "motion": "We *need* it.",
		"quorum_num": 1, "quorum_den": 2})
	expect(t, r, http.StatusCreated)
	var p proposal
	r.json(t, &p)
	if p.State != "open" || p.Kind != "motion" || p.Method != "majority" || p.Eligible != 2 || len(p.Options) != 3 {
		t.Fatalf("created %+v", p)
	}

	vote := func(token, option string, status int) proposal {
		t.Helper()
		r := call(t, inst, "POST", "/api/v1/proposals/"+p.ID+"/vote", token, map[string]any{"option": option})
		expect(t, r, status)
		var got proposal
		if status == http.StatusOK {
			r.json(t, &got)
		}
		return got
	}
	vote(fern, "No", http.StatusOK)
	if got := vote(fern, "Yes", http.StatusOK); got.Counts["Yes"] != 1 || got.Counts["No"] != 0 || got.MyVote != "Yes" {
		t.Fatalf("after fern changed her vote: %+v", got)
	}
	if got := vote(nora, "No", http.StatusOK); got.Counts["No"] != 0 || got.Advisory["No"] != 1 || got.MyVote != "" {
		t.Fatalf("after nora's advisory vote: %+v", got)
	}
	vote(milo, "yes", http.StatusUnprocessableEntity)
	vote("", "Yes", http.StatusUnauthorized)

	r = call(t, inst, "GET", "/api/v1/proposals/"+p.ID, "", nil)
	expect(t, r, http.StatusOK)
	var shown proposal
	r.json(t, &shown)
	if shown.Cast != 1 || shown.Counts["Yes"] != 1 {
		t.Fatalf("shown %+v", shown)
	}
	r = call(t, inst, "GET", base+"/proposals", "", nil)
	expect(t, r, http.StatusOK)
	var list []proposal
	r.json(t, &list)
	if len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("list %+v", list)
	}
	expect(t, call(t, inst, "GET", "/api/v1/proposals/nope", "", nil), http.StatusNotFound)

	expect(t, call(t, inst, "POST", "/api/v1/proposals/"+p.ID+"/withdraw", nora, nil), http.StatusForbidden)
	r = call(t, inst, "POST", "/api/v1/proposals/"+p.ID+"/withdraw", milo, nil)
	expect(t, r, http.StatusOK)
	var gone proposal
	r.json(t, &gone)
	if gone.State != "withdrawn" {
		t.Fatalf("withdrawn %+v", gone)
	}
	expect(t, call(t, inst, "POST", "/api/v1/proposals/"+p.ID+"/withdraw", milo, nil), http.StatusConflict)
	vote(fern, "No", http.StatusConflict)
}

// TestGovernanceSettingsAPI: the settings (defaults, a steward's change, a
// member refused, entrenchment), a revision, an anyOf vote with a reason,
// the log and the open ballots (responses checked against openapi.json).
func TestGovernanceSettingsAPI(t *testing.T) {
	inst := start(t)
	fern := userWithToken(t, inst, "fern", "member")
	milo := userWithToken(t, inst, "milo", "member")
	newCommunity(t, inst, fern, "seeds", nil)
	base := "/api/v1/communities/seeds"
	expect(t, call(t, inst, "POST", base+"/join", milo, nil), http.StatusOK)

	var s struct {
		WhoMayPropose string `json:"who_may_propose"`
		Entrenched    bool
		Kinds         map[string]struct {
			Method      string
			WindowHours int64 `json:"window_hours"`
		}
	}
	r := call(t, inst, "GET", base+"/governance", "", nil)
	expect(t, r, http.StatusOK)
	r.json(t, &s)
	if s.WhoMayPropose != "members" || s.Kinds["amend_charter"].Method != "supermajority" || s.Kinds["amend_charter"].WindowHours != 336 {
		t.Fatalf("defaults %+v", s)
	}
	expect(t, call(t, inst, "PUT", base+"/governance", milo, map[string]any{"who_may_propose": "stewards"}), http.StatusForbidden)
	expect(t, call(t, inst, "PUT", base+"/governance", fern, map[string]any{"who_may_propose": "kings"}), http.StatusUnprocessableEntity)
	r = call(t, inst, "PUT", base+"/governance", fern, map[string]any{"who_may_propose": "members",
		"kinds": map[string]any{"motion": map[string]any{"method": "choice", "window_hours": 24}}})
	expect(t, r, http.StatusUnprocessableEntity)
	r = call(t, inst, "PUT", base+"/governance", fern, map[string]any{"entrenched": true})
	expect(t, r, http.StatusOK)
	expect(t, call(t, inst, "PUT", base+"/governance", fern, map[string]any{"entrenched": false}), http.StatusForbidden)

	r = call(t, inst, "POST", base+"/proposals", milo, map[string]any{"title": "Colour", "method": "choice", "choice": "anyOf",
		"options": []string{"Red", "Green", "Blue"}, "ballot_mode": "open", "quorum_num": 1, "quorum_den": 2})
	expect(t, r, http.StatusCreated)
	var p proposal
	r.json(t, &p)
	r = call(t, inst, "POST", "/api/v1/proposals/"+p.ID+"/revise", fern, map[string]any{"title": "x"})
	expect(t, r, http.StatusForbidden)
	r = call(t, inst, "POST", "/api/v1/proposals/"+p.ID+"/revise", milo, map[string]any{"title": "Colour of the shed", "method": "choice",
		"choice": "anyOf", "options": []string{"Red", "Green"}, "ballot_mode": "open"})
	expect(t, r, http.StatusCreated)
	var next struct {
		proposal
		RevisionOf string   `json:"revision_of"`
		MyVotes    []string `json:"my_votes"`
		Voters     int64
	}
	r.json(t, &next)
	if next.RevisionOf != p.ID {
		t.Fatalf("revision %+v", next)
	}
	r = call(t, inst, "POST", "/api/v1/proposals/"+next.ID+"/vote", fern, map[string]any{"options": []string{"Red", "Green"}, "reason": "Both are fine."})
	expect(t, r, http.StatusOK)
	r.json(t, &next)
	if next.Counts["Red"] != 1 || next.Counts["Green"] != 1 || next.Voters != 1 || len(next.MyVotes) != 2 {
		t.Fatalf("after an anyOf vote %+v", next)
	}
	expect(t, call(t, inst, "GET", "/api/v1/proposals/"+next.ID+"/ballots", "", nil), http.StatusNotFound)
	r = call(t, inst, "GET", base+"/governance/log", "", nil)
	expect(t, r, http.StatusOK)
	var log []proposal
	r.json(t, &log)
	if len(log) != 1 || log[0].ID != p.ID || log[0].State != "withdrawn" {
		t.Fatalf("log %+v", log)
	}
}

// TestPollsAPI: a remote poll shown and voted through the API (responses
// checked against openapi.json).
func TestPollsAPI(t *testing.T) {
	inst := start(t)
	ctx := context.Background()
	lea := userWithToken(t, inst, "lea", "member")
	author := &models.Actor{ID: models.NewID(), Type: models.ActorPerson, Username: "ana", Domain: "127.0.0.2",
		URI: "http://127.0.0.2/users/ana", InboxURI: "http://127.0.0.2/users/ana/inbox"}
	if err := inst.App.Store.CreateActor(ctx, author); err != nil {
		t.Fatal(err)
	}
	n := &models.Note{ID: models.NewID(), URI: author.URI + "/statuses/1", Type: "Question", AuthorID: author.ID,
		Content: "<p>Tea?</p>", Visibility: models.VisibilityPublic, Published: time.Now()}
	if err := inst.App.Store.CreateNote(ctx, n, nil); err != nil {
		t.Fatal(err)
	}
	if err := inst.App.Svc.Governance.ReceivePoll(ctx, author, n, service.RemotePoll{URI: n.URI, Multiple: true,
		Options: []service.PollOption{{Name: "Tea", Count: 1}, {Name: "Coffee"}, {Name: "Water"}}, Voters: 1}); err != nil {
		t.Fatal(err)
	}
	expect(t, call(t, inst, "GET", "/api/v1/polls/"+n.ID, lea, nil), http.StatusOK)
	expect(t, call(t, inst, "GET", "/api/v1/polls/nope", lea, nil), http.StatusNotFound)
	expect(t, call(t, inst, "POST", "/api/v1/polls/"+n.ID+"/votes", lea, map[string]any{"options": []string{"Milk"}}), http.StatusUnprocessableEntity)
	r := call(t, inst, "POST", "/api/v1/polls/"+n.ID+"/votes", lea, map[string]any{"options": []string{"Tea", "Water"}})
	expect(t, r, http.StatusOK)
	var got struct {
		Options []struct {
			Name  string
			Count int64
		}
		OwnVotes []string `json:"own_votes"`
		Voted    bool
	}
	r.json(t, &got)
	if !got.Voted || len(got.OwnVotes) != 2 || got.Options[0].Count != 2 || got.Options[2].Count != 1 {
		t.Fatalf("after voting %+v", got)
	}
	expect(t, call(t, inst, "POST", "/api/v1/polls/"+n.ID+"/votes", lea, map[string]any{"options": []string{"Coffee"}}), http.StatusConflict)
}
