package accounts

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
	"golang.org/x/time/rate"
)

// Accounts owns local users: registration rules, authentication, sessions, API
// tokens, roles and suspension.
type Accounts struct {
	d        Deps
	actors   *Actors
	instance *Instance
	limitMu  sync.Mutex
	limiters map[string]*limiterEntry
	// rateNow is the rate limiters' clock (time.Now; a test freezes it so
	// that a slow machine refilling the buckets cannot change its outcome).
	rateNow func() time.Time
	// dummyHash makes a login for an unknown user cost as much as a real one.
	dummyHash string
	mailer    core.Mailer
}

type limiterEntry struct {
	l    *rate.Limiter
	seen time.Time
}

func newAccounts(d Deps, actors *Actors, instance *Instance) *Accounts {
	h, _ := HashPassword("dummy password for timing")
	return &Accounts{d: d, actors: actors, instance: instance, limiters: map[string]*limiterEntry{}, dummyHash: h,
		mailer: core.NoMailer{}}
}

// Registration is a sign-up request.
type Registration struct {
	Username, Email, Password string
	Reason                    string // for approval mode
	InviteCode                string // for closed mode
	Role                      string // CLI only; ignored from the web
}

// ValidatePassword states the password rule: 10 to 128 characters, not only one
// repeated character, not the username.
func ValidatePassword(pw, username string) error {
	n := len([]rune(pw))
	switch {
	case n == 0:
		return errs.Unprocessable("password is required")
	case n < 10:
		return errs.Unprocessable("password must be at least 10 characters")
	case n > 128:
		return errs.Unprocessable("password must be at most 128 characters")
	case strings.EqualFold(pw, username):
		return errs.Unprocessable("password must not be the username")
	}
	first := []rune(pw)[0]
	same := true
	for _, r := range pw {
		if r != first {
			same = false
		}
	}
	if same {
		return errs.Unprocessable("password is too weak")
	}
	return nil
}

func validateEmail(e string) error {
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") && !strings.HasSuffix(e, "@localhost") {
		return errs.Unprocessable("email address is not valid")
	}
	for _, r := range e {
		if unicode.IsSpace(r) {
			return errs.Unprocessable("email address is not valid")
		}
	}
	return nil
}

// SignUp registers through the web or API, following the registration mode. The
// first account on an empty instance becomes an approved admin whatever the mode, so
// a fresh instance can be set up from the browser.
func (a *Accounts) SignUp(ctx context.Context, r Registration) (*models.User, error) {
	n, err := a.d.Store.CountUsers(ctx)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if n == 0 {
		r.Role = models.RoleAdmin
		return a.create(ctx, r, true)
	}
	r.Role = models.RoleMember
	switch a.instance.RegistrationMode(ctx) {
	case "open":
		return a.create(ctx, r, true)
	case "approval": // create asks for the reason, with the other fields
		return a.create(ctx, r, false)
	default: // closed: invite links only
		if r.InviteCode == "" {
			return nil, errs.Forbidden("registration is closed; you need an invite link")
		}
		return a.create(ctx, r, true)
	}
}

// Create makes an approved account directly (CLI, admins).
func (a *Accounts) Create(ctx context.Context, r Registration) (*models.User, error) {
	if r.Role == "" {
		r.Role = models.RoleMember
	}
	r.InviteCode = ""
	return a.create(ctx, r, true)
}

