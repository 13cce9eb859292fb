package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxAnnounce: a boost of a post (fetched from its origin, never trusted
// from the embedded copy; Social.ReceiveAnnounce), or a remote community
// relaying an activity of one of its members (FEP-1b12, groupRelay).
func (f *Federation) inboxAnnounce(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	obj := act.Object
	if obj.IsActivity() || (obj.IsIRIOnly() && actor.Type == models.ActorGroup && !f.isNoteURI(ctx, obj.ID)) {
		return f.groupRelay(ctx, actor, act, obj)
	}
	n, err := f.knownOrFetchedNote(ctx, obj.ID)
	if err != nil {
		return err
	}
	return f.svc.Social.ReceiveAnnounce(ctx, actor, act.ID, n)
}

// groupRelay handles a remote community re-publishing an activity: the inner
// activity's objects are taken from their origin, never from the relay. A
// relayed Delete or Lock is the community's moderation of its own posts
// (Communities.RemoveRelayedPost, SetThreadLocked decide what it may touch).
func (f *Federation) groupRelay(ctx context.Context, group *models.Actor, act, inner *vocab.Object) error {
	if group.Type != models.ActorGroup {
		return ignored("announce of an activity by a %s", group.Type)
	}
	if inner.IsIRIOnly() {
		fetched, err := f.fetch.Object(ctx, inner.ID)
		if err != nil {
			return err
		}
		inner = fetched
	}
	if noteTypes[inner.Type] {
		// A boost of a post (Mastodon-compatible Announce of the object).
		n, err := f.knownOrFetchedNote(ctx, inner.ID)
		if err != nil {
			return err
		}
		return f.svc.Social.ReceiveAnnounce(ctx, group, act.ID, n)
	}
	if inner.Object == nil {
		return ignored("relayed %s without object", inner.Type)
	}
	switch inner.Type {
	case "Create", "Update":
		n, err := f.knownOrFetchedNote(ctx, inner.Object.ID)
		if err != nil {
			return err
		}
		return f.svc.Social.ReceiveAnnounce(ctx, group, act.ID, n)
	case "Delete":
		err := f.svc.Communities.RemoveRelayedPost(ctx, group, inner.Object.ID)
		if errs.Status(err) == 404 {
			return ignored("relayed delete of a note we do not have")
		}
		return err
	case "Lock":
		return f.lockThread(ctx, group, inner.Object, true)
	}
	return ignored("relayed %s", inner.Type)
}
