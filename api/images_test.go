package api_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/commonsd/commonsd/service"
)

// TestImageUploads: a user's banner, and a community's icon and banner by its
// steward; a member who is not a steward is refused and nothing changes.
func TestImageUploads(t *testing.T) {
	inst := start(t)
	ctx := context.Background()
	ada := userWithToken(t, inst, "ada", "member")
	mia := userWithToken(t, inst, "mia", "member")
	u, _ := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	group, _, err := inst.App.Svc.Communities.Create(ctx, u, service.CommunityInput{Handle: "seeds", Licence: "PPL"})
	if err != nil {
		t.Fatal(err)
	}
	png := image(pngMagic, 200)
	post := func(path, token string, data []byte) response {
		ct, body := multipartBody(t, "file", "image/png", data)
		req, _ := http.NewRequest("POST", inst.URL+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+token)
		return send(t, inst, req)
	}
	cases := []struct {
		name, path, token string
		data              []byte
		status            int
	}{
		{"own banner", "/api/v1/accounts/me/banner", ada, png, http.StatusOK},
		{"community icon", "/api/v1/communities/seeds/images/icon", ada, png, http.StatusOK},
		{"community banner", "/api/v1/communities/seeds/images/banner", ada, png, http.StatusOK},
		{"not a steward", "/api/v1/communities/seeds/images/icon", mia, png, http.StatusForbidden},
		{"unknown slot", "/api/v1/communities/seeds/images/cover", ada, png, http.StatusNotFound},
		{"not an image", "/api/v1/communities/seeds/images/banner", ada, []byte("hello"), http.StatusUnsupportedMediaType},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { expect(t, post(c.path, c.token, c.data), c.status) })
	}
	g, _ := inst.App.Store.ActorByID(ctx, group.ID)
	if g.IconURL == "" || g.ImageURL == "" {
		t.Fatalf("community images: %q %q", g.IconURL, g.ImageURL)
	}
	me, _ := inst.App.Svc.Accounts.ActorOf(ctx, u)
	if me.ImageURL == "" || me.IconURL != "" {
		t.Fatalf("user images: icon %q banner %q", me.IconURL, me.ImageURL)
	}
}
