package economy

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// DefaultHashtag is put on every appeal unless its author names another, so
// that Mastodon users find appeals in search.
const DefaultHashtag = "FundingAppeal"

// maxHashtag bounds an appeal's hashtag (content.IsTagName).
const maxHashtag = 60

// TierInput is a suggested amount as typed.
type TierInput struct {
	Name    string
	Amount  string
	Monthly bool
}

// AppealInput is what an appeal's author sets.
type AppealInput struct {
	// As is the handle of the local foundation or community that opens it.
	As            string
	Title         string
	Purpose       string // Markdown
	Goal          string // decimal in major units
	Currency      string // ISO 4217
	EndsAt        time.Time
	Beneficiaries []string // handles or actor URLs
	PaymentLinks  []models.Field
	Tiers         []TierInput
	Hashtag       string
}

// CloseJob closes an appeal at its deadline (the Jobs port).
type CloseJob struct {
	AppealID string `json:"appeal_id"`
}

// Kind implements core.Job.
func (CloseJob) Kind() string { return "close_appeal" }

// mayManage reports whether actor manages the ledger and appeals of owner: an
// admin of a local organization, a steward of a local community.
func (e *Economy) mayManage(ctx context.Context, actor, owner *models.Actor) bool {
	if actor == nil || owner == nil || !owner.Local() {
		return false
	}
	switch owner.Type {
	case models.ActorOrganization:
		return e.IsAdmin(ctx, owner, actor)
	case models.ActorGroup:
		return e.d.Communities.Role(ctx, owner, actor) == models.RoleCommunitySteward
	}
	return false
}

// MayManage is mayManage for the pages (which buttons to show).
func (e *Economy) MayManage(ctx context.Context, actor, owner *models.Actor) bool {
	return e.mayManage(ctx, actor, owner)
}

