package federation

import (
	"context"
	"errors"

	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// Publish implements service.Publisher: it writes the activity document (served at
// its id and used as the body of every delivery) and its deliveries to each
// distinct inbox (queue.FanOut: batch jobs of up to 32 inboxes), in tx — the transaction of the change that caused the activity.
func (f *Federation) Publish(ctx context.Context, tx *store.Store, out *service.Outbound) error {
	if out.Context == "" {
		out.Context = service.DecisionOf(ctx)
	}
	doc, err := convert.New(f.svc.URLs(), f.svc.Now).Activity(out)
	if err != nil {
		return err
	}
	raw, err := vocab.Marshal(doc)
	if err != nil {
		return err
	}
	row := &models.Activity{ID: models.NewID(), URI: out.ID, Type: out.Type, ActorURI: out.Actor.URI,
		ObjectURI: doc.ObjectID(), Local: true, Public: out.Public, Raw: string(raw), State: models.ActivityProcessed}
	if err := tx.CreateActivity(ctx, row); err != nil {
		if errors.Is(err, store.ErrExists) && out.Type == service.TypeAccept {
			// A re-sent Accept reuses the follow's answer id; store it under a new one.
			row.URI = f.svc.URLs().Activity(row.ID)
			if err := tx.CreateActivity(ctx, row); err != nil {
				return err
			}
		} else {
			return err
		}
	}
	var inboxes []string
	if out.ToFollowers {
		list, err := tx.FollowerInboxes(ctx, out.Actor.ID)
		if err != nil {
			return err
		}
		inboxes = append(inboxes, list...)
	}
	for _, r := range out.Recipients {
		if r.Local() {
			continue
		}
		if r.SharedInbox != "" {
			inboxes = append(inboxes, r.SharedInbox)
		} else if r.InboxURI != "" {
			inboxes = append(inboxes, r.InboxURI)
		}
	}
	inboxes = f.filterInboxes(inboxes)
	if len(inboxes) == 0 || f.queue == nil {
		return nil
	}
	_, err = f.queue.FanOut(ctx, tx, row.ID, out.Actor.ID, inboxes)
	return err
}

// filterInboxes drops inboxes of blocked domains and of this instance.
func (f *Federation) filterInboxes(in []string) []string {
	out := in[:0]
	for _, u := range in {
		host := hostOf(u)
		if host == "" || host == f.cfg.PublicHost() || !f.policy.Allowed(host) {
			continue
		}
		out = append(out, u)
	}
	return out
}
