package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Password recovery and changes of the sign-in credentials.
//
// A reset token is 32 random bytes shown once (in the e-mail, or printed by the
// CLI) and stored as its SHA-256; it expires (ResetTokenTTL by e-mail,
// ResetLinkTTL from the CLI) and is consumed by a conditional update, so it works
// once. Asking for a reset answers the same whether the address is known or not
// (no account enumeration); at most ResetsPerHour e-mails per account per hour
// are sent (more requests are silently dropped) and every request counts against
// the client address's login budget. A successful reset ends every session,
// revokes every API token and voids the account's other reset links; a password
// change ends every other session.
const (
	ResetTokenTTL = time.Hour
	ResetLinkTTL  = 24 * time.Hour
	ResetsPerHour = 3
)

// SetMailer plugs in the e-mail port (core.NoMailer until then).
func (a *Accounts) SetMailer(m core.Mailer) {
	if m == nil {
		m = core.NoMailer{}
	}
	a.mailer = m
}

// PasswordResetByEmail reports whether "forgot password" is offered: only when
// the instance can send e-mail.
func (a *Accounts) PasswordResetByEmail() bool { return a.mailer.Enabled() }

// ChangePassword sets a new password after checking the current one. Every
// session but keepSession (the hashed id of the session in use; "" for none)
// ends, and outstanding reset links stop working.
func (a *Accounts) ChangePassword(ctx context.Context, u *models.User, current, next, keepSession string) error {
	if !CheckPassword(u.PasswordHash, current) {
		return errs.Forbidden("current password is wrong")
	}
	if err := ValidatePassword(next, u.Username); err != nil {
		return errs.Unprocessable("new %s", errs.Message(err))
	}
	hash, err := HashPassword(next)
	if err != nil {
		return errs.Internal(err)
	}
	err = a.d.Store.Tx(ctx, func(tx *store.Store) error {
		// The hash read with u guards the update: of two changes made with the
		// same current password, the second finds the row changed.
		if err := tx.TransitionIf(ctx, &models.User{}, u.ID, store.Guard{"password_hash": u.PasswordHash},
			map[string]any{"password_hash": hash}); err != nil {
			return err
		}
		if err := tx.DeleteOtherSessions(ctx, u.ID, keepSession); err != nil {
			return err
		}
		return tx.InvalidatePasswordResets(ctx, u.ID, a.d.Now())
	})
	if errors.Is(err, store.ErrConflict) {
		return errs.Conflict("the password was changed meanwhile; try again")
	}
	if err != nil {
		return errs.Internal(err)
	}
	u.PasswordHash = hash
	a.d.Log.Info("password changed", "user", u.Username)
	return nil
}

