package api_test

import (
	"net/http"
	"testing"
)

// TestCommunityJoinByFollowAPI: the anonymous "join from another server" call
// refuses what is not a remote account; success is driven across servers in
// federation/community_joinfollow_test.go.
func TestCommunityJoinByFollowAPI(t *testing.T) {
	inst := start(t)
	fern := userWithToken(t, inst, "fern", "member")
	newCommunity(t, inst, fern, "seeds", nil)
	path := "/api/v1/communities/seeds/join_by_follow"
	for _, tc := range []struct {
		body   any
		status int
	}{
		{map[string]any{"account": "@fern@" + inst.Host}, http.StatusUnprocessableEntity},
		{map[string]any{"account": ""}, http.StatusUnprocessableEntity},
		{map[string]any{"account": "@x@y.example", "extra": 1}, http.StatusBadRequest},
	} {
		expect(t, call(t, inst, "POST", path, "", tc.body), tc.status)
	}
	expect(t, call(t, inst, "POST", "/api/v1/communities/nope/join_by_follow", "", map[string]any{"account": "@a@b.example"}), http.StatusNotFound)
	expect(t, call(t, inst, "GET", "/api/v1/communities/seeds/members?state=awaiting_follow", fern, nil), http.StatusOK)
}