// owner resolves the local foundation or community a user acts for.
func (e *Economy) owner(ctx context.Context, by *models.User, handle string) (*models.Actor, *models.Actor, error) {
	if by == nil {
		return nil, nil, errs.Unauthorized("log in first")
	}
	me, err := e.d.Actors.ByID(ctx, by.ActorID)
	if err != nil {
		return nil, nil, err
	}
	owner, err := e.d.Actors.LocalByHandle(ctx, strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	if err != nil {
		return nil, nil, err
	}
	if !e.mayManage(ctx, me, owner) {
		return nil, nil, errs.Forbidden("only the admins of an organization or the stewards of a community act for it")
	}
	return me, owner, nil
}

// OpenAppeal opens an appeal of a local foundation (its admins) or community
// (its stewards), sends Create{Note} to its followers and beneficiaries and
// schedules its close at the deadline, in one transaction.
func (e *Economy) OpenAppeal(ctx context.Context, by *models.User, in AppealInput) (*models.FundingAppeal, error) {
	_, author, err := e.owner(ctx, by, in.As)
	if err != nil {
		return nil, err
	}
	if author.Type == models.ActorOrganization {
		org, err := e.OrganizationOf(ctx, author)
		if err != nil {
			return nil, err
		}
		if org.Kind != models.OrgFoundation {
			return nil, errs.Unprocessable("only foundations and communities open funding appeals")
		}
	}
	now := e.d.Now()
	a, bens, err := e.buildAppeal(ctx, in, now)
	if err != nil {
		return nil, err
	}
	if _, none := e.d.Jobs.(core.NoJobs); e.d.Jobs == nil || none {
		return nil, errs.New(503, "appeals need the job queue (they close at their deadline)")
	}
	a.AuthorID, a.Local = author.ID, true
	a.LedgerURI = e.d.URLs.Appeal(a.ID) + "/ledger"
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateAppeal(ctx, a); err != nil {
			return err
		}
		if err := e.d.Jobs.ScheduleAt(ctx, tx, CloseJob{AppealID: a.ID}, a.EndsAt); err != nil {
			return err
		}
		return e.publishAppeal(ctx, tx, core.TypeCreate, author, a, bens, now)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	e.d.Log.Info("appeal opened", "id", a.ID, "by", author.Username)
	return a, nil
}

func (e *Economy) buildAppeal(ctx context.Context, in AppealInput, now time.Time) (*models.FundingAppeal, []*models.Actor, error) {
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || len([]rune(in.Title)) > 200 {
		return nil, nil, errs.Unprocessable("title is required (at most 200 characters)")
	}
	if len([]rune(in.Purpose)) > 20000 {
		return nil, nil, errs.Unprocessable("purpose is longer than 20000 characters")
	}
	goal, err := models.ParseMoney(strings.TrimSpace(in.Goal), strings.TrimSpace(in.Currency))
	if err != nil {
		return nil, nil, errs.Unprocessable("goal: %s", err.Error())
	}
	if !in.EndsAt.After(now.Add(time.Hour)) || in.EndsAt.After(now.AddDate(1, 0, 0)) {
		return nil, nil, errs.Unprocessable("the deadline must be between one hour and one year from now")
	}
	if len(in.Beneficiaries) > 10 {
		return nil, nil, errs.Unprocessable("at most 10 beneficiaries")
	}
	var bens []*models.Actor
	var benURIs []string
	for _, h := range in.Beneficiaries {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		act, err := e.d.Social.ResolveActor(ctx, h)
		if err != nil {
			return nil, nil, errs.Unprocessable("beneficiary %s: %s", h, errs.Message(err))
		}
		bens = append(bens, act)
		benURIs = append(benURIs, act.URI)
	}
	links, err := normaliseLinks(in.PaymentLinks)
	if err != nil {
		return nil, nil, err
	}
	if len(in.Tiers) > 8 {
		return nil, nil, errs.Unprocessable("at most 8 tiers")
	}
	var tiers []models.AppealTier
	for _, t := range in.Tiers {
		t.Name = strings.TrimSpace(t.Name)
		if t.Name == "" && strings.TrimSpace(t.Amount) == "" {
			continue
		}
		m, err := models.ParseMoney(strings.TrimSpace(t.Amount), goal.Currency)
		if err != nil {
			return nil, nil, errs.Unprocessable("tier %q: %s", t.Name, err.Error())
		}
		if t.Name == "" || len([]rune(t.Name)) > 100 {
			return nil, nil, errs.Unprocessable("each tier needs a name of at most 100 characters")
		}
		tiers = append(tiers, models.AppealTier{Name: t.Name, Minor: m.Minor, Monthly: t.Monthly})
	}
	tag := strings.TrimPrefix(strings.TrimSpace(in.Hashtag), "#")
	if tag == "" {
		tag = DefaultHashtag
	}
	if !content.IsTagName(tag, maxHashtag) {
		return nil, nil, errs.Unprocessable("hashtag must be letters, digits or underscores")
	}
	lb, _ := json.Marshal(links)
	tb, _ := json.Marshal(tiers)
	id := models.NewID()
	return &models.FundingAppeal{
		ID: id, URI: e.d.URLs.Appeal(id), URL: e.d.URLs.Appeal(id), Title: in.Title, Purpose: in.Purpose,
		PurposeHTML: content.Markdown(in.Purpose), Currency: goal.Currency, GoalMinor: goal.Minor,
		EndsAt: in.EndsAt.UTC(), State: models.AppealOpen, Beneficiaries: benURIs, PaymentLinks: string(lb),
		Tiers: string(tb), Hashtag: tag, CreatedAt: now, UpdatedAt: now,
	}, bens, nil
}

// Tiers decodes an appeal's tiers.
func Tiers(a *models.FundingAppeal) []models.AppealTier {
	var out []models.AppealTier
	if a.Tiers != "" {
		_ = json.Unmarshal([]byte(a.Tiers), &out)
	}
	return out
}

// Appeal loads an appeal by id.
func (e *Economy) Appeal(ctx context.Context, id string) (*models.FundingAppeal, error) {
	a, err := e.d.Store.AppealByID(ctx, id)
	if err != nil {
		return nil, errs.NotFound("appeal not found")
	}
	return a, nil
}

// AppealView is an appeal with its author and totals, for the pages, the API
// and the wire.
type AppealView struct {
	Appeal        *models.FundingAppeal
	Author        *models.Actor
	Beneficiaries []*models.Actor
	Goal          models.Money
	Raised        models.Money
	Pledged       models.Money
	PledgeCount   int64
	Percent       int64 // of the goal raised, rounded down
}

// View adds an appeal's author and totals: summed from the ledger for a local
// appeal, as published by its author for a remote one.
func (e *Economy) View(ctx context.Context, a *models.FundingAppeal) (*AppealView, error) {
	return e.view(ctx, e.d.Store, a)
}

func (e *Economy) view(ctx context.Context, st Store, a *models.FundingAppeal) (*AppealView, error) {
	author, err := st.ActorByID(ctx, a.AuthorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	v := &AppealView{Appeal: a, Author: author, Goal: models.Money{Minor: a.GoalMinor, Currency: a.Currency},
		Raised: models.Money{Currency: a.Currency}, Pledged: models.Money{Currency: a.Currency}}
	if a.Local {
		t, err := e.totals(ctx, st, store.LedgerScope{AppealID: a.ID})
		if err != nil {
			return nil, errs.Internal(err)
		}
		for _, x := range t {
			if x.Currency == a.Currency {
				v.Raised.Minor, v.Pledged.Minor, v.PledgeCount = x.Raised, x.Pledged, x.PledgeCount
			}
		}
	} else {
		v.Raised.Minor, v.Pledged.Minor, v.PledgeCount = a.RemoteRaised, a.RemotePledged, a.RemotePledgeCount
	}
	v.Percent = models.Percent(v.Raised.Minor, a.GoalMinor)
	for _, uri := range a.Beneficiaries {
		if b, err := st.ActorByURI(ctx, uri); err == nil {
			v.Beneficiaries = append(v.Beneficiaries, b)
		}
	}
	return v, nil
}

// Object is the appeal's Note as it is published now.
func (e *Economy) Object(ctx context.Context, a *models.FundingAppeal) (core.AppealObject, error) {
	v, err := e.View(ctx, a)
	if err != nil {
		return core.AppealObject{}, err
	}
	return v.object(e.d.Now()), nil
}

func (v *AppealView) object(now time.Time) core.AppealObject {
	return core.AppealObject{Appeal: v.Appeal, Author: v.Author, Raised: v.Raised, Pledged: v.Pledged,
		PledgeCount: v.PledgeCount, Beneficiaries: v.Beneficiaries, Now: now}
}

// AppealFilter selects appeals of the directory.
type AppealFilter = store.AppealFilter

// Appeals lists the appeals known here (local and received), soonest deadline first.
func (e *Economy) Appeals(ctx context.Context, f AppealFilter, limit, offset int) ([]*AppealView, error) {
	if f.State != "" && !validState(f.State) {
		return nil, errs.Unprocessable("status must be open, funded, closed or cancelled")
	}
	if f.Currency != "" {
		if _, ok := models.LookupCurrency(f.Currency); !ok {
			return nil, errs.Unprocessable("unknown currency %q", f.Currency)
		}
	}
	if f.Beneficiary != "" && !strings.Contains(f.Beneficiary, "://") {
		act, err := e.d.Social.ResolveActor(ctx, f.Beneficiary)
		if err != nil {
			return nil, err
		}
		f.Beneficiary = act.URI
	}
	list, err := e.d.Store.ListAppeals(ctx, f, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]*AppealView, 0, len(list))
	for i := range list {
		v, err := e.View(ctx, &list[i])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func validState(s string) bool {
	switch s {
	case models.AppealOpen, models.AppealFunded, models.AppealClosed, models.AppealCancelled:
		return true
	}
	return false
}

// CancelAppeal cancels an open or funded appeal: an admin (steward) of its
// author may. Its followers get the Update.
func (e *Economy) CancelAppeal(ctx context.Context, by *models.User, id string) (*models.FundingAppeal, error) {
	a, err := e.Appeal(ctx, id)
	if err != nil {
		return nil, err
	}
	if by == nil {
		return nil, errs.Unauthorized("log in first")
	}
	author, err := e.d.Store.ActorByID(ctx, a.AuthorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	me, err := e.d.Actors.ByID(ctx, by.ActorID)
	if err != nil {
		return nil, err
	}
	if !e.mayManage(ctx, me, author) {
		return nil, errs.Forbidden("only the appeal's author may cancel it")
	}
	return a, e.finish(ctx, a, models.AppealCancelled)
}

// RunCloseJob closes an appeal at its deadline (registered on the queue by
// app). An appeal cancelled meanwhile stays cancelled.
func (e *Economy) RunCloseJob(ctx context.Context, job CloseJob) error {
	a, err := e.d.Store.AppealByID(ctx, job.AppealID)
	if err != nil {
		return nil // gone
	}
	if now := e.d.Now(); now.Before(a.EndsAt) {
		return e.d.Store.Tx(ctx, func(tx *store.Store) error {
			return e.d.Jobs.ScheduleAt(ctx, tx, job, a.EndsAt)
		})
	}
	if err := e.finish(ctx, a, models.AppealClosed); err != nil && !errors.Is(err, errs.ErrConflict) {
		return err
	}
	return nil
}

// finish moves an open or funded appeal to closed or cancelled (one
// conditional transition: of two racing finishes one wins) and sends the
// Update with its final totals.
func (e *Economy) finish(ctx context.Context, a *models.FundingAppeal, to string) error {
	now := e.d.Now()
	return e.d.Store.Tx(ctx, func(tx *store.Store) error {
		err := tx.Transition(ctx, &models.FundingAppeal{}, a.ID, []string{models.AppealOpen, models.AppealFunded}, to,
			map[string]any{"closed_at": now, "updated_at": now, "progress_due_at": nil})
		if core.LostRace(err) {
			return errs.Conflict("this appeal is already %s", a.State)
		} else if err != nil {
			return err
		}
		fresh, err := tx.AppealByID(ctx, a.ID)
		if err != nil {
			return err
		}
		*a = *fresh
		author, err := tx.ActorByID(ctx, a.AuthorID)
		if err != nil {
			return err
		}
		if _, err := tx.ProgressSent(ctx, a.ID, a.ProgressQuarter, now); err != nil {
			return err
		}
		return e.publishAppeal(ctx, tx, core.TypeUpdate, author, a, nil, now)
	})
}

// publishAppeal sends Create or Update of the appeal's Note to the author's
// followers and the beneficiaries (bens: nil reads them from the store).
func (e *Economy) publishAppeal(ctx context.Context, tx *store.Store, verb string, author *models.Actor, a *models.FundingAppeal, bens []*models.Actor, now time.Time) error {
	v, err := e.view(ctx, tx, a)
	if err != nil {
		return err
	}
	if bens != nil {
		v.Beneficiaries = bens
	}
	var recipients []*models.Actor
	cc := []string{author.FollowersURI}
	for _, b := range v.Beneficiaries {
		cc = append(cc, b.URI)
		if !b.Local() {
			recipients = append(recipients, b)
		}
	}
	id := e.d.URLs.Activity(models.NewID())
	err = e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: id, Type: verb, Actor: author,
		Object: v.object(now), To: []string{core.PublicCollection}, CC: cc, ToFollowers: true,
		Recipients: recipients, Public: true, Published: now})
	if err != nil || author.Type != models.ActorOrganization {
		return err
	}
	// Beneficiary communities here that recognise the foundation relay it.
	uris := make([]string, 0, len(v.Beneficiaries))
	for _, b := range v.Beneficiaries {
		uris = append(uris, b.URI)
	}
	published := func() (string, error) {
		act, err := tx.ActivityByURI(ctx, id)
		if err != nil {
			return "", err
		}
		return act.Raw, nil
	}
	return e.relayAppeal(ctx, tx, author, a.URI, uris, nil, published, verb == core.TypeUpdate)
}
