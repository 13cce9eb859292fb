package notifications

import (
	"context"
	"time"
)

// PruneEvery is how often the prune job runs (a periodic job of the queue,
// registered by app; River runs it on one worker process, its leader).
const PruneEvery = 24 * time.Hour

// PruneJob deletes old read notifications and caps each account's list
// (RunPruneJob).
type PruneJob struct{}

// Kind implements core.Job.
func (PruneJob) Kind() string { return "notifications_prune" }

// RunPruneJob deletes the read notifications older than the retention
// (notifications.retention, 90 days by default) and keeps at most
// notifications.max_per_user per account, the newest: unread ones are never
// deleted for their age, only beyond the cap. The clock is the service's
// (Deps.Now), so a test moves it instead of waiting. Running it twice is
// harmless: the second run finds nothing to delete.
func (n *Notifications) RunPruneJob(ctx context.Context, _ PruneJob) error {
	retention := n.d.Retention
	if retention <= 0 {
		retention = 90 * 24 * time.Hour
	}
	deleted, err := n.d.Store.PruneNotifications(ctx, n.d.Now().Add(-retention), n.d.MaxPerUser)
	if err != nil {
		return err
	}
	if deleted > 0 {
		n.d.Log.Info("notifications pruned", "deleted", deleted)
	}
	return nil
}
