package bench

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// BenchmarkInboxVotes measures votes on a proposal arriving through the
// signed inbox (issue 11): a community of 10 000 eligible members, of which
// BENCH_VOTES_N (2 000) are remote accounts of one peer, known to the
// instance as members are (they joined before). Each remote member sends
// first a plain Create{Note} mentioning a local user (the plain inbox rate,
// measured in the same run), then its vote exactly as Mastodon sends it
// (Create{Note{name, inReplyTo: the Question}} to the Group), so both loads
// have the same signers, sizes and instance. For each: accepted/s (202s
// over the POSTing time), done/s (from the first POST until every note is
// processed / every vote is counted as a binding ballot) and the process CPU
// per activity (getrusage over the same span: accept and processing; the
// bodies were signed before). The target is votes counted/s ≥ 80 % of the
// plain rate.
func BenchmarkInboxVotes(b *testing.B) {
	eachDriver(b, benchInboxVotes)
}

// votePeer is a remote server whose accounts v0…vN share one RSA key (key
// generation would dominate otherwise); it serves their actor documents.
type votePeer struct {
	key  *rsa.PrivateKey
	pem  string
	base string
	host string
}

func newVotePeer(b *testing.B) *votePeer {
	b.Helper()
	key, err := signing.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	pem, err := signing.EncodePublicKey(&key.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	p := &votePeer{key: key, pem: string(pem)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/users/")
		if !ok || strings.Contains(name, "/") {
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusAccepted) // deliveries (the tally's Update) land here
				return
			}
			http.NotFound(w, r)
			return
		}
		uri := p.uri(name)
		w.Header().Set("Content-Type", "application/activity+json")
		json.NewEncoder(w).Encode(map[string]any{
			"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       uri, "type": "Person", "preferredUsername": name, "inbox": uri + "/inbox", "outbox": uri + "/outbox",
			"endpoints": map[string]string{"sharedInbox": p.base + "/inbox"},
			"publicKey": map[string]string{"id": uri + "#main-key", "owner": uri, "publicKeyPem": p.pem},
		})
	}))
	b.Cleanup(srv.Close)
	p.base, p.host = srv.URL, strings.TrimPrefix(srv.URL, "http://")
	return p
}

func (p *votePeer) uri(name string) string { return p.base + "/users/" + name }

// actor is account i as the instance knows it after it joined.
func (p *votePeer) actor(i int) models.Actor {
	name := fmt.Sprintf("v%d", i)
	uri := p.uri(name)
	now := time.Now()
	return models.Actor{FetchedAt: &now, ID: models.NewID(), Type: models.ActorPerson, Username: name, UsernameLower: name, Domain: p.host,
		URI: uri, InboxURI: uri + "/inbox", SharedInbox: p.base + "/inbox", PublicKeyID: uri + "#main-key", PublicKeyPEM: p.pem,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
}

// sign signs n bodies on every core: body(i) is account i's activity for inbox(i).
func (p *votePeer) sign(b *testing.B, n int, inbox func(i int) string, body func(i int) map[string]any) []signed {
	b.Helper()
	out := make([]signed, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	now := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				raw, _ := json.Marshal(body(i))
				req, _ := http.NewRequest(http.MethodPost, inbox(i), nil)
				req.Header.Set("Content-Type", "application/activity+json")
				if err := signing.SignRequest(req, p.uri(fmt.Sprintf("v%d", i))+"#main-key", p.key, raw, now); err != nil {
					panic(err)
				}
				out[i] = signed{body: raw, header: req.Header}
			}
		})
	}
	wg.Wait()
	return out
}

