package communities

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
)

// Moderation a remote community sends us (FEP-1b12: the Group announces its
// moderators' Delete and Lock). The inbox has verified that group signed the
// activity; the rule of what it may change lives here.

// RemoveRelayedPost takes down a copy we hold of a post in a remote
// community, on that community's word. A community moderates only its own
// posts (those whose audience is the Group) and never a post of this
// instance: a local member's note stays on its home instance whatever a
// remote Group says (its author deletes it, or our moderators do).
func (c *Communities) RemoveRelayedPost(ctx context.Context, group *models.Actor, noteURI string) error {
	if group == nil || group.Local() || group.Type != models.ActorGroup {
		return errs.Forbidden("only a remote community removes posts this way")
	}
	n, err := c.d.Store.NoteByURI(ctx, noteURI)
	if err != nil {
		return errs.NotFound("no such post here")
	}
	if n.AudienceURI != group.URI {
		return errs.Forbidden("the post is not in this community")
	}
	if n.Local {
		return errs.Forbidden("a remote community cannot delete a post of this instance")
	}
	if n.DeletedAt != nil {
		return nil
	}
	if err := c.d.Store.MarkNoteDeleted(ctx, n.ID, c.d.Now()); err != nil {
		return errs.Internal(err)
	}
	return nil
}

// SetThreadLocked closes or reopens replies to a post on its community's
// word: only the community the post was made in may lock it.
func (c *Communities) SetThreadLocked(ctx context.Context, group *models.Actor, noteURI string, locked bool) error {
	n, err := c.d.Store.NoteByURI(ctx, noteURI)
	if err != nil {
		return errs.NotFound("no such post here")
	}
	if group == nil || n.AudienceURI != group.URI {
		return errs.Forbidden("only the post's community may lock it")
	}
	if n.Locked == locked {
		return nil
	}
	if err := c.d.Store.SetNoteLocked(ctx, n.ID, locked); err != nil {
		return errs.Internal(err)
	}
	return nil
}
