package social_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store/storetest"
)

// fakePolicy blocks what its blocked set names.
type fakePolicy struct{ blocked map[string]bool }

func (p *fakePolicy) Allowed(host string) bool     { return !p.blocked[host] }
func (p *fakePolicy) Reload(context.Context) error { return nil }

// fakeResolver serves subscribe templates by host.
type fakeResolver struct {
	templates map[string]string
	asked     []string
}

func (r *fakeResolver) ResolveActor(context.Context, string) (*models.Actor, error) {
	return nil, errors.New("not used")
}

func (r *fakeResolver) SubscribeTemplate(_ context.Context, user, host string) (string, error) {
	r.asked = append(r.asked, user+"@"+host)
	if t, ok := r.templates[host]; ok {
		return t, nil
	}
	return "", errors.New("no webfinger")
}

// Remote follow goes through the Resolver port and the domain policy: a blocked
// host is never asked.
func TestRemoteFollowURL(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	ctx := context.Background()
	s := servicetest.New(t, st)
	if _, err := s.Social.RemoteFollowURL(ctx, "bea", "b.example", "https://a.example/users/c"); servicetest.Status(err) != http.StatusServiceUnavailable {
		t.Fatalf("without federation: %v", err)
	}
	r := &fakeResolver{templates: map[string]string{
		"b.example":   "https://b.example/authorize_interaction?uri={uri}",
		"odd.example": "javascript:alert({uri})",
		"bad.example": "https://bad.example/x?uri={uri}",
	}}
	s.SetPorts(nil, r, &fakePolicy{blocked: map[string]bool{"bad.example": true}})
	tests := []struct {
		host, want string
		status     int
	}{
		{"b.example", "https://b.example/authorize_interaction?uri=https%3A%2F%2Fa.example%2Fusers%2Fc", 0},
		{"bad.example", "", http.StatusForbidden},
		{"odd.example", "", http.StatusBadGateway},
		{"none.example", "", http.StatusBadGateway},
	}
	for _, tc := range tests {
		got, err := s.Social.RemoteFollowURL(ctx, "bea", tc.host, "https://a.example/users/c")
		if servicetest.Status(err) != tc.status || got != tc.want {
			t.Errorf("%s: %q %v, want %q status %d", tc.host, got, err, tc.want, tc.status)
		}
	}
	for _, a := range r.asked {
		if strings.HasSuffix(a, "@bad.example") {
			t.Errorf("blocked host was asked: %s", a)
		}
	}
}
