package federation

import (
	"context"
	"errors"
	"fmt"
	"html"
	"time"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// Publish implements service.Publisher: it writes the activity document (served at
// its id and used as the body of every delivery) and one delivery job per distinct
// inbox, in tx — the transaction of the change that caused the activity.
func (f *Federation) Publish(ctx context.Context, tx *store.Store, out *service.Outbound) error {
	doc, err := f.activityObject(ctx, tx, out)
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

// activityObject turns an Outbound into its ActivityStreams shape.
func (f *Federation) activityObject(ctx context.Context, tx *store.Store, out *service.Outbound) (*vocab.Object, error) {
	a := &vocab.Object{ID: out.ID, Type: out.Type, Actor: out.Actor.URI, To: out.To, CC: out.CC, Published: f.svc.Now()}
	if out.Audience != "" {
		a.Audience = []string{out.Audience}
	}
	switch out.Type {
	case service.TypeCreate, service.TypeUpdate:
		a.Object = noteObject(out.Note, out.Actor, out.Tags)
		a.Published = out.Note.Published
	case service.TypeDelete:
		if out.Note != nil {
			a.Object = &vocab.Object{ID: out.Note.URI, Type: "Tombstone"}
		} else {
			a.Object = vocab.Ref(out.ObjectURI)
		}
	case service.TypeFollow:
		a.Object = vocab.Ref(out.Target.URI)
	case service.TypeJoin, service.TypeLeave:
		a.Object = vocab.Ref(out.Group.URI)
	case service.TypeOffer:
		a.Object = contributionObject(out.Contribution, out.Group, out.Contribution.Contributors)
		a.Target = vocab.Ref(out.Group.URI)
	case service.TypeAccept, service.TypeReject:
		switch {
		case out.Follow != nil:
			a.Object = &vocab.Object{ID: out.Follow.URI, Type: service.TypeFollow, Actor: out.Follower.URI, Object: vocab.Ref(out.Target.URI)}
		case out.Membership != nil:
			a.Object = &vocab.Object{ID: out.Membership.URI, Type: service.TypeJoin, Actor: out.Follower.URI, Object: vocab.Ref(out.Group.URI)}
		case out.Contribution != nil:
			a.Object = &vocab.Object{ID: out.Contribution.OfferURI, Type: service.TypeOffer, Actor: out.Follower.URI,
				Object: vocab.Ref(out.Contribution.URI), Target: vocab.Ref(out.Group.URI)}
		default:
			return nil, fmt.Errorf("federation: %s of nothing", out.Type)
		}
		if out.Content != "" {
			a.Content = html.EscapeString(out.Content)
			a.Summary = a.Content
		}
	case service.TypeUndo:
		inner, err := f.activityObject(ctx, tx, out.Inner)
		if err != nil {
			return nil, err
		}
		inner.Published = time.Time{}
		a.Object = inner
	case service.TypeAnnounce:
		switch {
		case out.Relayed != "":
			inner, err := vocab.Parse([]byte(out.Relayed))
			if err != nil {
				return nil, err
			}
			// Re-serialise only what we parsed: the relayed activity keeps its id, actor
			// and object, and readers re-fetch from the origin anyway.
			a.Object = &vocab.Object{ID: inner.ID, Type: inner.Type, Actor: inner.Actor, Object: inner.Object,
				To: inner.To, CC: inner.CC, Audience: inner.Audience, Published: inner.Published}
		case out.Contribution != nil:
			if out.Contribution.URI == f.svc.URLs().Contribution(out.Contribution.ID) {
				a.Object = contributionObject(out.Contribution, out.Group, out.Contribution.Contributors)
			} else {
				a.Object = vocab.Ref(out.Contribution.URI) // fetchable at its origin
			}
		case out.Note != nil:
			a.Object = vocab.Ref(out.Note.URI)
		default:
			a.Object = vocab.Ref(out.ObjectURI)
		}
	case service.TypeAdd, service.TypeRemove:
		if out.Contribution != nil {
			if out.Contribution.URI == f.svc.URLs().Contribution(out.Contribution.ID) {
				a.Object = contributionObject(out.Contribution, out.Group, out.Contribution.Contributors)
			} else {
				a.Object = vocab.Ref(out.Contribution.URI)
			}
		} else {
			a.Object = vocab.Ref(out.ObjectURI)
		}
		a.Target = vocab.Ref(out.TargetURI)
	case service.TypeLike, service.TypeBlock, service.TypeLock:
		a.Object = vocab.Ref(out.ObjectURI)
	default:
		return nil, fmt.Errorf("federation: cannot publish %q", out.Type)
	}
	return a, nil
}