// ChangeEmail sets a new e-mail address after checking the password.
func (a *Accounts) ChangeEmail(ctx context.Context, u *models.User, password, email string) error {
	if !CheckPassword(u.PasswordHash, password) {
		return errs.Forbidden("current password is wrong")
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if err := validateEmail(email); err != nil {
		return err
	}
	if email == u.Email {
		return nil
	}
	err := a.d.Store.UpdateUserFields(ctx, u.ID, map[string]any{"email": email})
	if errors.Is(err, store.ErrExists) {
		return errs.Conflict("email address is already registered")
	}
	if err != nil {
		return errs.Internal(err)
	}
	u.Email = email
	a.d.Log.Info("email changed", "user", u.Username)
	return nil
}

// RequestPasswordReset e-mails a reset link to the account with this address,
// if there is one. The answer is the same either way; only a client address
// over its budget (429) or an instance without e-mail (503) is told apart.
func (a *Accounts) RequestPasswordReset(ctx context.Context, email, clientIP string) error {
	if !a.mailer.Enabled() {
		return errs.New(503, "this instance cannot send e-mail; ask an administrator for a reset link")
	}
	if !a.allow("ip:" + clientIP) {
		return errs.TooMany("too many requests; wait a minute")
	}
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := a.d.Store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) || err == nil && (u.Suspended || !u.Approved) {
		return nil
	}
	if err != nil {
		return errs.Internal(err)
	}
	now := a.d.Now()
	n, err := a.d.Store.CountPasswordResetsSince(ctx, u.ID, now.Add(-time.Hour))
	if err != nil {
		return errs.Internal(err)
	}
	if n >= ResetsPerHour {
		a.d.Log.Info("password reset throttled", "user", u.Username)
		return nil
	}
	secret := randomToken(32)
	link := a.d.URLs.Base + "/password/reset/" + secret
	err = a.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreatePasswordReset(ctx, &models.PasswordReset{ID: tokenHash(secret), UserID: u.ID,
			ExpiresAt: now.Add(ResetTokenTTL), CreatedAt: now}); err != nil {
			return err
		}
		return a.mailer.Send(ctx, tx, core.Mail{To: u.Email, Subject: "Reset your password on " + a.d.Cfg.Instance.Name,
			Text: fmt.Sprintf("Someone (hopefully you) asked to reset the password of @%s.\n\n"+
				"Open this link within %s to choose a new password:\n\n%s\n\n"+
				"If it was not you, ignore this message: your password stays as it is.\n",
				u.Username, "1 hour", link)})
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// ResetLink makes a one-time reset link for an account (the operator's CLI, for
// instances without e-mail).
func (a *Accounts) ResetLink(ctx context.Context, username string) (string, error) {
	u, err := a.ByUsername(ctx, username)
	if err != nil {
		return "", err
	}
	secret := randomToken(32)
	now := a.d.Now()
	if err := a.d.Store.CreatePasswordReset(ctx, &models.PasswordReset{ID: tokenHash(secret), UserID: u.ID,
		ExpiresAt: now.Add(ResetLinkTTL), CreatedAt: now}); err != nil {
		return "", errs.Internal(err)
	}
	a.d.Log.Info("password reset link issued", "user", u.Username)
	return a.d.URLs.Base + "/password/reset/" + secret, nil
}

var errBadResetToken = errs.NotFound("this reset link is invalid, used or expired; ask for a new one")

// CheckResetToken says whether a reset link can still be used (the page shows
// the form only then).
func (a *Accounts) CheckResetToken(ctx context.Context, secret string) error {
	if secret == "" {
		return errBadResetToken
	}
	if _, err := a.d.Store.PasswordResetUsable(ctx, tokenHash(secret), a.d.Now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errBadResetToken
		}
		return errs.Internal(err)
	}
	return nil
}

// ResetPassword consumes a reset token and sets the new password. The token is
// used up only when the password is accepted, so a refused password can be
// corrected with the same link.
func (a *Accounts) ResetPassword(ctx context.Context, secret, password string) (*models.User, error) {
	if err := a.CheckResetToken(ctx, secret); err != nil {
		return nil, err
	}
	r, err := a.d.Store.PasswordResetUsable(ctx, tokenHash(secret), a.d.Now())
	if err != nil {
		return nil, errBadResetToken
	}
	u, err := a.d.Store.UserByID(ctx, r.UserID)
	if err != nil {
		return nil, errBadResetToken
	}
	if err := ValidatePassword(password, u.Username); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, errs.Internal(err)
	}
	now := a.d.Now()
	err = a.d.Store.Tx(ctx, func(tx *store.Store) error {
		if _, err := tx.UsePasswordReset(ctx, r.ID, now); err != nil {
			return err
		}
		if err := tx.UpdateUserFields(ctx, u.ID, map[string]any{"password_hash": hash}); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.RevokeUserAPITokens(ctx, u.ID, now); err != nil {
			return err
		}
		return tx.InvalidatePasswordResets(ctx, u.ID, now)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errBadResetToken
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	u.PasswordHash = hash
	a.d.Log.Info("password reset", "user", u.Username)
	return u, nil
}

// RejectSignup refuses a sign-up waiting for approval (approval mode): the
// account and its actor are removed, so the handle and address are free
// again. Admins and moderators; an approved account cannot be "rejected".
func (a *Accounts) RejectSignup(ctx context.Context, by *models.User, username string) error {
	if by == nil || (by.Role != models.RoleAdmin && by.Role != models.RoleModerator) {
		return errs.Forbidden("only admins and moderators may reject sign-ups")
	}
	u, err := a.ByUsername(ctx, username)
	if err != nil {
		return err
	}
	if u.Approved {
		return errs.Conflict("@%s is not waiting for approval", u.Username)
	}
	err = a.d.Store.RemovePendingUser(ctx, u)
	if errors.Is(err, store.ErrConflict) {
		return errs.Conflict("@%s was approved meanwhile", u.Username)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return errs.Internal(err)
	}
	a.d.Log.Info("sign-up rejected", "user", u.Username, "by", by.Username)
	return nil
}
