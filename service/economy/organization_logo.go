package economy

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
)

// SetLogo stores an organization's logo (issue 12): its avatar, through the
// same upload path and limits as people's and communities' avatars
// (Actors.SetImage: size, type sniffing, the actor's Update), so it is the
// actor's `icon` for other servers and the avatar on its profile. Only its
// admins may.
func (e *Economy) SetLogo(ctx context.Context, by *models.User, handle, contentType string, data []byte) (*models.Actor, error) {
	_, org, err := e.owner(ctx, by, handle)
	if err != nil {
		return nil, err
	}
	if org.Type != models.ActorOrganization {
		return nil, errs.NotFound("@%s is not an organization", org.Username)
	}
	if err := e.d.Actors.SetImage(ctx, org, accounts.ImageIcon, contentType, data); err != nil {
		return nil, err
	}
	return e.d.Actors.ByID(ctx, org.ID)
}