func (a *Accounts) create(ctx context.Context, r Registration, approved bool) (*models.User, error) {
	r.Username = strings.TrimSpace(r.Username)
	r.Email = strings.ToLower(strings.TrimSpace(r.Email))
	var bad errs.Fields
	bad.Add("username", ValidateUsername(r.Username))
	bad.Add("email", validateEmail(r.Email))
	bad.Add("password", ValidatePassword(r.Password, r.Username))
	if !approved && strings.TrimSpace(r.Reason) == "" {
		bad.Add("reason", errs.Unprocessable("tell the moderators why you want to join"))
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	if !validRole(r.Role) {
		return nil, errs.Unprocessable("role must be admin, moderator or member")
	}
	hash, err := HashPassword(r.Password)
	if err != nil {
		return nil, errs.Internal(err)
	}
	act, err := a.actors.NewLocal(models.ActorPerson, r.Username, r.Username)
	if err != nil {
		return nil, err
	}
	u := &models.User{ID: models.NewID(), Username: r.Username, Email: r.Email, PasswordHash: hash,
		Role: r.Role, Approved: approved, SignupReason: r.Reason, InviteCode: r.InviteCode}
	err = a.d.Store.Tx(ctx, func(tx *store.Store) error {
		if r.InviteCode != "" {
			if err := tx.UseInvite(ctx, r.InviteCode, a.d.Now()); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return errs.Forbidden("invite link is invalid, used up or expired")
				}
				return err
			}
		}
		return tx.CreateUserWithActor(ctx, u, act)
	})
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return nil, e
		}
		if errors.Is(err, store.ErrExists) {
			if _, err2 := a.d.Store.UserByEmail(ctx, r.Email); err2 == nil {
				return nil, errs.Conflict("email address is already registered")
			}
			return nil, errs.Conflict("the username %q is taken", r.Username)
		}
		return nil, errs.Internal(err)
	}
	a.d.Log.Info("account created", "user", u.Username, "role", u.Role, "approved", u.Approved)
	return u, nil
}

func validRole(r string) bool {
	return r == models.RoleAdmin || r == models.RoleModerator || r == models.RoleMember
}

// limiter returns the login rate limiter for one key, creating it full.
func (a *Accounts) limiter(key string) *rate.Limiter {
	a.limitMu.Lock()
	defer a.limitMu.Unlock()
	now := time.Now()
	if a.rateNow != nil {
		now = a.rateNow()
	}
	if len(a.limiters) > 10000 { // forget idle keys
		for k, e := range a.limiters {
			if now.Sub(e.seen) > 10*time.Minute {
				delete(a.limiters, k)
			}
		}
	}
	e, ok := a.limiters[key]
	if !ok {
		per := a.d.Cfg.Security.LoginAttemptsPerMinute
		e = &limiterEntry{l: rate.NewLimiter(rate.Every(time.Minute/time.Duration(per)), per)}
		a.limiters[key] = e
	}
	e.seen = now
	return e.l
}

// AllowRequest takes one attempt from key's bucket of the login rate (the
// same per-minute budget as login attempts), for other requests that must be
// limited per client address, such as join requests by handle.
func (a *Accounts) AllowRequest(key string) bool { return a.allow(key) }

// allow takes one token from key's bucket at the limiters' clock.
func (a *Accounts) allow(key string) bool { return a.limiter(key).AllowN(a.rateClock(), 1) }

func (a *Accounts) rateClock() time.Time {
	a.limitMu.Lock()
	f := a.rateNow
	a.limitMu.Unlock()
	if f == nil {
		return time.Now()
	}
	return f()
}

// SetRateClock replaces the login and request rate limiters' clock (tests:
// a frozen clock makes the buckets' refill independent of the machine's speed).
func (a *Accounts) SetRateClock(now func() time.Time) {
	a.limitMu.Lock()
	a.rateNow = now
	a.limitMu.Unlock()
}

