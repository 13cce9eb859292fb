package frontend

import (
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

const followPageSize = 100

type followRow struct {
	ID      string
	Actor   *actorView
	Pending bool
}

type followData struct {
	Form      *form
	Following []followRow
	Requests  int  // pending requests to the user
	Manual    bool // the user approves followers manually
	Notice    string
}

// followPage is /follow: follow someone by handle or URL, and whom the user follows.
func (w *Web) followPage(c echo.Context) error {
	u, act, err := w.me(c)
	if u == nil {
		return err
	}
	notice := ""
	if who := c.QueryParam("who"); who != "" {
		switch c.QueryParam("done") {
		case models.FollowAccepted:
			notice = "You now follow " + who + "."
		case models.FollowPending:
			notice = "Follow request sent to " + who + "; it is pending until they accept."
		case "unfollowed":
			notice = "You no longer follow " + who + "."
		}
	}
	return w.renderFollow(c, http.StatusOK, act, newForm(), notice)
}

func (w *Web) renderFollow(c echo.Context, status int, act *models.Actor, f *form, notice string) error {
	ctx := c.Request().Context()
	list, err := w.svc.Social.Following(ctx, act, followPageSize, 0)
	if err != nil {
		return err
	}
	reqs, err := w.svc.Social.FollowRequests(ctx, act, followPageSize, 0)
	if err != nil {
		return err
	}
	d := followData{Form: f, Requests: len(reqs), Manual: act.ManuallyApprovesFollowers, Notice: notice}
	for _, fv := range list {
		d.Following = append(d.Following, followRow{ID: fv.Follow.ID, Actor: w.actorView(fv.Actor), Pending: fv.Follow.State == models.FollowPending})
	}
	p := w.page(c, "Follow")
	p.Data = d
	return w.render(c, status, "follow", p)
}

// follow follows the handle or URL typed into the form.
func (w *Web) follow(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	f := newForm()
	f.Values["handle"] = strings.TrimSpace(c.FormValue("handle"))
	fo, target, err := w.svc.Social.FollowByHandle(c.Request().Context(), act, f.Get("handle"))
	if err != nil {
		if errs.Status(err) >= 500 && errs.Status(err) != http.StatusBadGateway && errs.Status(err) != http.StatusServiceUnavailable {
			return err
		}
		f.invalid("handle", errs.Message(err))
		return w.renderFollow(c, statusOf(err), act, f, "")
	}
	return c.Redirect(http.StatusSeeOther, queryWith("/follow", "done", fo.State, "who", w.actorView(target).Handle))
}

// unfollow ends one of the user's follows (or withdraws a pending request).
func (w *Web) unfollow(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	ctx := c.Request().Context()
	if err := w.svc.Social.UnfollowByID(ctx, act, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, queryWith("/follow", "done", "unfollowed", "who", c.FormValue("who")))
}

type requestsData struct {
	Requests []followRow
	Manual   bool
	Notice   string
}

// followRequests is /follow_requests: pending follows to accept or reject.
func (w *Web) followRequests(c echo.Context) error {
	u, act, err := w.me(c)
	if u == nil {
		return err
	}
	reqs, err := w.svc.Social.FollowRequests(c.Request().Context(), act, followPageSize, 0)
	if err != nil {
		return err
	}
	d := requestsData{Manual: act.ManuallyApprovesFollowers,
		Notice: map[string]string{"accept": "Follow request accepted.", "reject": "Follow request rejected."}[c.QueryParam("done")]}
	for _, fv := range reqs {
		d.Requests = append(d.Requests, followRow{ID: fv.Follow.ID, Actor: w.actorView(fv.Actor), Pending: true})
	}
	p := w.page(c, "Follow requests")
	p.Data = d
	return w.render(c, http.StatusOK, "follow_requests", p)
}

// decideFollow accepts or rejects one follow request.
func (w *Web) decideFollow(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	action := c.FormValue("action")
	if action != "accept" && action != "reject" {
		return errs.Unprocessable("choose accept or reject")
	}
	if err := w.svc.Social.Decide(c.Request().Context(), act, c.Param("id"), action == "accept"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/follow_requests?done="+action)
}

type interactData struct {
	URI    string
	Actor  *actorView
	Self   bool
	State  string // "", pending or accepted
	Error  string
	Notice string
	// Group: the actor is a community; OfferPath is our offer form for it
	// (a remote community's offers go to its server from there).
	Group     bool
	OfferPath string
}

// authorizeInteraction is the OStatus subscribe template our WebFinger advertises
// (remote follow): /authorize_interaction?uri=@name@host shows the actor with a
// Follow button. Logged-out visitors log in first and come back with the uri.
func (w *Web) authorizeInteraction(c echo.Context) error {
	u, act, err := w.me(c)
	if u == nil {
		return err
	}
	notice := ""
	if c.QueryParam("done") == "follow" {
		notice = "Done."
	}
	return w.renderInteract(c, act, c.QueryParam("uri"), notice)
}

func (w *Web) renderInteract(c echo.Context, act *models.Actor, uri, notice string) error {
	ctx := c.Request().Context()
	d := interactData{URI: strings.TrimSpace(uri), Notice: notice}
	p := w.page(c, "Follow")
	target, err := w.svc.Social.ResolveActor(ctx, cleanURI(uri))
	if err != nil {
		if errs.Status(err) >= 500 && errs.Status(err) != http.StatusBadGateway && errs.Status(err) != http.StatusServiceUnavailable {
			return err
		}
		d.Error = errs.Message(err)
		p.Data = d
		return w.render(c, http.StatusUnprocessableEntity, "interact", p)
	}
	d.Actor, d.Self = w.actorView(target), target.ID == act.ID
	if target.Type == models.ActorGroup {
		d.Group, d.OfferPath = true, "/c/"+target.Username+"/offer"
		if !target.Local() {
			d.OfferPath = "/c/" + target.Username + "@" + target.Domain + "/offer"
		}
	}
	if fo, err := w.svc.Social.FollowOf(ctx, act, target); err != nil {
		return err
	} else if fo != nil {
		d.State = fo.State
	}
	p.Title = "Follow " + d.Actor.Handle
	p.Data = d
	return w.render(c, http.StatusOK, "interact", p)
}

// authorizeFollow follows the actor shown by authorizeInteraction and goes back to it.
func (w *Web) authorizeFollow(c echo.Context) error {
	u, act, err := w.meForm(c)
	if u == nil {
		return err
	}
	uri := c.FormValue("uri")
	if _, _, err := w.svc.Social.FollowByHandle(c.Request().Context(), act, cleanURI(uri)); err != nil {
		if errs.Status(err) >= 500 && errs.Status(err) != http.StatusBadGateway && errs.Status(err) != http.StatusServiceUnavailable {
			return err
		}
		return w.ErrorPage(c, statusOf(err), errs.Message(err))
	}
	return c.Redirect(http.StatusSeeOther, queryWith("/authorize_interaction", "uri", uri, "done", "follow"))
}
