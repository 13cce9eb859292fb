package social

import (
	"context"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
)

// ReportView is a report as moderators see it: the reporter and the reported
// actor loaded, the reported objects decoded.
type ReportView struct {
	Report   models.Report
	Reporter *models.Actor // nil if no longer known
	Target   *models.Actor // nil if the report names no known actor
	Objects  []string
}

// Reports pages the received reports (Flags), newest first. Only admins and
// moderators may read them.
func (s *Social) Reports(ctx context.Context, by *models.User, limit, offset int) ([]ReportView, error) {
	if by == nil || (by.Role != models.RoleAdmin && by.Role != models.RoleModerator) {
		return nil, errs.Forbidden("only admins and moderators may read reports")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if offset < 0 {
		offset = 0
	}
	list, err := s.d.Store.ListReports(ctx, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	var ids []string
	for _, r := range list {
		ids = append(ids, r.ReporterID)
		if r.TargetActorID != "" {
			ids = append(ids, r.TargetActorID)
		}
	}
	actors, err := s.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]ReportView, 0, len(list))
	for _, r := range list {
		v := ReportView{Report: r, Reporter: actors[r.ReporterID], Objects: r.ObjectURIs}
		if r.TargetActorID != "" {
			v.Target = actors[r.TargetActorID]
		}
		out = append(out, v)
	}
	return out, nil
}
