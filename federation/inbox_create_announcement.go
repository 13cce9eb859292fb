package federation

import (
	"context"

	"github.com/commonsd/commonsd/service"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// receiveAnnouncement: a remote organization's coalition announcement (a
// Create{Note} with commonsType CoalitionAnnouncement, issue 12). The object
// passed authoredObject (its id on the sender's host, attributed to the
// sender); an announcement must also name its author: attributedTo is the
// sender alone. convert.InboundAnnouncement reads it strictly (bad money, a
// kind missing, fields of the wrong type: 400), then
// Economy.ReceiveAnnouncement refuses what must not be taken (a non-
// Organization author, an unknown kind, a partnership claimed with one of
// our communities that does not exist, an id of another author's) before
// anything is stored — the note included — and otherwise stores the note
// (without the communities' addressing: it is never a member's post) and
// lets each of our addressed communities Announce it (a partner) or hold it
// for its maintainers. A re-delivered Create changes nothing.
func (f *Federation) receiveAnnouncement(ctx context.Context, actor *models.Actor, act, o *vocab.Object, update bool) error {
	if len(o.AttributedTo) != 1 || o.AttributedTo[0] != actor.URI {
		return errs.Forbidden("an announcement must be attributed to its sender alone")
	}
	in, err := convert.InboundAnnouncement(o)
	if err != nil {
		return errs.BadRequest("announcement: %s", err.Error())
	}
	note := func(ctx context.Context) (*models.Note, error) {
		return f.svc.Social.ReceiveNote(ctx, actor, f.notAPost(ctx, convert.AnnouncementNote(actor, act, o, in)), update)
	}
	if update {
		// An edit reaches the note only; the announcement as the communities
		// decided on it stays (its author cannot turn a held one into another).
		if err := f.svc.Economy.CheckRemoteAnnouncement(ctx, actor, in); err != nil {
			return err
		}
		_, err := note(ctx)
		return err
	}
	_, err = f.svc.Economy.ReceiveAnnouncement(ctx, actor, in, note)
	return err
}

// notAPost keeps an announcement's note from becoming a community post by
// any other way in (a Group addressed only on the Create, mentioned in a
// tag, or a thread replied to): a community relays an announcement by its
// own decision alone (Economy.ReceiveAnnouncement), never under its posting
// rule.
func (f *Federation) notAPost(ctx context.Context, rn service.RemoteNote) service.RemoteNote {
	isGroup := func(uri string) bool {
		a, err := f.svc.Store.ActorByURI(ctx, uri)
		return err == nil && a.Type == models.ActorGroup
	}
	kept := rn.Addressed[:0:0]
	for _, u := range rn.Addressed {
		if !isGroup(u) {
			kept = append(kept, u)
		}
	}
	rn.Addressed = kept
	tags := rn.Tags[:0:0]
	for _, t := range rn.Tags {
		if t.Type != "Mention" || !isGroup(t.Href) {
			tags = append(tags, t)
		}
	}
	rn.Tags = tags
	rn.Note.AudienceURI, rn.Note.InReplyToURI = "", ""
	return rn
}
