package economy

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/store"
)

// OrganizationInput is what a founder sets.
type OrganizationInput struct {
	Handle, Name, Summary, Kind, Website string
	// PaymentLinks are {name, URL} pairs (e.g. "Open Collective", "Liberapay").
	PaymentLinks []models.Field
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func (in *OrganizationInput) normalise() error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		in.Name = in.Handle
	}
	if len([]rune(in.Name)) > 100 {
		return errs.Unprocessable("name is longer than 100 characters")
	}
	if len([]rune(in.Summary)) > 2000 {
		return errs.Unprocessable("description is longer than 2000 characters")
	}
	if in.Kind != models.OrgCoalition && in.Kind != models.OrgFoundation {
		return errs.Unprocessable("kind must be coalition or foundation")
	}
	in.Website = strings.TrimSpace(in.Website)
	if in.Website != "" && !validURL(in.Website) {
		return errs.Unprocessable("website %q is not an http(s) URL", in.Website)
	}
	links, err := normaliseLinks(in.PaymentLinks)
	if err != nil {
		return err
	}
	in.PaymentLinks = links
	return nil
}

// normaliseLinks checks payment links: at most 6, each a name and an http(s) URL.
func normaliseLinks(in []models.Field) ([]models.Field, error) {
	var out []models.Field
	for _, l := range in {
		l.Name, l.Value = strings.TrimSpace(l.Name), strings.TrimSpace(l.Value)
		if l.Name == "" && l.Value == "" {
			continue
		}
		if l.Name == "" || len([]rune(l.Name)) > 100 {
			return nil, errs.Unprocessable("each payment link needs a name of at most 100 characters")
		}
		if !validURL(l.Value) || len(l.Value) > 255 {
			return nil, errs.Unprocessable("payment link %q is not an http(s) URL", l.Value)
		}
		out = append(out, models.Field{Name: l.Name, Value: l.Value})
	}
	if len(out) > 6 {
		return nil, errs.Unprocessable("at most 6 payment links")
	}
	return out, nil
}

// profileFields are the organization's Mastodon profile fields: its website,
// then its payment links (what Mastodon shows; FEP-0ea0 readers get the
// payment links as Links with rel "payment" too, see convert).
func profileFields(website string, links []models.Field) string {
	var f []models.Field
	if website != "" {
		f = append(f, models.Field{Name: "Website", Value: website})
	}
	f = append(f, links...)
	b, _ := json.Marshal(f)
	return string(b)
}

// CreateOrganization founds an Organization actor; the creating user becomes
// its first admin. It is an actor like any other (keys, WebFinger, profile,
// followers, outbox) in the one handle namespace.
func (e *Economy) CreateOrganization(ctx context.Context, by *models.User, in OrganizationInput) (*models.Actor, *models.Organization, error) {
	if by == nil {
		return nil, nil, errs.Unauthorized("log in to create an organization")
	}
	if err := accounts.ValidateHandle(in.Handle); err != nil {
		return nil, nil, err
	}
	if err := in.normalise(); err != nil {
		return nil, nil, err
	}
	act, err := e.d.Actors.NewLocal(models.ActorOrganization, in.Handle, in.Name)
	if err != nil {
		return nil, nil, err
	}
	act.Summary, act.SummarySource = content.Plain(in.Summary), in.Summary
	act.Fields = profileFields(in.Website, in.PaymentLinks)
	links, _ := json.Marshal(in.PaymentLinks)
	now := e.d.Now()
	org := &models.Organization{Kind: in.Kind, Website: in.Website, PaymentLinks: string(links), CreatedByID: by.ID,
		CreatedAt: now, UpdatedAt: now}
	admin := &models.OrganizationAdmin{ActorID: by.ActorID, AddedByID: by.ActorID, CreatedAt: now}
	if err := e.d.Store.CreateOrganization(ctx, act, org, admin); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, nil, errs.Conflict("handle %q is taken", in.Handle)
		}
		return nil, nil, errs.Internal(err)
	}
	e.d.Log.Info("organization created", "handle", in.Handle, "kind", in.Kind, "by", by.Username)
	return act, org, nil
}

// Organization loads a local organization by handle.
func (e *Economy) Organization(ctx context.Context, handle string) (*models.Actor, *models.Organization, error) {
	act, err := e.d.Actors.LocalByHandle(ctx, strings.TrimPrefix(handle, "@"))
	if err != nil {
		return nil, nil, err
	}
	org, err := e.OrganizationOf(ctx, act)
	if err != nil {
		return nil, nil, err
	}
	return act, org, nil
}

