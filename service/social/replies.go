package social

import (
	"context"

	"github.com/commonsd/commonsd/models"
)

// replyAddressee is the author of the note replied to, whom a reply
// mentions (a Mention tag) and addresses (cc, or to for a direct reply):
// Mastodon and GoToSocial notify a reply only when it mentions or addresses
// the parent's author, and Mastodon's clients prefill "@author" for that.
//
// Decision: we add the parent's author automatically, whether or not the
// text names them, except
//   - when they are the replier (a self-reply mentions nobody),
//   - when the parent is unknown here or its author is a community (Group)
//     (the community is reached through the thread's audience, and mentioning
//     it would make the reply a new community post),
//   - for a direct reply that mentions other people and not the parent's
//     author: a direct message to others is not leaked to them.
//
// A direct reply that mentions nobody goes to the parent's author.
func (s *Social) replyAddressee(ctx context.Context, author *models.Actor, parent *models.Note, visibility string, mentions int) *models.Actor {
	if parent == nil || parent.AuthorID == "" || parent.AuthorID == author.ID {
		return nil
	}
	if visibility == models.VisibilityDirect && mentions > 0 {
		return nil
	}
	a, err := s.d.Store.ActorByID(ctx, parent.AuthorID)
	if err != nil || a.Suspended || a.Type == models.ActorGroup {
		return nil
	}
	return a
}
