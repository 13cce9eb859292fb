package economy

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// ProgressJob sends an appeal's debounced progress Update (the Jobs port).
type ProgressJob struct {
	AppealID string `json:"appeal_id"`
}

// Kind implements core.Job.
func (ProgressJob) Kind() string { return "appeal_progress_update" }

// quarter is how many quarters of the goal raised reaches (0–4).
func quarter(raised, goal int64) int {
	if goal <= 0 || raised <= 0 {
		return 0
	}
	q := raised * 4 / goal
	if q > 4 {
		q = 4
	}
	return int(q)
}

// progressChanged runs in the transaction that changed a local appeal's totals
// (after the change). Raised reaching the goal moves open → funded. Crossing a
// quarter of the goal (25/50/75/100 %) sends the Update at once; any other
// change schedules one, at most one a day (Mastodon notifies boosters of every
// edit). Without a job queue the progress is only served at the appeal's URL.
func (e *Economy) progressChanged(ctx context.Context, tx *store.Store, appealID string, now time.Time) error {
	a, err := tx.AppealByID(ctx, appealID)
	if err != nil || !a.Local {
		return err
	}
	v, err := e.view(ctx, tx, a)
	if err != nil {
		return err
	}
	if a.State == models.AppealOpen && v.Raised.Minor >= a.GoalMinor {
		if err := tx.Transition(ctx, &models.FundingAppeal{}, a.ID, []string{models.AppealOpen}, models.AppealFunded, nil); err != nil && !core.LostRace(err) {
			return err
		}
		a.State = models.AppealFunded
	}
	if q := quarter(v.Raised.Minor, a.GoalMinor); q > a.ProgressQuarter {
		ok, err := tx.ProgressSent(ctx, a.ID, q, now)
		if err != nil || !ok {
			return err
		}
		a.ProgressQuarter = q
		return e.publishAppeal(ctx, tx, core.TypeUpdate, v.Author, a, v.Beneficiaries, now)
	}
	if _, none := e.d.Jobs.(core.NoJobs); e.d.Jobs == nil || none {
		return nil
	}
	due := now
	if a.ProgressSentAt != nil {
		due = a.ProgressSentAt.Add(e.d.ProgressWindow)
	} else {
		due = a.CreatedAt.Add(e.d.ProgressWindow)
	}
	if due.Before(now) {
		due = now
	}
	if ok, err := tx.DueProgressUpdate(ctx, a.ID, due); err != nil || !ok {
		return err
	}
	return e.d.Jobs.ScheduleAt(ctx, tx, ProgressJob{AppealID: a.ID}, due)
}

// RunProgressJob sends the pending progress Update (registered on the queue by
// app); it is taken in a conditional update, so it goes out once. An appeal
// closed meanwhile sent its final totals with the close.
func (e *Economy) RunProgressJob(ctx context.Context, job ProgressJob) error {
	now := e.d.Now()
	return e.d.Store.Tx(ctx, func(tx *store.Store) error {
		ok, err := tx.TakeProgressUpdate(ctx, job.AppealID)
		if err != nil || !ok {
			return err
		}
		a, err := tx.AppealByID(ctx, job.AppealID)
		if err != nil {
			return err
		}
		if a.State != models.AppealOpen && a.State != models.AppealFunded {
			return nil
		}
		if _, err := tx.ProgressSent(ctx, a.ID, a.ProgressQuarter, now); err != nil {
			return err
		}
		author, err := tx.ActorByID(ctx, a.AuthorID)
		if err != nil {
			return err
		}
		return e.publishAppeal(ctx, tx, core.TypeUpdate, author, a, nil, now)
	})
}