// OrganizationOf loads the settings of a local Organization actor.
func (e *Economy) OrganizationOf(ctx context.Context, act *models.Actor) (*models.Organization, error) {
	if act == nil || !act.Local() || act.Type != models.ActorOrganization {
		return nil, errs.NotFound("not a local organization")
	}
	org, err := e.d.Store.OrganizationByActorID(ctx, act.ID)
	if err != nil {
		return nil, errs.NotFound("organization not found")
	}
	return org, nil
}

// PaymentLinks decodes a JSON list of payment links.
func PaymentLinks(s string) []models.Field {
	var out []models.Field
	if s != "" {
		_ = json.Unmarshal([]byte(s), &out)
	}
	return out
}

// Organizations lists local organizations, newest first.
func (e *Economy) Organizations(ctx context.Context, limit, offset int) ([]models.Actor, error) {
	out, err := e.d.Store.ListOrganizations(ctx, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// IsAdmin reports whether actor administers the local organization org.
func (e *Economy) IsAdmin(ctx context.Context, org, actor *models.Actor) bool {
	if org == nil || actor == nil || org.Type != models.ActorOrganization || !org.Local() {
		return false
	}
	ok, err := e.d.Store.IsOrganizationAdmin(ctx, org.ID, actor.ID)
	return err == nil && ok
}

// Admins lists an organization's admins.
func (e *Economy) Admins(ctx context.Context, org *models.Actor) ([]*models.Actor, error) {
	ids, err := e.d.Store.OrganizationAdmins(ctx, org.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	m, err := e.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]*models.Actor, 0, len(ids))
	for _, id := range ids {
		if a := m[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// AddAdmin makes a local user (by handle) an admin of org; only an admin may.
func (e *Economy) AddAdmin(ctx context.Context, by, org *models.Actor, handle string) (*models.Actor, error) {
	if !e.IsAdmin(ctx, org, by) {
		return nil, errs.Forbidden("only the organization's admins may add admins")
	}
	who, err := e.d.Actors.LocalByHandle(ctx, strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	if err != nil {
		return nil, err
	}
	if who.Type != models.ActorPerson {
		return nil, errs.Unprocessable("@%s is not a person", who.Username)
	}
	err = e.d.Store.AddOrganizationAdmin(ctx, &models.OrganizationAdmin{OrganizationID: org.ID, ActorID: who.ID,
		AddedByID: by.ID, CreatedAt: e.d.Now()})
	if errors.Is(err, store.ErrExists) {
		return nil, errs.Conflict("@%s is an admin already", who.Username)
	} else if err != nil {
		return nil, errs.Internal(err)
	}
	return who, nil
}

// SetPaymentLinks changes an organization's website and payment links (and
// its profile fields with them); only an admin may.
func (e *Economy) SetPaymentLinks(ctx context.Context, by, orgActor *models.Actor, website string, links []models.Field) error {
	if !e.IsAdmin(ctx, orgActor, by) {
		return errs.Forbidden("only the organization's admins may change it")
	}
	website = strings.TrimSpace(website)
	if website != "" && !validURL(website) {
		return errs.Unprocessable("website %q is not an http(s) URL", website)
	}
	links, err := normaliseLinks(links)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(links)
	now := e.d.Now()
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateOrganizationLinks(ctx, orgActor.ID, website, string(b), now); err != nil {
			return err
		}
		orgActor.Fields = profileFields(website, links)
		return tx.UpdateActor(ctx, orgActor)
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// actingAs returns the local actor a user acts as: themselves (as == "") or
// an organization they administer (its handle).
func (e *Economy) actingAs(ctx context.Context, by *models.User, as string) (*models.Actor, error) {
	if by == nil {
		return nil, errs.Unauthorized("log in first")
	}
	me, err := e.d.Actors.ByID(ctx, by.ActorID)
	if err != nil {
		return nil, err
	}
	as = strings.TrimPrefix(strings.TrimSpace(as), "@")
	if as == "" || strings.EqualFold(as, me.Username) {
		return me, nil
	}
	org, err := e.d.Actors.LocalByHandle(ctx, as)
	if err != nil {
		return nil, err
	}
	if !e.IsAdmin(ctx, org, me) {
		return nil, errs.Forbidden("you do not act for @%s", org.Username)
	}
	return org, nil
}