func benchInboxVotes(b *testing.B, driver string) {
	const eligible = 10_000
	n := envInt("BENCH_VOTES_N", 2000)
	if n > eligible {
		n = eligible
	}
	inst, ada := startInstance(b, driver)
	ctx := context.Background()
	u, err := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if err != nil {
		b.Fatal(err)
	}
	group, _, err := inst.App.Svc.Communities.Create(ctx, u, service.CommunityInput{Handle: "coop", Licence: "MIT"})
	if err != nil {
		b.Fatal(err)
	}
	peer := newVotePeer(b)
	actors := make([]models.Actor, 0, n)
	members := make([]models.Membership, 0, eligible)
	for i := 0; i < eligible-1; i++ { // ada, the founder, is the last one
		id := models.NewID()
		if i < n {
			a := peer.actor(i)
			actors = append(actors, a)
			id = a.ID
		}
		members = append(members, models.Membership{ID: models.NewID(), CommunityID: group.ID, ActorID: id,
			Role: models.RoleCommunityMember, State: models.MembershipActive, CreatedAt: time.Now(), UpdatedAt: time.Now()})
	}
	for _, rows := range []any{actors, members} {
		if err := inst.App.Store.DB.CreateInBatches(rows, 500).Error; err != nil {
			b.Fatal(err)
		}
	}
	p, err := inst.App.Svc.Governance.Propose(ctx, ada, group, service.ProposalInput{Title: "Plant an orchard"})
	if err != nil {
		b.Fatal(err)
	}
	if v, _ := inst.App.Svc.Governance.Get(ctx, nil, p.ID); v.Eligible != eligible {
		b.Fatalf("eligible %d, want %d", v.Eligible, eligible)
	}

	adaInbox := inst.URL + "/users/ada/inbox"
	plain := peer.sign(b, n, func(int) string { return adaInbox }, func(i int) map[string]any {
		uri := peer.uri(fmt.Sprintf("v%d", i))
		note := fmt.Sprintf("%s/statuses/%d", uri, i)
		return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": note + "/activity", "type": "Create", "actor": uri,
			"to": []string{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []string{ada.URI},
			"object": map[string]any{"id": note, "type": "Note", "attributedTo": uri, "published": time.Now().UTC().Format(time.RFC3339),
				"content": fmt.Sprintf("<p>@ada benchmark note %d, a few words long like most posts are</p>", i),
				"to":      []string{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []string{ada.URI},
				"tag": []map[string]string{{"type": "Mention", "href": ada.URI, "name": "@ada"}}}}
	})
	votes := peer.sign(b, n, func(int) string { return group.InboxURI }, func(i int) map[string]any {
		uri := peer.uri(fmt.Sprintf("v%d", i))
		option := "Yes"
		if i%3 == 0 {
			option = "No"
		}
		id := fmt.Sprintf("%s#votes/%d", uri, i)
		return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id + "/activity", "type": "Create", "actor": uri,
			"to":     group.URI,
			"object": map[string]any{"id": id, "type": "Note", "name": option, "attributedTo": uri, "inReplyTo": p.URI, "to": group.URI}}
	})

	c := newClient(30 * time.Second)
	type outcome struct {
		accepted, done, cpuMS float64
	}
	run := func(what string, acts []signed, inbox string, finished func() (int64, error)) outcome {
		cpu0, t0 := cpuTime(), time.Now()
		r := closedLoop(Concurrency, time.Hour, n, func(i int) int { s, _ := post(c, inbox, acts[i]); return s })
		if r.Status[http.StatusAccepted] != n {
			b.Fatalf("%s: statuses %v", what, r.Status)
		}
		for {
			got, err := finished()
			if err != nil {
				b.Fatal(err)
			}
			if got >= int64(n) {
				break
			}
			if time.Since(t0) > 10*time.Minute {
				var states []struct {
					State string
					N     int64
				}
				inst.App.Store.DB.Model(&models.Activity{}).Select("state, count(*) AS n").Group("state").Scan(&states)
				b.Fatalf("%s: %d of %d done after 10 minutes; activities by state %v", what, got, n, states)
			}
			time.Sleep(50 * time.Millisecond)
		}
		wall, cpu := time.Since(t0), cpuTime()-cpu0
		o := outcome{accepted: r.Rate(), done: float64(n) / wall.Seconds(), cpuMS: float64(cpu) / float64(time.Millisecond) / float64(n)}
		b.Logf("%s %s: %d accepted at %.0f/s, all done after %v (%.0f/s), %.2f ms CPU each", driver, what, n, o.accepted,
			wall.Round(time.Millisecond), o.done, o.cpuMS)
		return o
	}
	base := run("plain Create{Note}", plain, adaInbox, func() (int64, error) {
		var pending int64
		err := inst.App.Store.DB.Model(&models.Activity{}).Where("state = ?", models.ActivityPending).Count(&pending).Error
		if pending > 0 {
			return 0, err
		}
		var processed int64
		err = inst.App.Store.DB.Model(&models.Activity{}).Where("state = ? AND type = ?", models.ActivityProcessed, "Create").Count(&processed).Error
		return processed, err
	})
	voted := run("votes", votes, group.InboxURI, func() (int64, error) {
		var ballots int64
		err := inst.App.Store.DB.Model(&models.Ballot{}).Where("proposal_id = ?", p.ID).Count(&ballots).Error
		return ballots, err
	})
	v, err := inst.App.Svc.Governance.Get(ctx, nil, p.ID)
	if err != nil {
		b.Fatal(err)
	}
	if v.Counts["Yes"]+v.Counts["No"] != int64(n) || len(v.Advisory) != 0 {
		b.Fatalf("counts %v advisory %v, want %d binding", v.Counts, v.Advisory, n)
	}
	ratio := 100 * voted.done / base.done
	b.Logf("%s: votes counted at %.0f%% of the plain rate (target ≥ 80%%); CPU per vote %.2f ms, per plain Create %.2f ms",
		driver, ratio, voted.cpuMS, base.cpuMS)
	report(b, "plain-accepted/s", base.accepted, "plain-done/s", base.done, "plain-cpu-ms", base.cpuMS,
		"votes-accepted/s", voted.accepted, "votes-counted/s", voted.done, "vote-cpu-ms", voted.cpuMS, "counted-%-of-plain", ratio)
}
