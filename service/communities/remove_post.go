package communities

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/social"
)

var excerptCleaner = strings.NewReplacer("@", "", "#", "", "\n", " ")

// MaxRemovalReason is the longest reason for removing a post, in characters.
const MaxRemovalReason = 1000

// RemovePost removes a post of the community (maintainers), which always
// takes a reason: the Group federates the Delete to its followers (as
// Moderate did), then tells the author why in a direct note from the Group,
// which reaches an author on another server like any mention.
func (c *Communities) RemovePost(ctx context.Context, by, group *models.Actor, noteID, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return errs.Unprocessable("give a reason for removing the post: it is sent to its author")
	}
	if utf8.RuneCountInString(reason) > MaxRemovalReason {
		return errs.Unprocessable("the reason is longer than %d characters", MaxRemovalReason)
	}
	n, err := c.d.Store.NoteByID(ctx, noteID)
	if err != nil {
		return errs.NotFound("post not found in this community")
	}
	if err := c.moderate(ctx, by, group, noteID, "remove"); err != nil {
		return err
	}
	author, err := c.d.Store.ActorByID(ctx, n.AuthorID)
	if err != nil || author.ID == group.ID {
		return nil
	}
	handle := "@" + author.Username
	if !author.Local() {
		handle += "@" + author.Domain
	}
	// The excerpt quotes the post without its mentions and tags, so that the
	// message addresses nobody but the author.
	excerpt := []rune(strings.TrimSpace(excerptCleaner.Replace(content.Text(n.Content))))
	if len(excerpt) > 80 {
		excerpt = append(excerpt[:80], '…')
	}
	text := fmt.Sprintf("%s Your post “%s” in %s was removed by its moderators. Reason: %s", handle, string(excerpt), group.Name, reason)
	if _, err := c.d.Social.PostNote(ctx, group, social.NoteInput{Content: text, Visibility: models.VisibilityDirect}); err != nil {
		c.d.Log.Warn("removal reason not sent to the author", "note", n.ID, "err", err)
	}
	return nil
}
