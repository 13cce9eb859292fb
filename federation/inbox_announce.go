package federation

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
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
		if inner.Type == "Update" {
			if n, err := f.svc.Store.NoteByURI(ctx, inner.Object.ID); err == nil {
				return f.refreshRelayedNote(ctx, n)
			}
		}
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

// refreshRelayedNote applies a community's relayed Update of a post we hold:
// the post is re-fetched from its origin (the relayed copy is never trusted)
// and stored as its author's update (Social.ReceiveNote checks it is the same
// author). Without it a follower of a community keeps the first version of an
// edited post. Our own notes are never refreshed from a relay.
func (f *Federation) refreshRelayedNote(ctx context.Context, n *models.Note) error {
	if n.Local || hostOf(n.URI) == f.cfg.PublicHost() {
		return ignored("relayed update of a note of this instance")
	}
	if n.DeletedAt != nil {
		return ignored("relayed update of a deleted note")
	}
	o, err := f.fetch.Object(ctx, n.URI)
	if err != nil {
		return err
	}
	if err := vocab.CheckLimits(o); err != nil {
		return err
	}
	if o.ID != n.URI || !noteTypes[o.Type] || len(o.AttributedTo) == 0 {
		return ignored("relayed update: the origin serves a %s", o.Type)
	}
	author, err := f.fetch.Actor(ctx, o.AttributedTo[0], false)
	if err != nil {
		return err
	}
	if hostOf(author.URI) != hostOf(o.ID) {
		return errs.BadRequest("updated object and its author live on different hosts")
	}
	_, err = f.svc.Social.ReceiveNote(ctx, author, convert.RemoteNote(author, o), true)
	return err
}
