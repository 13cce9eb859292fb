package federation

import (
	"context"
	"net/http"
	"strconv"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// pageSize of every paged collection.
const pageSize = 20

// collection answers a paged OrderedCollection: without ?page the collection with
// totalItems and a link to the first page; with ?page=N that page.
func collection(c echo.Context, id string, total int64, hidden bool, page func(limit, offset int) ([]*vocab.Object, error)) error {
	n := int(total)
	p := c.QueryParam("page")
	if p == "" || hidden {
		return writeAP(c, http.StatusOK, convert.Collection(id, n, hidden))
	}
	num, err := strconv.Atoi(p)
	if err != nil || num < 1 || num > 100000 {
		return errs.BadRequest("page must be a positive number")
	}
	items, err := page(pageSize, (num-1)*pageSize)
	if err != nil {
		return err
	}
	return writeAP(c, http.StatusOK, convert.CollectionPage(id, n, num, pageSize, items))
}

// followers is an actor's followers collection; the count stays visible when the
// actor hides the list, as on Mastodon.
func (f *Federation) followers(c echo.Context) error {
	ctx := c.Request().Context()
	act, err := f.svc.Actors.LocalByHandle(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	total, err := f.svc.Store.CountFollowers(ctx, act.ID)
	if err != nil {
		return errs.Internal(err)
	}
	return collection(c, act.FollowersURI, total, f.hidesPeople(ctx, act), func(limit, offset int) ([]*vocab.Object, error) {
		l, err := f.svc.Store.ListFollowers(ctx, act.ID, models.FollowAccepted, limit, offset)
		return convert.ActorRefs(l), err
	})
}

// hidesPeople reports whether act's followers and following lists are hidden
// (only their totals are served): when the actor hides them, and for a
// community whose member list is private, since its followers are mostly its
// members.
func (f *Federation) hidesPeople(ctx context.Context, act *models.Actor) bool {
	if act.HideFollowers {
		return true
	}
	if act.Type != models.ActorGroup {
		return false
	}
	com, err := f.svc.Communities.ByActor(ctx, act)
	return err != nil || !com.MembersPublic
}

// following is the collection of actors an actor follows.
func (f *Federation) following(c echo.Context) error {
	ctx := c.Request().Context()
	act, err := f.svc.Actors.LocalByHandle(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	total, err := f.svc.Store.CountFollowing(ctx, act.ID)
	if err != nil {
		return errs.Internal(err)
	}
	return collection(c, act.FollowingURI, total, f.hidesPeople(ctx, act), func(limit, offset int) ([]*vocab.Object, error) {
		l, err := f.svc.Store.ListFollowing(ctx, act.ID, limit, offset)
		return convert.ActorRefs(l), err
	})
}

// outbox lists an actor's public activities (Create, Announce), embedded.
func (f *Federation) outbox(c echo.Context) error {
	ctx := c.Request().Context()
	act, err := f.svc.Actors.LocalByHandle(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	total, err := f.svc.Store.CountOutbox(ctx, act.URI)
	if err != nil {
		return errs.Internal(err)
	}
	return collection(c, act.OutboxURI, total, false, func(limit, offset int) ([]*vocab.Object, error) {
		rows, err := f.svc.Store.ListOutbox(ctx, act.URI, limit, offset)
		if err != nil {
			return nil, err
		}
		raws := make([]string, len(rows))
		for i, r := range rows {
			raws[i] = r.Raw
		}
		return convert.OutboxItems(raws), nil
	})
}

// featured is the collection of pinned posts (Mastodon fetches it for every
// actor); pinning is not offered yet, so it is empty but well-formed.
func (f *Federation) featured(c echo.Context) error {
	act, err := f.svc.Actors.LocalByHandle(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	return writeAP(c, http.StatusOK, convert.OrderedCollection(act.FeaturedURI, nil))
}

// note serves a note (or its Tombstone with 410) to whoever may read it
// (Service.CanSee): public and unlisted notes to anyone, other notes only to a
// signed GET from a server the note was addressed to. Anything else is a 404, as
// if the note did not exist.
func (f *Federation) note(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := f.svc.Store.NoteByID(ctx, c.Param("id"))
	if err != nil || !n.Local {
		return errs.NotFound("note not found")
	}
	// The signature is checked only when the note is not for everyone.
	if !f.svc.CanSee(ctx, nil, n) && !f.svc.CanSee(ctx, f.signer(c), n) {
		return errs.NotFound("note not found")
	}
	author, err := f.svc.Store.ActorByID(ctx, n.AuthorID)
	if err != nil {
		return errs.Internal(err)
	}
	if n.DeletedAt != nil {
		return writeAP(c, http.StatusGone, convert.Note(n, author, nil))
	}
	tags, err := f.svc.Store.NoteTags(ctx, n.ID)
	if err != nil {
		return errs.Internal(err)
	}
	return writeAP(c, http.StatusOK, convert.Note(n, author, tags))
}

// signerKey is where authorizedFetch leaves the verified key of a signed GET.
const signerKey = "commonsd.signer"

// signer is the remote actor who signed this GET, or nil when it is unsigned,
// badly signed or from a blocked domain (then it reads as anyone would). It
// never fails the request: an unsigned GET of a public document is fine.
func (f *Federation) signer(c echo.Context) *models.Actor {
	owner, _ := c.Get(signerKey).(string)
	if owner == "" {
		r := c.Request()
		if r.Header.Get("Signature") == "" && r.Header.Get("Signature-Input") == "" {
			return nil
		}
		key, err := f.verifier.Verify(r.Context(), r, nil)
		if err != nil {
			return nil
		}
		owner = key.Owner
	}
	host := hostOf(owner)
	if host == "" || !f.policy.Allowed(host) {
		return nil
	}
	a, err := f.svc.Store.ActorByURI(c.Request().Context(), owner)
	if err != nil || a.Local() {
		return nil
	}
	return a
}

// noteHTML sends browsers to the thread page when the note is in a local
// community's thread, else to the author's profile.
func (f *Federation) noteHTML(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := f.svc.Store.NoteByID(ctx, c.Param("id"))
	if err != nil || !n.Local || n.DeletedAt != nil || !f.svc.CanSee(ctx, nil, n) {
		return errs.NotFound("note not found")
	}
	if group, root := f.svc.Communities.ThreadRoot(ctx, n); root != nil {
		to := "/c/" + group.Username + "/posts/" + root.ID
		if root.ID != n.ID {
			to += "#note-" + n.ID
		}
		return c.Redirect(http.StatusSeeOther, to)
	}
	author, err := f.svc.Store.ActorByID(ctx, n.AuthorID)
	if err != nil {
		return errs.Internal(err)
	}
	return c.Redirect(http.StatusSeeOther, author.URL)
}

// activity serves one of our activities at its id: public ones to anyone; the
// Create or Update of a private note to a signed GET from a server that may see
// the note (Service.CanSee), as the note itself is served.
func (f *Federation) activity(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := f.svc.Store.ActivityByURI(ctx, f.svc.URLs().Activity(c.Param("id")))
	if err != nil || !a.Local {
		return errs.NotFound("activity not found")
	}
	if !a.Public {
		n, err := f.svc.Store.NoteByURI(ctx, a.ObjectURI)
		if err != nil || (a.Type != "Create" && a.Type != "Update") || n.DeletedAt != nil || !f.svc.CanSee(ctx, f.signer(c), n) {
			return errs.NotFound("activity not found")
		}
	}
	return c.Blob(http.StatusOK, ContentType, []byte(a.Raw))
}
