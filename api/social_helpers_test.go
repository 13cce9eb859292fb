package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
)

// tokenFor creates an approved user and a bearer token for it through the service.
func tokenFor(t *testing.T, inst *apptest.Instance, username, role string) string {
	t.Helper()
	u := createUser(t, inst, username, role)
	secret, _, err := inst.App.Svc.Accounts.NewToken(context.Background(), u, "test")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

type actorOut struct {
	ID, URI, URL, Handle, Username, Domain string
	DisplayName                            string `json:"display_name"`
	Local                                  bool
}

type followOut struct {
	ID, State string
	Target    *actorOut
	Follower  *actorOut
}

type noteOut struct {
	ID, URI, URL, Content, Summary, Visibility string
	Sensitive                                  bool
	InReplyTo                                  string `json:"in_reply_to"`
	Published                                  time.Time
	Author                                     actorOut
	Mentions                                   []struct{ URI, Handle string }
	Tags                                       []struct{ Name, URL string }
}

type entryOut struct {
	ID        string
	Note      noteOut
	Author    actorOut
	BoostedBy *actorOut `json:"boosted_by"`
}

func getList[T any](t *testing.T, inst *apptest.Instance, path, token string) []T {
	t.Helper()
	r := call(t, inst, "GET", path, token, nil)
	expect(t, r, http.StatusOK)
	var out []T
	r.json(t, &out)
	return out
}
