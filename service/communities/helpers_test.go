package communities_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
)

var status = servicetest.Status

// The communities domain's own tests. They drive the wired facade, as every
// caller does, so that the rules are checked with the real neighbours
// (accounts, social) on both databases (storetest.Each).

// recorder stands in for the federation edge (servicetest.Recorder).
type recorder = servicetest.Recorder

type fixture struct {
	ctx  context.Context
	s    *service.Service
	st   *store.Store
	pub  *recorder
	root *models.User // the first account: an admin
}

// newFixture wires a service on st; edit may change the configuration first.
func newFixture(t *testing.T, st *store.Store, edit func(*config.Config)) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), st: st}
	f.wire(t, edit)
	f.root, _ = f.user(t, "founder")
	return f
}

// rewired is f with a service built from another configuration on the same
// database (the domains take their configuration when built).
func (f *fixture) rewired(t *testing.T, edit func(*config.Config)) *fixture {
	t.Helper()
	g := &fixture{ctx: f.ctx, st: f.st, root: f.root}
	g.wire(t, edit)
	return g
}

func (f *fixture) wire(t *testing.T, edit func(*config.Config)) {
	t.Helper()
	if edit == nil {
		edit = func(*config.Config) {}
	}
	f.s = servicetest.New(t, f.st, edit)
	f.pub = &recorder{}
	f.s.SetPorts(f.pub, nil, nil)
}

// user signs up a local user and returns it with its actor.
func (f *fixture) user(t *testing.T, name string) (*models.User, *models.Actor) {
	t.Helper()
	u, err := f.s.Accounts.SignUp(f.ctx, service.Registration{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.s.Accounts.ActorOf(f.ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	return u, a
}

// remote stores an actor of another server.
func (f *fixture) remote(t *testing.T, name string) *models.Actor {
	t.Helper()
	id := models.NewID()
	base := "https://remote.example/users/" + name
	a := &models.Actor{ID: id, Type: models.ActorPerson, Username: name, Domain: "remote.example", URI: base,
		InboxURI: base + "/inbox", FollowersURI: base + "/followers"}
	if err := f.st.CreateActor(f.ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// community founds a community as f.root.
func (f *fixture) community(t *testing.T, in service.CommunityInput) (*models.Actor, *models.Community) {
	t.Helper()
	g, com, err := f.s.Communities.Create(f.ctx, f.root, in)
	if err != nil {
		t.Fatal(err)
	}
	return g, com
}
