package federation

import (
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
	return collection(c, act.FollowersURI, total, act.HideFollowers, func(limit, offset int) ([]*vocab.Object, error) {
		l, err := f.svc.Store.ListFollowers(ctx, act.ID, models.FollowAccepted, limit, offset)
		return convert.ActorRefs(l), err
	})
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
	return collection(c, act.FollowingURI, total, act.HideFollowers, func(limit, offset int) ([]*vocab.Object, error) {
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
		out := make([]*vocab.Object, 0, len(rows))
		for _, r := range rows {
			o, err := vocab.Parse([]byte(r.Raw))
			if err == nil {
				out = append(out, o)
			}
		}
		return out, nil
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

// note serves a note (or its Tombstone with 410). Only public and unlisted notes
// are served to anonymous fetchers.
func (f *Federation) note(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := f.svc.Store.NoteByID(ctx, c.Param("id"))
	if err != nil || !n.Local {
		return errs.NotFound("note not found")
	}
	author, err := f.svc.Store.ActorByID(ctx, n.AuthorID)
	if err != nil {
		return errs.Internal(err)
	}
	if n.DeletedAt != nil {
		return writeAP(c, http.StatusGone, convert.Note(n, author, nil))
	}
	if n.Visibility != models.VisibilityPublic && n.Visibility != models.VisibilityUnlisted {
		return errs.NotFound("note not found")
	}
	tags, err := f.svc.Store.NoteTags(ctx, n.ID)
	if err != nil {
		return errs.Internal(err)
	}
	return writeAP(c, http.StatusOK, convert.Note(n, author, tags))
}

// noteHTML sends browsers to the thread page when the note is in a local
// community's thread, else to the author's profile.
func (f *Federation) noteHTML(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := f.svc.Store.NoteByID(ctx, c.Param("id"))
	if err != nil || !n.Local || n.DeletedAt != nil {
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

// activity serves one of our public activities at its id.
func (f *Federation) activity(c echo.Context) error {
	a, err := f.svc.Store.ActivityByURI(c.Request().Context(), f.svc.URLs().Activity(c.Param("id")))
	if err != nil || !a.Local || !a.Public {
		return errs.NotFound("activity not found")
	}
	return c.Blob(http.StatusOK, ContentType, []byte(a.Raw))
}
