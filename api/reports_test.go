package api_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func TestReportsAPI(t *testing.T) {
	inst := start(t)
	ctx := context.Background()
	adm := userWithToken(t, inst, "boss", "admin")
	mod := userWithToken(t, inst, "mod", "moderator")
	ann := userWithToken(t, inst, "ann", "member")
	bob := createUser(t, inst, "bob", "member")
	act, _ := inst.App.Svc.Accounts.ActorOf(ctx, bob)
	n, _ := inst.App.Svc.Social.PostNote(ctx, act, service.NoteInput{Content: "spam spam", Visibility: models.VisibilityPublic})

	expect(t, call(t, inst, "POST", "/api/v1/reports", "", map[string]any{"account_id": act.ID}), 401)
	expect(t, call(t, inst, "POST", "/api/v1/reports", ann, map[string]any{"comment": "x"}), 422)
	expect(t, call(t, inst, "POST", "/api/v1/reports", ann, map[string]any{"note_ids": []string{"nope"}}), 404)
	r := call(t, inst, "POST", "/api/v1/reports", ann, map[string]any{"note_ids": []string{n.ID}, "comment": "spam"})
	expect(t, r, 201)
	var created struct{ ID string }
	r.json(t, &created)

	// forward is accepted (a local account's report has nowhere to go: nothing is sent).
	expect(t, call(t, inst, "POST", "/api/v1/reports", ann, map[string]any{"account_id": act.ID, "comment": "again", "forward": true}), 201)
	var flags int64
	inst.App.Store.DB.Model(&models.Activity{}).Where("type = ?", "Flag").Count(&flags)
	if flags != 0 {
		t.Fatalf("%d Flags sent about a local account", flags)
	}

	expect(t, call(t, inst, "GET", "/api/v1/admin/reports/"+created.ID, ann, nil), 403)
	expect(t, call(t, inst, "GET", "/api/v1/admin/reports/"+created.ID, mod, nil), 200)
	expect(t, call(t, inst, "POST", "/api/v1/admin/reports/"+created.ID+"/resolve", ann, map[string]string{"action": "none"}), 403)
	expect(t, call(t, inst, "POST", "/api/v1/admin/reports/"+created.ID+"/resolve", mod, map[string]string{"action": "remove_content"}), 422)
	expect(t, call(t, inst, "POST", "/api/v1/admin/reports/"+created.ID+"/resolve", mod, map[string]string{"action": "block_domain"}), 422)
	r = call(t, inst, "POST", "/api/v1/admin/reports/"+created.ID+"/resolve", mod, map[string]string{"action": "remove_content", "note": "no spam"})
	expect(t, r, 200)
	var got struct{ Action, Resolution string }
	r.json(t, &got)
	if got.Action != "remove_content" || got.Resolution != "no spam" {
		t.Fatalf("%s", r.Body)
	}
	expect(t, call(t, inst, "POST", "/api/v1/admin/reports/"+created.ID+"/resolve", adm, map[string]string{"action": "none"}), 409)

	// Sign-up rejection and invite revocation.
	expect(t, call(t, inst, "POST", "/api/v1/admin/users/bob/reject", mod, nil), 409)
	expect(t, call(t, inst, "POST", "/api/v1/admin/users/bob/reject", ann, nil), 403)
	r = call(t, inst, "POST", "/api/v1/admin/invites", adm, map[string]any{"max_uses": 2})
	var inv struct{ Code string }
	r.json(t, &inv)
	expect(t, call(t, inst, "DELETE", "/api/v1/admin/invites/"+inv.Code, ann, nil), 403)
	expect(t, call(t, inst, "DELETE", "/api/v1/admin/invites/"+inv.Code, mod, nil), 204)
	expect(t, call(t, inst, "DELETE", "/api/v1/admin/invites/"+inv.Code, mod, nil), 404)
}
