package service

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
)

// Tokens lists a user's API tokens, newest first, revoked ones included (the
// secrets are never stored, only their hashes).
func (a *Accounts) Tokens(ctx context.Context, u *models.User) ([]models.APIToken, error) {
	out, err := a.svc.Store.ListAPITokens(ctx, u.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}
