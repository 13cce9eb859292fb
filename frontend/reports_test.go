package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func TestReportAndResolve(t *testing.T) {
	inst, admin := startWithAdmin(t)
	ctx := context.Background()
	ann, bob := newBrowser(t, inst), newBrowser(t, inst)
	ann.signup("ann", nil)
	bob.signup("bob", nil)
	n, err := inst.App.Svc.Social.PostNote(ctx, actor(t, inst, "bob"), service.NoteInput{Content: "buy cheap pills", Visibility: models.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	if p := newBrowser(t, inst).get("/report?note=" + n.ID); p.Status != http.StatusSeeOther {
		t.Fatalf("anonymous report form: %d", p.Status)
	}
	want(t, ann.get("/@bob"), http.StatusOK, "/report?account=")
	form := ann.get("/report?note=" + n.ID)
	want(t, form, http.StatusOK, "buy cheap pills", `name="note" value="`+n.ID+`"`)
	want(t, ann.post("/report?note="+n.ID, "/report", url.Values{"note": {n.ID}, "comment": {"spam"}, "csrf": {"forged"}}), 403)
	want(t, bob.post("/report?note="+n.ID, "/report", url.Values{"note": {n.ID}, "comment": {"me"}}), 422, "cannot report yourself")
	want(t, ann.post("/report?note="+n.ID, "/report", url.Values{"note": {n.ID}, "comment": {"spam"}}), http.StatusCreated, "Thank you")

	want(t, ann.get("/admin/reports"), http.StatusForbidden)
	list := admin.get("/admin/reports")
	want(t, list, http.StatusOK, "Review and resolve")
	id := regexp.MustCompile(`/admin/reports/([0-9a-z]+)"`).FindStringSubmatch(list.Body)[1]
	page := admin.get("/admin/reports/" + id)
	want(t, page, http.StatusOK, "buy cheap pills", "spam", "Remove the reported posts")
	want(t, ann.post("/", "/admin/reports/"+id+"/resolve", url.Values{"action": {"none"}, "confirmed": {"yes"}}), http.StatusForbidden)

	// The first submission asks for confirmation and changes nothing.
	vals := url.Values{"action": {models.ReportActionRemoveContent}, "note": {"No advertising here."}}
	conf := admin.post("/admin/reports/"+id, "/admin/reports/"+id+"/resolve", vals)
	want(t, conf, http.StatusOK, "Resolve this report?", "Yes, remove the reported posts", `name="note" value="No advertising here."`)
	if got, _ := inst.App.Store.NoteByID(ctx, n.ID); got.DeletedAt != nil {
		t.Fatal("removed before confirmation")
	}
	vals.Set("confirmed", "yes")
	p := admin.post("/admin/reports/"+id, "/admin/reports/"+id+"/resolve", vals)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("resolve: %d %s", p.Status, p.Body)
	}
	want(t, admin.get(p.Location), http.StatusOK, "Report resolved.", "Remove the reported posts by @ada", "No advertising here.")
	if got, _ := inst.App.Store.NoteByID(ctx, n.ID); got.DeletedAt == nil {
		t.Fatal("note not removed")
	}
	home := bob.get("/home")
	if !strings.Contains(home.Body, "No advertising here.") {
		t.Fatal("the author did not get the reason")
	}
	want(t, admin.post("/admin/reports/"+id, "/admin/reports/"+id+"/resolve", vals), http.StatusConflict, "resolved already")
}

func TestRejectSignupAndRevokeInvitePages(t *testing.T) {
	inst, admin := startWithAdmin(t)
	setMode(t, inst, "approval")
	newBrowser(t, inst).signup("pat", url.Values{"reason": {"seeds"}})
	want(t, admin.post("/admin", "/admin/users/pat", url.Values{"action": {"reject"}}), http.StatusOK, "Yes, reject @pat")
	if user(t, inst, "pat") == nil {
		t.Fatal("rejected without confirmation")
	}
	if p := admin.post("/admin", "/admin/users/pat", url.Values{"action": {"reject"}, "confirmed": {"yes"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d %s", p.Status, p.Body)
	}
	if user(t, inst, "pat") != nil {
		t.Fatal("pat still there")
	}
	admin.post("/admin", "/admin/invites", url.Values{"max_uses": {"3"}, "days": {"7"}})
	invs, _ := inst.App.Svc.Instance.Invites(context.Background())
	path := "/admin/invites/" + invs[0].Code + "/revoke"
	want(t, admin.get("/admin"), http.StatusOK, `action="`+path+`"`)
	want(t, admin.post("/admin", path, url.Values{}), http.StatusOK, "Yes, revoke the link")
	if invs, _ := inst.App.Svc.Instance.Invites(context.Background()); len(invs) != 1 {
		t.Fatal("revoked without confirmation")
	}
	if p := admin.post("/admin", path, url.Values{"confirmed": {"yes"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", p.Status)
	}
	if invs, _ := inst.App.Svc.Instance.Invites(context.Background()); len(invs) != 0 {
		t.Fatal("invite not revoked")
	}
}

// TestReportForwardCheckbox: the report form offers "Also send the report to
// <server>" for an account on another server only; ticked, the report reaches
// that server's moderators (as a Flag, see federation's TestReportForwardedAsFlag).
func TestReportForwardCheckbox(t *testing.T) {
	a, ada := startWithAdmin(t)
	b := apptest.Start(t)
	ctx := context.Background()
	ann := newBrowser(t, a)
	ann.signup("ann", nil)
	newBrowser(t, b).signup("bob", nil)
	bob, err := a.App.Svc.Social.ResolveActor(ctx, b.Handle("bob"))
	if err != nil {
		t.Fatal(err)
	}
	if p := ada.get("/report?account=" + actor(t, a, "ann").ID); p.Status != http.StatusOK || strings.Contains(p.Body, `name="forward"`) {
		t.Fatal("a local account's report form offers forwarding")
	}
	path := "/report?account=" + bob.ID
	want(t, ann.get(path), http.StatusOK, `name="forward"`, "Also send the report to "+b.Host)
	want(t, ann.post(path, "/report", url.Values{"account": {bob.ID}, "comment": {"impersonates our library"}, "forward": {"1"}}),
		http.StatusCreated, "Thank you")
	eventually(t, "the report reaches B", func() bool {
		var r models.Report
		return b.App.Store.DB.Where("content = ?", "impersonates our library").First(&r).Error == nil
	})
}
