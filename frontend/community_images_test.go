package frontend_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/commonsd/commonsd/service"
)

// TestCommunityImages: stewards upload a community's icon and banner; others are
// refused and bad files change nothing. Users upload their own banner in settings.
func TestCommunityImages(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	u, _ := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	group, _, err := inst.App.Svc.Communities.Create(ctx, u, service.CommunityInput{Handle: "seeds", Name: "Seeds", Licence: "PPL"})
	if err != nil {
		t.Fatal(err)
	}
	png := append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, make([]byte, 64)...)
	cases := []struct {
		name, slot, ctype string
		data              []byte
		status            int
	}{
		{"icon", "icon", "image/png", png, http.StatusSeeOther},
		{"banner", "banner", "image/png", png, http.StatusSeeOther},
		{"not an image", "banner", "image/png", []byte("hello"), http.StatusUnsupportedMediaType},
		{"unknown slot", "cover", "image/png", png, http.StatusNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ada.upload("/c/seeds/images/"+c.slot, "image", "i.png", c.ctype, c.data)
			if p.Status != c.status {
				t.Fatalf("status %d, want %d: %s", p.Status, c.status, p.Body)
			}
		})
	}
	fresh, _ := inst.App.Store.ActorByID(ctx, group.ID)
	if fresh.IconURL == "" || fresh.ImageURL == "" || fresh.IconURL == fresh.ImageURL {
		t.Fatalf("icon %q banner %q", fresh.IconURL, fresh.ImageURL)
	}
	// The actor document carries both.
	resp, err := http.Get(fresh.ImageURL)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("banner not served: %v", err)
	}
	// A member who is not a steward is refused.
	mia := newBrowser(t, inst)
	mia.signup("mia", nil)
	miaActor := actor(t, inst, "mia")
	if _, err := inst.App.Svc.Communities.Join(ctx, miaActor, group, ""); err != nil {
		t.Fatal(err)
	}
	if p := mia.upload("/c/seeds/images/icon", "image", "i.png", "image/png", png); p.Status != http.StatusForbidden {
		t.Fatalf("member upload: %d", p.Status)
	}
	if again, _ := inst.App.Store.ActorByID(ctx, group.ID); again.IconURL != fresh.IconURL {
		t.Fatal("a refused upload changed the icon")
	}
	// A user's own banner.
	if p := mia.upload("/settings/banner", "banner", "b.png", "image/png", png); p.Status != http.StatusSeeOther {
		t.Fatalf("settings banner: %d %s", p.Status, p.Body)
	}
	if a := actor(t, inst, "mia"); a.ImageURL == "" {
		t.Fatal("user banner not set")
	}
}
