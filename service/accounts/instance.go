package accounts

import (
	"context"
	"errors"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Instance owns instance-wide settings that admins change at run time. A value set
// by an admin wins over the configuration file, which only gives the default.
type Instance struct {
	d     Deps
	cache *infoCache
}

const settingRegistrationMode = "registration_mode"

// RegistrationMode is open, approval or closed.
func (i *Instance) RegistrationMode(ctx context.Context) string {
	v, err := i.d.Store.Setting(ctx, settingRegistrationMode)
	if err != nil {
		return i.d.Cfg.Instance.RegistrationMode
	}
	return v
}

// SetRegistrationMode changes the mode; only admins may.
func (i *Instance) SetRegistrationMode(ctx context.Context, by *models.User, mode string) error {
	if by == nil || by.Role != models.RoleAdmin {
		return errs.Forbidden("only admins may change the registration mode")
	}
	switch mode {
	case "open", "approval", "closed":
	default:
		return errs.Unprocessable("registration mode must be open, approval or closed")
	}
	if err := i.d.Store.PutSetting(ctx, settingRegistrationMode, mode); err != nil {
		return errs.Internal(err)
	}
	return nil
}

// Stats are the usage numbers NodeInfo publishes.
type Stats struct {
	Users, ActiveMonth, ActiveHalfyear, Communities, LocalPosts int64
}

// Stats counts users.
func (i *Instance) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	var err error
	if s.Users, err = i.d.Store.CountLocalActors(ctx, models.ActorPerson); err != nil {
		return s, errs.Internal(err)
	}
	now := i.d.Now()
	if s.ActiveMonth, err = i.d.Store.CountActiveUsers(ctx, now.Add(-30*24*time.Hour)); err != nil {
		return s, errs.Internal(err)
	}
	if s.ActiveHalfyear, err = i.d.Store.CountActiveUsers(ctx, now.Add(-180*24*time.Hour)); err != nil {
		return s, errs.Internal(err)
	}
	if s.Communities, err = i.d.Store.CountLocalActors(ctx, models.ActorGroup); err != nil {
		return s, errs.Internal(err)
	}
	if s.LocalPosts, err = i.d.Store.CountLocalNotes(ctx); err != nil {
		return s, errs.Internal(err)
	}
	return s, nil
}

// CreateInvite makes an invite link code (closed registration); admins and moderators.
func (i *Instance) CreateInvite(ctx context.Context, by *models.User, maxUses int, ttl time.Duration) (*models.Invite, error) {
	if by == nil || (by.Role != models.RoleAdmin && by.Role != models.RoleModerator) {
		return nil, errs.Forbidden("only admins and moderators may create invites")
	}
	if maxUses < 1 || maxUses > 1000 {
		return nil, errs.Unprocessable("max uses must be between 1 and 1000")
	}
	inv := &models.Invite{Code: randomToken(12), CreatedByID: by.ID, MaxUses: maxUses}
	if ttl > 0 {
		t := i.d.Now().Add(ttl)
		inv.ExpiresAt = &t
	}
	if err := i.d.Store.CreateInvite(ctx, inv); err != nil {
		return nil, errs.Internal(err)
	}
	return inv, nil
}

// Invites lists invites for admins.
func (i *Instance) Invites(ctx context.Context) ([]models.Invite, error) {
	out, err := i.d.Store.ListInvites(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// RevokeInvite deletes an invite link so it no longer works (admins and
// moderators).
func (i *Instance) RevokeInvite(ctx context.Context, by *models.User, code string) error {
	if by == nil || (by.Role != models.RoleAdmin && by.Role != models.RoleModerator) {
		return errs.Forbidden("only admins and moderators may revoke invites")
	}
	err := i.d.Store.DeleteInvite(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return errs.NotFound("no such invite link")
	}
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}
