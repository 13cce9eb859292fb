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

// errJudgedAlone rolls an activity of a batch back to its savepoint: it is
// processed again on its own (processBatch).
var errJudgedAlone = errors.New("judged again alone")

// processInbox runs the job's stored inbound activities through the service
// layer, one after the other. An activity that fails for a transient reason
// (fetching, database) makes the job retry; the retry skips the activities
// already finished (they are no longer pending), so each takes effect once. A
// domain refusal (bad request, forbidden, unknown object) ends that activity
// for good: retrying would not change the answer.
//
// The activities are first processed together in one transaction (a unit of
// work, processBatch): what processing one costs is mostly statements and
// commits, and a batch pays BEGIN/COMMIT, the WAL write and the "processed"
// UPDATE once. Whatever the batch cannot finish is processed on its own
// afterwards, exactly as before batching: a failing activity takes nothing of
// the others with it (TestProcessingBatchFailsOneActivityAlone).
func (f *Federation) processInbox(ctx context.Context, job ProcessInbox) error {
	rows, err := f.svc.Store.PendingActivities(ctx, job.ids())
	if err != nil {
		return err
	}
	alone := f.processBatch(ctx, rows)
	var retry, final error
	for _, id := range alone {
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

// processBatch processes rows in one transaction bound to the context as a
// unit of work (store.WithUnitOfWork: the service calls run inside it, each
// of their own transactions a SAVEPOINT) and offline (fetch.Offline: on SQLite
// the transaction holds the only writer connection, which must not wait for a
// remote server). Each activity processed is finished in the same transaction
// as its effects: "processed" for all of them in one UPDATE at the end. It
// returns the ids to process alone, in order:
//   - an activity that needs a fetch (fetch.ErrOffline), or that was refused or
//     ignored (rare; judged again online, where a fetch may change the answer),
//     then the batch goes on;
//   - on any other error (a failed statement may have aborted a PostgreSQL
//     transaction) that activity and those after it, and the batch commits
//     what came before;
//   - all of them when the commit fails (nothing of the batch took effect).
func (f *Federation) processBatch(ctx context.Context, rows []models.Activity) (alone []string) {
	if len(rows) == 0 {
		return nil
	}
	all := make([]string, len(rows))
	for i := range rows {
		all[i] = rows[i].ID
	}
	acts, perrs := make([]*vocab.Object, len(rows)), make([]error, len(rows))
	for i := range rows {
		acts[i], perrs[i] = vocab.ParseInbound([]byte(rows[i].Raw))
	}
	err := f.svc.Store.Tx(ctx, func(tx *store.Store) error {
		alone = alone[:0]
		bctx := fetch.Offline(store.WithUnitOfWork(ctx, tx))
		known, err := f.cancelsFor(bctx, acts)
		if err != nil {
			return err
		}
		// The notes the batch's Creates would store, read at once: each
		// Create's "do we have it already" is answered from there.
		var created []string
		for _, act := range acts {
			if act != nil && act.Type == "Create" && act.ObjectID() != "" {
				created = append(created, act.ObjectID())
			}
		}
		if err := tx.KnowNotes(bctx, created); err != nil {
			return err
		}
		var processed []string
		for i := range rows {
			row := &rows[i]
			if ctx.Err() != nil {
				alone = append(alone, all[i:]...)
				break
			}
			// Each activity in a savepoint of its own: one that is not
			// processed here (refused, ignored, needing a fetch, failing)
			// leaves nothing behind — a Reject a refusal published, a row
			// written before the error — since it is judged again alone,
			// where its effects take place once.
			var o outcome
			err := tx.Tx(bctx, func(*store.Store) error {
				var err error
				if o, err = f.judge(bctx, row, acts[i], perrs[i], known); err != nil {
					return err
				}
				if o.state != models.ActivityProcessed {
					return errJudgedAlone
				}
				return nil
			})
			if errors.Is(err, errJudgedAlone) {
				err = nil
			}
			switch {
			case err == nil && o.state == models.ActivityProcessed:
				processed = append(processed, row.ID)
			case err == nil || errors.Is(err, fetch.ErrOffline):
				// A refusal or an ignored activity is judged again alone, online:
				// a handler may have turned the refused fetch into its answer.
				alone = append(alone, row.ID)
			default:
				alone = append(alone, all[i:]...)
				return f.finishBatch(bctx, tx, known, acts, processed)
			}
		}
		return f.finishBatch(bctx, tx, known, acts, processed)
	})
	if err != nil {
		// Nothing of the batch took effect: each activity on its own.
		f.log.Debug("inbox: batch rolled back; processing its activities one by one", "activities", len(rows), "err", err)
		return all
	}
	return alone
}

// finishBatch marks the activities processed, after checking that no Undo or
// Delete of one of them arrived while the batch ran (read again, in one
// query): its job may have found nothing to cancel yet, so the batch rolls
// back and its activities are processed alone, the cancelled one ignored.
func (f *Federation) finishBatch(ctx context.Context, tx *store.Store, known cancels, acts []*vocab.Object, processed []string) error {
	now, err := f.cancelsFor(ctx, acts)
	if err != nil {
		return err
	}
	for c := range now {
		if !known[c] {
			return fmt.Errorf("%w: %s %s arrived during the batch", store.ErrConflict, c.Type, c.ObjectURI)
		}
	}
	return tx.FinishActivities(ctx, processed, models.ActivityProcessed)
}

// processActivity processes one stored activity on its own (see processInbox).
func (f *Federation) processActivity(ctx context.Context, id string) error {
	row, err := f.svc.Store.ActivityByID(ctx, id)
	if err != nil {
		return queue.Permanent(fmt.Errorf("activity %s: %w", id, err))
	}
	if row.State != models.ActivityPending {
		return nil
	}
	act, perr := vocab.ParseInbound([]byte(row.Raw))
	o, err := f.judge(ctx, row, act, perr, nil)
	if err != nil {
		return err
	}
	ferr := f.finish(ctx, row.ID, o.state, o.msg)
	switch {
	case o.err != nil:
		return queue.Permanent(o.err)
	case o.state == models.ActivityFailed:
		return nil
	default:
		return ferr
	}
}

// outcome is how processing an activity ended: the state to finish it in, the
// recorded reason, and for a refusal of the activity itself (it cannot be read,
// or is not its signer's) the error the job reports as permanent.
type outcome struct {
	state, msg string
	err        error
}

// judge runs one pending activity through the service layer and says how it
// ended; an error is transient (the activity stays pending for a retry).
//
// act and perr are the parsed row (vocab.ParseInbound), known the batch's
// cancellations or nil (see cancelled).
func (f *Federation) judge(ctx context.Context, row *models.Activity, act *vocab.Object, perr error, known cancels) (outcome, error) {
	// The same reading the inbox checked, and the actor it verified: anything
	// else is refused for good (defence in depth against a second reader).
	if err := perr; err != nil {
		return outcome{models.ActivityFailed, err.Error(), err}, nil
	}
	if act.Actor != row.ActorURI || row.ActorURI == "" {
		err := fmt.Errorf("activity %s: parsed actor %q is not the verified actor %q", row.ID, act.Actor, row.ActorURI)
		return outcome{models.ActivityFailed, "actor is not the verified signer", err}, nil
	}
	if undone, err := f.cancelled(ctx, act, known); err != nil {
		return outcome{}, err
	} else if undone {
		return outcome{state: models.ActivityIgnored, msg: "undone or deleted by its actor before it was processed"}, nil
	}
	actor, err := f.fetch.Actor(ctx, act.Actor, false)
	if err != nil {
		if permanentFailure(err) {
			return outcome{state: models.ActivityFailed, msg: clientReason(err)}, nil
		}
		return outcome{}, err
	}
	err = f.dispatch(ctx, actor, act)
	switch {
	case err == nil:
		return outcome{state: models.ActivityProcessed}, nil
	case errors.Is(err, fetch.ErrOffline):
		return outcome{}, err
	case errors.Is(err, errIgnored):
		f.log.Debug("inbox: ignored", "type", act.Type, "id", act.ID, "why", err)
		return outcome{state: models.ActivityIgnored, msg: err.Error()}, nil
	case permanentFailure(err):
		// Another try within the retry window would get the same answer.
		f.log.Info("inbox: gave up", "type", act.Type, "id", act.ID, "actor", act.Actor, "why", err)
		return outcome{state: models.ActivityFailed, msg: clientReason(err)}, nil
	case errs.Status(err) < 500:
		f.log.Info("inbox: refused", "type", act.Type, "id", act.ID, "actor", act.Actor, "why", errs.Message(err))
		return outcome{state: models.ActivityFailed, msg: errs.Message(err)}, nil
	default:
		return outcome{}, err
	}
}

// cancelled reports whether the actor already undid act (or deleted the object it
// creates): peers deliver in parallel and our jobs run concurrently, so the Undo or
// Delete may have been processed first, finding nothing to cancel; act must not
// take effect after it.
//
// known, when not nil, holds every inbound Undo and Delete about the
// activities of a batch and their objects (read in one query): the answer
// comes from there instead of one or two queries per activity.
func (f *Federation) cancelled(ctx context.Context, act *vocab.Object, known cancels) (bool, error) {
	exists := func(typ, object string) (bool, error) {
		if known != nil {
			return known[store.InboundCancel{Type: typ, ActorURI: act.Actor, ObjectURI: object}], nil
		}
		return f.svc.Store.InboundActivityExists(ctx, typ, act.Actor, object)
	}
	switch act.Type {
	case "Follow", "Like", "Announce", "Block":
		return exists("Undo", act.ID)
	case "Create":
		// A vote taken back (Undo{Create}) before its Create was processed.
		if undone, err := exists("Undo", act.ID); err != nil || undone {
			return undone, err
		}
		if id := act.ObjectID(); id != "" {
			return exists("Delete", id)
		}
	}
	return false, nil
}

// cancels is a set of inbound Undo and Delete activities (see cancelled).
type cancels map[store.InboundCancel]bool

// cancelsFor reads the inbound Undo and Delete activities that may cancel one
// of acts (nil entries are skipped), in one query.
func (f *Federation) cancelsFor(ctx context.Context, acts []*vocab.Object) (cancels, error) {
	var uris []string
	for _, act := range acts {
		if act == nil {
			continue
		}
		switch act.Type {
		case "Follow", "Like", "Announce", "Block":
			uris = append(uris, act.ID)
		case "Create":
			uris = append(uris, act.ID)
			if id := act.ObjectID(); id != "" {
				uris = append(uris, id)
			}
		}
	}
	found, err := f.svc.Store.InboundCancels(ctx, uris)
	if err != nil {
		return nil, err
	}
	known := make(cancels, len(found))
	for _, c := range found {
		known[c] = true
	}
	return known, nil
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
// without content, is fetched from its origin. Its author must be the actor, named
// by its attributedTo.
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
	if err := checkAttribution(o, actor.URI); err != nil {
		return nil, err
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
