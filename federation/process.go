package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/fetch"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/store"
)

// errIgnored marks an activity we understood and chose not to act on.
var errIgnored = errors.New("ignored")

// processInbox runs the job's stored inbound activities through the service
// layer, one after the other, each on its own (its own transactions: a failing
// activity takes nothing of the others with it). An activity that fails for a
// transient reason (fetching, database) makes the job retry; the retry skips
// the activities already finished (they are no longer pending), so each takes
// effect once. A domain refusal (bad request, forbidden, unknown object) ends
// that activity for good: retrying would not change the answer.
func (f *Federation) processInbox(ctx context.Context, job ProcessInbox) error {
	var retry, final error
	for _, id := range job.ids() {
		if ctx.Err() != nil {
			// The attempt's time is up: what is left stays pending for the retry.
			return errors.Join(retry, ctx.Err())
		}
		err := f.processActivity(ctx, id)
		switch {
		case err == nil:
		case queue.IsPermanent(err):
			final = errors.Join(final, err)
		default:
			retry = errors.Join(retry, err)
		}
	}
	if retry != nil {
		return retry
	}
	if final != nil {
		return queue.Permanent(final)
	}
	return nil
}

// processActivity processes one stored activity (see processInbox).
func (f *Federation) processActivity(ctx context.Context, id string) error {
	row, err := f.svc.Store.ActivityByID(ctx, id)
	if err != nil {
		return queue.Permanent(fmt.Errorf("activity %s: %w", id, err))
	}
	if row.State != models.ActivityPending {
		return nil
	}
	// The same reading the inbox checked, and the actor it verified: anything
	// else is refused for good (defence in depth against a second reader).
	act, err := vocab.ParseInbound([]byte(row.Raw))
	if err != nil {
		_ = f.finish(ctx, row.ID, models.ActivityFailed, err.Error())
		return queue.Permanent(err)
	}
	if act.Actor != row.ActorURI || row.ActorURI == "" {
		err := fmt.Errorf("activity %s: parsed actor %q is not the verified actor %q", row.ID, act.Actor, row.ActorURI)
		_ = f.finish(ctx, row.ID, models.ActivityFailed, "actor is not the verified signer")
		return queue.Permanent(err)
	}
	if undone, err := f.cancelled(ctx, act); err != nil {
		return err
	} else if undone {
		return f.finish(ctx, row.ID, models.ActivityIgnored, "undone or deleted by its actor before it was processed")
	}
	actor, err := f.fetch.Actor(ctx, act.Actor, false)
	if err != nil {
		if permanentFailure(err) {
			_ = f.finish(ctx, row.ID, models.ActivityFailed, clientReason(err))
			return nil
		}
		return err
	}
	err = f.dispatch(ctx, actor, act)
	switch {
	case err == nil:
		return f.finish(ctx, row.ID, models.ActivityProcessed, "")
	case errors.Is(err, errIgnored):
		f.log.Debug("inbox: ignored", "type", act.Type, "id", act.ID, "why", err)
		return f.finish(ctx, row.ID, models.ActivityIgnored, err.Error())
	case permanentFailure(err):
		// Another try within the retry window would get the same answer.
		f.log.Info("inbox: gave up", "type", act.Type, "id", act.ID, "actor", act.Actor, "why", err)
		_ = f.finish(ctx, row.ID, models.ActivityFailed, clientReason(err))
		return nil
	case errs.Status(err) < 500:
		f.log.Info("inbox: refused", "type", act.Type, "id", act.ID, "actor", act.Actor, "why", errs.Message(err))
		_ = f.finish(ctx, row.ID, models.ActivityFailed, errs.Message(err))
		return nil
	default:
		return err
	}
}

// cancelled reports whether the actor already undid act (or deleted the object it
// creates): peers deliver in parallel and our jobs run concurrently, so the Undo or
// Delete may have been processed first, finding nothing to cancel; act must not
// take effect after it.
func (f *Federation) cancelled(ctx context.Context, act *vocab.Object) (bool, error) {
	switch act.Type {
	case "Follow", "Like", "Announce", "Block":
		return f.svc.Store.InboundActivityExists(ctx, "Undo", act.Actor, act.ID)
	case "Create":
		// A vote taken back (Undo{Create}) before its Create was processed.
		if undone, err := f.svc.Store.InboundActivityExists(ctx, "Undo", act.Actor, act.ID); err != nil || undone {
			return undone, err
		}
		if id := act.ObjectID(); id != "" {
			return f.svc.Store.InboundActivityExists(ctx, "Delete", act.Actor, id)
		}
	}
	return false, nil
}