// Authenticate checks a username (or email) and password.
//
// Attempts are limited so that a stranger cannot lock the owner out:
//   - per client address, every attempt counts (security.login_attempts_per_minute);
//   - per account AND client address, failed attempts count: once an address has
//     used up its failures for an account it gets 429 for that account, even with
//     the right password, until the bucket refills.
//
// There is deliberately no limit per account alone: it would let anyone lock any
// owner out by failing on purpose. A guesser spread over many addresses is
// bounded by the per-address limit on each of them.
func (a *Accounts) Authenticate(ctx context.Context, login, password, clientIP string) (*models.User, error) {
	login = strings.TrimSpace(login)
	tooMany := errs.TooMany("too many login attempts; wait a minute")
	if !a.allow("ip:" + clientIP) {
		return nil, tooMany
	}
	var (
		u   *models.User
		err error
	)
	if strings.Contains(login, "@") {
		u, err = a.d.Store.UserByEmail(ctx, login)
	} else {
		u, err = a.d.Store.UserByUsername(ctx, login)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, errs.Internal(err)
	}
	// The account's key is its id, so that its username and email share one
	// bucket; an unknown login gets a bucket of its own.
	account := "login:" + strings.ToLower(login)
	if u != nil {
		account = "user:" + u.ID
	}
	pair := a.limiter(account + "\x00ip:" + clientIP)
	if pair.TokensAt(a.rateClock()) < 1 {
		return nil, tooMany
	}
	failed := func() error {
		pair.AllowN(a.rateClock(), 1) // one failure spent on this account from this address
		return errs.Unauthorized("invalid username or password")
	}
	if u == nil {
		CheckPassword(a.dummyHash, password)
		return nil, failed()
	}
	if !CheckPassword(u.PasswordHash, password) {
		return nil, failed()
	}
	if err := usable(u); err != nil {
		return nil, err
	}
	now := a.d.Now()
	u.LastLoginAt = &now
	_ = a.d.Store.UpdateUserFields(ctx, u.ID, map[string]any{"last_login_at": now})
	return u, nil
}

func usable(u *models.User) error {
	if u.Suspended {
		return errs.Forbidden("this account is suspended")
	}
	if !u.Approved {
		return errs.Forbidden("this account is waiting for approval by a moderator")
	}
	return nil
}

// NewSession starts a browser session; the returned secret goes in the cookie.
func (a *Accounts) NewSession(ctx context.Context, u *models.User, userAgent string) (secret string, s *models.Session, err error) {
	secret = randomToken(32)
	if len(userAgent) > 500 {
		userAgent = userAgent[:500]
	}
	s = &models.Session{ID: tokenHash(secret), UserID: u.ID, CSRFToken: randomToken(24), UserAgent: userAgent,
		ExpiresAt: a.d.Now().Add(a.d.Cfg.Security.SessionLifetime)}
	if err := a.d.Store.CreateSession(ctx, s); err != nil {
		return "", nil, errs.Internal(err)
	}
	return secret, s, nil
}

// SessionUser resolves a session cookie to its user.
func (a *Accounts) SessionUser(ctx context.Context, secret string) (*models.User, *models.Session, error) {
	s, err := a.d.Store.SessionByID(ctx, tokenHash(secret), a.d.Now())
	if err != nil {
		return nil, nil, errs.Unauthorized("not logged in")
	}
	u, err := a.d.Store.UserByID(ctx, s.UserID)
	if err != nil {
		return nil, nil, errs.Unauthorized("not logged in")
	}
	if err := usable(u); err != nil {
		return nil, nil, err
	}
	return u, s, nil
}

// EndSession logs out.
func (a *Accounts) EndSession(ctx context.Context, secret string) error {
	return a.d.Store.DeleteSession(ctx, tokenHash(secret))
}

// NewToken issues an API bearer token; the secret is shown once and stored hashed.
func (a *Accounts) NewToken(ctx context.Context, u *models.User, name string) (string, *models.APIToken, error) {
	if err := usable(u); err != nil {
		return "", nil, err
	}
	secret := "cmd_" + randomToken(32)
	t := &models.APIToken{ID: models.NewID(), UserID: u.ID, Name: name, TokenHash: tokenHash(secret)}
	if err := a.d.Store.CreateAPIToken(ctx, t); err != nil {
		return "", nil, errs.Internal(err)
	}
	return secret, t, nil
}