// permanentFailure reports whether err will not change by retrying: the object
// is gone (404, 410), too large, not a document we read, refused by the
// parser or over its limits, served from the wrong origin, or on a host we do
// not talk to.
func permanentFailure(err error) bool {
	for _, s := range []error{fetch.ErrNotFound, fetch.ErrGone, fetch.ErrTooLarge, fetch.ErrInvalidDocument,
		fetch.ErrOrigin, fetch.ErrNotActor, fetch.ErrInvalidActor, fetch.ErrLocal, fetch.ErrInvalidURL,
		fetch.ErrBlockedDomain, fetch.ErrPrivateAddress, vocab.ErrRefused, vocab.ErrTooLarge} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// clientReason is the recorded reason of a permanent failure.
func clientReason(err error) string {
	var r *vocab.Refusal
	if errors.As(err, &r) {
		return r.Reason
	}
	return errs.Message(fetch.ClientError(err))
}

func ignored(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errIgnored}, args...)...)
}

// localActor resolves an id that must name one of our actors.
func (f *Federation) localActor(ctx context.Context, uri string) (*models.Actor, error) {
	a, err := f.svc.Store.ActorByURI(ctx, uri)
	if err != nil || !a.Local() {
		return nil, ignored("%s is not an actor of this instance", uri)
	}
	if a.Suspended {
		return nil, errs.NotFound("actor is gone")
	}
	return a, nil
}

// authoredObject returns the object of a Create/Update by actor. The inbox already
// refused embedded objects from other hosts; an object given by reference, or one
// without content, is fetched from its origin. Its author must be the actor.
func (f *Federation) authoredObject(ctx context.Context, actor *models.Actor, obj *vocab.Object) (*vocab.Object, error) {
	o := obj
	if obj.IsIRIOnly() || obj.Type == "" {
		fetched, err := f.fetch.Object(ctx, obj.ID)
		if err != nil {
			return nil, err
		}
		o = fetched
	}
	if err := vocab.CheckLimits(o); err != nil {
		return nil, err
	}
	if !noteTypes[o.Type] {
		return nil, ignored("object type %s", o.Type)
	}
	if len(o.AttributedTo) > 0 && o.AttributedTo[0] != actor.URI {
		return nil, errs.Forbidden("object is attributed to %s, not to the sender", o.AttributedTo[0])
	}
	if hostOf(o.ID) != hostOf(actor.URI) {
		return nil, errs.BadRequest("object id is not on the actor's host")
	}
	return o, nil
}

// noteTypes are the objects we keep as notes.
var noteTypes = map[string]bool{"Note": true, "Article": true, "Page": true, "Question": true, "Event": true, "Video": true}

// knownOrFetchedNote returns a note we have, or fetches it from its origin (never
// trusting an embedded copy) together with its author.
func (f *Federation) knownOrFetchedNote(ctx context.Context, uri string) (*models.Note, error) {
	if n, err := f.svc.Store.NoteByURI(ctx, uri); err == nil {
		if n.DeletedAt != nil {
			return nil, ignored("boost of a deleted note")
		}
		return n, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if hostOf(uri) == f.cfg.PublicHost() {
		return nil, ignored("boost of an unknown local object")
	}
	o, err := f.fetch.Object(ctx, uri)
	if err != nil {
		return nil, err
	}
	if err := vocab.CheckLimits(o); err != nil {
		return nil, err
	}
	if !noteTypes[o.Type] || len(o.AttributedTo) == 0 {
		return nil, ignored("boosted object is a %s", o.Type)
	}
	author, err := f.fetch.Actor(ctx, o.AttributedTo[0], false)
	if err != nil {
		return nil, err
	}
	if hostOf(author.URI) != hostOf(o.ID) {
		return nil, errs.BadRequest("boosted object and its author live on different hosts")
	}
	return f.svc.Social.ReceiveNote(ctx, author, convert.RemoteNote(author, o), false)
}

func (f *Federation) known(_ any, err error) bool { return err == nil }

// isNoteURI reports whether uri names a note we already have.
func (f *Federation) isNoteURI(ctx context.Context, uri string) bool {
	_, err := f.svc.Store.NoteByURI(ctx, uri)
	return err == nil
}

// finish records how processing an activity ended. The transition applies to a
// pending activity only: one that another worker (a rescued or retried job)
// finished meanwhile is done, not an error to retry.
func (f *Federation) finish(ctx context.Context, id, state, msg string) error {
	err := f.svc.Store.FinishActivity(ctx, id, state, msg)
	if errors.Is(err, store.ErrConflict) {
		return nil
	}
	return err
}