// TokenUser resolves a bearer token.
func (a *Accounts) TokenUser(ctx context.Context, secret string) (*models.User, error) {
	if secret == "" {
		return nil, errs.Unauthorized("missing bearer token")
	}
	t, err := a.d.Store.APITokenByHash(ctx, tokenHash(secret))
	if err != nil {
		return nil, errs.Unauthorized("invalid or revoked token")
	}
	u, err := a.d.Store.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, errs.Unauthorized("invalid or revoked token")
	}
	if err := usable(u); err != nil {
		return nil, err
	}
	if t.LastUsedAt == nil || a.d.Now().Sub(*t.LastUsedAt) > time.Minute {
		_ = a.d.Store.TouchAPIToken(ctx, t.ID, a.d.Now())
	}
	return u, nil
}

// Tokens lists the user's API tokens (secrets are never stored, so never shown).
func (a *Accounts) Tokens(ctx context.Context, u *models.User) ([]models.APIToken, error) {
	out, err := a.d.Store.ListAPITokens(ctx, u.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// RevokeToken revokes one of the user's tokens.
func (a *Accounts) RevokeToken(ctx context.Context, u *models.User, id string) error {
	if err := a.d.Store.RevokeAPIToken(ctx, u.ID, id, a.d.Now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errs.NotFound("token not found")
		}
		return errs.Internal(err)
	}
	return nil
}

// ByUsername loads a user.
func (a *Accounts) ByUsername(ctx context.Context, username string) (*models.User, error) {
	u, err := a.d.Store.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.NotFound("no user %q", username)
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return u, nil
}

// List pages users for admins.
func (a *Accounts) List(ctx context.Context, limit, offset int) ([]models.User, error) {
	out, err := a.d.Store.ListUsers(ctx, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// ModerationChange is an admin action on an account.
type ModerationChange struct {
	Role      string // "" keeps it
	Suspended *bool
	Approved  *bool
}

// Moderate applies an admin's change. by == nil means the CLI (the operator).
// Only admins change roles; moderators may approve and suspend members.
func (a *Accounts) Moderate(ctx context.Context, by *models.User, username string, ch ModerationChange) (*models.User, error) {
	u, err := a.ByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	if by != nil {
		if by.Role != models.RoleAdmin && (ch.Role != "" || by.Role != models.RoleModerator || u.Role != models.RoleMember) {
			return nil, errs.Forbidden("not allowed")
		}
		if by.ID == u.ID && (ch.Role != "" && ch.Role != u.Role || ch.Suspended != nil && *ch.Suspended) {
			return nil, errs.Forbidden("you cannot demote or suspend yourself")
		}
	}
	fields := map[string]any{}
	if ch.Role != "" {
		if !validRole(ch.Role) {
			return nil, errs.Unprocessable("role must be admin, moderator or member")
		}
		fields["role"] = ch.Role
	}
	if ch.Suspended != nil {
		fields["suspended"] = *ch.Suspended
	}
	if ch.Approved != nil {
		fields["approved"] = *ch.Approved
	}
	if len(fields) == 0 {
		return u, nil
	}
	err = a.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateUserFields(ctx, u.ID, fields); err != nil {
			return err
		}
		if ch.Suspended != nil {
			act, err := tx.ActorByID(ctx, u.ActorID)
			if err != nil {
				return err
			}
			act.Suspended = *ch.Suspended
			if err := tx.UpdateActor(ctx, act); err != nil {
				return err
			}
			if *ch.Suspended {
				return tx.DeleteUserSessions(ctx, u.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	a.d.Log.Info("account moderated", "user", u.Username, "changes", fields)
	return a.ByUsername(ctx, username)
}

// ActorOf returns the Person actor of a user.
func (a *Accounts) ActorOf(ctx context.Context, u *models.User) (*models.Actor, error) {
	return a.actors.ByID(ctx, u.ActorID)
}
