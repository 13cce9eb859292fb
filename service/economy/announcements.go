package economy

import (
	"context"
	"errors"
	"html"
	"strings"
	"time"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/communities"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Coalition announcements (issue 12): an organization's admins publish a
// job, service, goods, bounty or event, addressed to communities (local or
// remote). It is a Note by the organization (stored as a local note too, so
// timelines, boosts and the Group's Announce work as for any post) at
// /announcements/{id}, sent as Create{Note} to the organization's followers
// and the communities (cc).
//
// Each local community addressed — by a local organization, or by a remote
// one whose Create arrived here — decides in the same transaction
// (relayOrHold): it Announces the note to its followers when the author is
// a recognised partner (an active partnership), otherwise the announcement
// is held for its maintainers (a notification), who approve (then the Group
// Announces it) or ignore it. One AnnouncementRelay row per pair, so a
// re-delivered announcement is relayed at most once. An announcement that
// claims a partnership (partnerOf) the community has not recognised is
// refused whole.
//
// The content is rendered here, once (AnnouncementHTML): our timelines show
// the same words Mastodon shows, and the converter adds the machine fields.

// Limits of an announcement's fields.
const (
	maxAnnouncementTitle = 200
	maxAnnouncementBody  = 20000
	maxForWhom           = 500
	maxAddressed         = 10
)

// AnnouncementInput is what an organization's admin publishes.
type AnnouncementInput struct {
	As          string // handle of the local organization
	Kind        string // job, service, goods, bounty, event
	Title       string
	Body        string // Markdown: what
	ForWhom     string
	Price       string // decimal in major units, optional (a bounty's payout: required)
	Currency    string
	PayNote     string // "", "unpaid" or "volunteer" (only without a price)
	At          time.Time
	Link        string
	Communities []string // handles or actor URLs
}

// AnnouncementPurpose is the FEP-0837 purpose of a kind: a job and a bounty
// request work (and pay for it); a service, goods or an event is offered.
func AnnouncementPurpose(kind string) string {
	if kind == models.AnnouncementBounty || kind == models.AnnouncementJob {
		return "request"
	}
	return "offer"
}

// ValidAnnouncementKind reports whether kind is one of the five.
func ValidAnnouncementKind(kind string) bool {
	for _, k := range models.AnnouncementKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// AnnouncementView is an announcement with its author and the addressed
// communities known here.
type AnnouncementView struct {
	*models.Announcement
	Author      *models.Actor
	Communities []*models.Actor
}

// PublishAnnouncement publishes an announcement of a local organization
// (the user must be one of its admins): the note, Create{Note} to the
// organization's followers and the communities, and each local community's
// relay or hold, in one transaction.
func (e *Economy) PublishAnnouncement(ctx context.Context, by *models.User, in AnnouncementInput) (*AnnouncementView, error) {
	if by == nil {
		return nil, errs.Unauthorized("log in first")
	}
	if strings.TrimSpace(in.As) == "" {
		return nil, errs.Unprocessable("name the organization you act for")
	}
	author, err := e.actingAs(ctx, by, in.As)
	if err != nil {
		return nil, err
	}
	if author.Type != models.ActorOrganization {
		return nil, errs.Forbidden("only organizations publish announcements")
	}
	now := e.d.Now()
	a, groups, err := e.buildAnnouncement(ctx, in, now)
	if err != nil {
		return nil, err
	}
	a.AuthorID, a.Local = author.ID, true
	a.URI = e.d.URLs.Announcement(a.ID)
	a.URL = a.URI
	v := &AnnouncementView{Announcement: a, Author: author, Communities: groups}
	n := e.announcementNote(v, models.NewID(), now)
	a.NoteID = n.ID
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateAnnouncement(ctx, a); err != nil {
			return err
		}
		if err := tx.CreateNote(ctx, n, nil); err != nil {
			return err
		}
		owners, err := tx.LocalFollowerIDs(ctx, author.ID)
		if err != nil {
			return err
		}
		if err := tx.AddToTimelines(ctx, n.ID, "", append(owners, author.ID)); err != nil {
			return err
		}
		var remote []*models.Actor
		for _, g := range groups {
			if !g.Local() {
				remote = append(remote, g)
			}
		}
		if err := e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: e.d.URLs.Activity(models.NewID()), Type: core.TypeCreate,
			Actor: author, Object: e.announcementObject(v, n.Content), To: n.To, CC: n.CC, ToFollowers: true,
			Recipients: remote, Public: true, Published: now}); err != nil {
			return err
		}
		for _, g := range groups {
			if g.Local() {
				if err := e.relayOrHold(ctx, tx, g, author, a, n); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, asDomain(err)
	}
	e.d.Log.Info("announcement published", "id", a.ID, "kind", a.Kind, "by", author.Username)
	return v, nil
}

func (e *Economy) buildAnnouncement(ctx context.Context, in AnnouncementInput, now time.Time) (*models.Announcement, []*models.Actor, error) {
	var f errs.Fields
	in.Kind = strings.TrimSpace(in.Kind)
	if !ValidAnnouncementKind(in.Kind) {
		f.Add("kind", errs.Unprocessable("kind must be job, service, goods, bounty or event"))
	}
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || len([]rune(in.Title)) > maxAnnouncementTitle {
		f.Add("title", errs.Unprocessable("title is required (at most 200 characters)"))
	}
	in.Body = strings.ReplaceAll(in.Body, "\r\n", "\n")
	if strings.TrimSpace(in.Body) == "" || len([]rune(in.Body)) > maxAnnouncementBody {
		f.Add("body", errs.Unprocessable("say what it is (at most 20000 characters)"))
	}
	in.ForWhom = strings.TrimSpace(in.ForWhom)
	if len([]rune(in.ForWhom)) > maxForWhom {
		f.Add("for_whom", errs.Unprocessable("for whom is at most 500 characters"))
	}
	var price models.Money
	hasPrice := strings.TrimSpace(in.Price) != ""
	in.PayNote = strings.TrimSpace(in.PayNote)
	switch {
	case hasPrice:
		m, err := models.ParseMoney(strings.TrimSpace(in.Price), strings.TrimSpace(in.Currency))
		if err != nil {
			f.Add("price", errs.Unprocessable("price: %s", err.Error()))
		}
		price = m
		if in.PayNote != "" {
			f.Add("pay_note", errs.Unprocessable("an amount is not unpaid nor volunteer work"))
		}
	case in.Kind == models.AnnouncementBounty:
		f.Add("price", errs.Unprocessable("a bounty needs its payout"))
	}
	switch in.PayNote {
	case "", models.PayUnpaid, models.PayVolunteer:
	default:
		f.Add("pay_note", errs.Unprocessable("pay note must be unpaid or volunteer"))
	}
	if !in.At.IsZero() && (!in.At.After(now) || in.At.After(now.AddDate(2, 0, 0))) {
		f.Add("at", errs.Unprocessable("the date must be in the next two years"))
	} else if in.At.IsZero() && in.Kind == models.AnnouncementEvent {
		f.Add("at", errs.Unprocessable("an event needs its time"))
	}
	in.Link = strings.TrimSpace(in.Link)
	if in.Link != "" && content.SafeURL(in.Link) == "" {
		f.Add("link", errs.Unprocessable("link must be an http(s) URL"))
	}
	var groups []*models.Actor
	var uris []string
	seen := map[string]bool{}
	for _, h := range in.Communities {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		g, err := e.d.Social.ResolveActor(ctx, h)
		if err != nil {
			f.Add("communities", errs.Unprocessable("community %s: %s", h, errs.Message(err)))
			continue
		}
		if g.Type != models.ActorGroup {
			f.Add("communities", errs.Unprocessable("%s is not a community", h))
			continue
		}
		if !seen[g.URI] {
			seen[g.URI] = true
			groups = append(groups, g)
			uris = append(uris, g.URI)
		}
	}
	if len(groups) > maxAddressed {
		f.Add("communities", errs.Unprocessable("at most 10 communities"))
	}
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	a := &models.Announcement{ID: models.NewID(), Kind: in.Kind, Purpose: AnnouncementPurpose(in.Kind), Title: in.Title,
		Body: in.Body, BodyHTML: content.Markdown(in.Body), ForWhom: in.ForWhom, PayNote: in.PayNote,
		Link: content.SafeURL(in.Link), Communities: uris, State: models.AnnouncementOpen, CreatedAt: now}
	if hasPrice {
		a.PriceMinor, a.Currency = price.Minor, price.Currency
	}
	if !in.At.IsZero() {
		at := in.At.UTC()
		a.At = &at
	}
	return a, groups, nil
}

// announcementNote is the note timelines show for an announcement: public,
// to the author's followers and the communities (cc), never a community
// post (no audience): a community relays it only by its own decision.
func (e *Economy) announcementNote(v *AnnouncementView, noteID string, now time.Time) *models.Note {
	a := v.Announcement
	cc := append([]string{v.Author.FollowersURI}, a.Communities...)
	return &models.Note{ID: noteID, URI: a.URI, URL: a.URL, Type: "Note", AuthorID: v.Author.ID, Name: a.Title,
		Content: AnnouncementHTML(v), Source: a.Body, Visibility: models.VisibilityPublic, Local: a.Local,
		To: []string{core.PublicCollection}, CC: cc, Published: now}
}

func (e *Economy) announcementObject(v *AnnouncementView, html string) core.AnnouncementObject {
	return core.AnnouncementObject{Announcement: v.Announcement, Author: v.Author, Communities: v.Communities, Content: html}
}

// AnnouncementObject is a local announcement's Note as published.
func (e *Economy) AnnouncementObject(v *AnnouncementView) core.AnnouncementObject {
	return e.announcementObject(v, AnnouncementHTML(v))
}

var kindNames = map[string]string{
	models.AnnouncementJob: "Job", models.AnnouncementService: "Service", models.AnnouncementGoods: "Goods",
	models.AnnouncementBounty: "Bounty", models.AnnouncementEvent: "Event",
}

// KindName is a kind as the pages say it ("Job").
func KindName(kind string) string {
	if n, ok := kindNames[kind]; ok {
		return n
	}
	return kind
}

// PriceLabel names an announcement's amount as its kind reads it.
func PriceLabel(kind string) string {
	switch kind {
	case models.AnnouncementJob:
		return "Pay"
	case models.AnnouncementBounty:
		return "Payout"
	}
	return "Price"
}

// AtLabel names an announcement's date as its kind reads it.
func AtLabel(kind string) string {
	if kind == models.AnnouncementEvent {
		return "When"
	}
	return "Deadline"
}

// PriceText is an announcement's price or pay in words ("€40", "Volunteer",
// "Unpaid"), "" when it says nothing.
func PriceText(a *models.Announcement) string {
	if m, ok := a.Price(); ok {
		return m.String()
	}
	switch a.PayNote {
	case models.PayUnpaid:
		return "Unpaid"
	case models.PayVolunteer:
		return "Volunteer"
	}
	return ""
}

// FormatAt is an announcement's date in words, in UTC.
func FormatAt(t time.Time) string { return t.UTC().Format("Mon 2 January 2006, 15:04 UTC") }

// AnnouncementHTML is the announcement in words, in HTML Mastodon keeps (p,
// br, a, strong and the body narrowed by content.MastodonStrict): the kind
// and title, what, for whom, price or pay, deadline or time, link, the
// communities addressed. It reads well on its own.
func AnnouncementHTML(v *AnnouncementView) string {
	a := v.Announcement
	esc := html.EscapeString
	link := func(href, text string) string {
		return `<a href="` + esc(href) + `" rel="nofollow noopener">` + esc(text) + `</a>`
	}
	var b strings.Builder
	b.WriteString("<p><strong>" + esc(KindName(a.Kind)) + ": " + esc(a.Title) + "</strong></p>")
	b.WriteString(content.MastodonStrict(a.BodyHTML))
	var facts []string
	if a.ForWhom != "" {
		facts = append(facts, "For: "+esc(a.ForWhom))
	}
	if p := PriceText(a); p != "" {
		facts = append(facts, esc(PriceLabel(a.Kind))+": "+esc(p))
	}
	if a.At != nil {
		facts = append(facts, esc(AtLabel(a.Kind))+": "+esc(FormatAt(*a.At)))
	}
	if a.Link != "" {
		facts = append(facts, "Link: "+link(a.Link, a.Link))
	}
	if len(facts) > 0 {
		b.WriteString("<p>" + strings.Join(facts, "<br>") + "</p>")
	}
	if len(v.Communities) > 0 {
		names := make([]string, len(v.Communities))
		for i, g := range v.Communities {
			name, href := g.Name, g.URL
			if name == "" {
				name = g.Username
			}
			if href == "" {
				href = g.URI
			}
			names[i] = link(href, name)
		}
		b.WriteString("<p>To " + strings.Join(names, ", ") + "</p>")
	}
	return b.String()
}

// relayOrHold is a local community's decision on an announcement addressed
// to it, in tx: Announce to its followers when the author is a recognised
// partner, otherwise hold it for the maintainers (notified). A pair decided
// already (a re-delivery) changes nothing.
func (e *Economy) relayOrHold(ctx context.Context, tx *store.Store, group, author *models.Actor, a *models.Announcement, n *models.Note) error {
	if _, err := tx.Relay(ctx, group.ID, a.ID); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	now := e.d.Now()
	r := &models.AnnouncementRelay{CommunityID: group.ID, AnnouncementID: a.ID, State: models.RelayHeld, CreatedAt: now}
	if p, err := tx.OpenPartnership(ctx, group.ID, author.ID); err == nil && p.State == models.PartnershipActive {
		r.State, r.DecidedAt = models.RelayAnnounced, &now
	}
	if err := tx.PutRelay(ctx, r); err != nil {
		return err
	}
	if r.State == models.RelayAnnounced {
		return e.d.Communities.RelayNote(ctx, tx, group, n)
	}
	return e.d.Communities.NotifyMaintainers(ctx, tx, group, models.Notification{Kind: communities.NotifyAnnouncementHeld,
		ActorID: author.ID, CommunityID: group.ID, NoteID: n.ID, DedupeKey: "announcement-held:" + group.ID + ":" + a.ID})
}

// Announcement loads an announcement with its author and communities.
func (e *Economy) Announcement(ctx context.Context, id string) (*AnnouncementView, error) {
	a, err := e.d.Store.AnnouncementByID(ctx, id)
	if err != nil {
		return nil, errs.NotFound("announcement not found")
	}
	return e.announcementView(ctx, a)
}

func (e *Economy) announcementView(ctx context.Context, a *models.Announcement) (*AnnouncementView, error) {
	author, err := e.d.Store.ActorByID(ctx, a.AuthorID)
	if err != nil {
		return nil, errs.NotFound("announcement not found")
	}
	v := &AnnouncementView{Announcement: a, Author: author}
	for _, u := range a.Communities {
		if g, err := e.d.Store.ActorByURI(ctx, u); err == nil {
			v.Communities = append(v.Communities, g)
		}
	}
	return v, nil
}

// AnnouncementsBy pages an organization's announcements, newest first
// (kind "" for all).
func (e *Economy) AnnouncementsBy(ctx context.Context, org *models.Actor, kind string, limit, offset int) ([]*AnnouncementView, error) {
	if kind != "" && !ValidAnnouncementKind(kind) {
		return nil, errs.BadRequest("unknown kind %q", kind)
	}
	list, err := e.d.Store.ListAnnouncements(ctx, store.AnnouncementFilter{AuthorID: org.ID, Kind: kind}, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]*AnnouncementView, 0, len(list))
	for i := range list {
		v := &AnnouncementView{Announcement: &list[i], Author: org}
		for _, u := range list[i].Communities {
			if g, err := e.d.Store.ActorByURI(ctx, u); err == nil {
				v.Communities = append(v.Communities, g)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// CommunityAnnouncement is an announcement addressed to a community with
// what the community did with it.
type CommunityAnnouncement struct {
	*AnnouncementView
	Relay models.AnnouncementRelay
}

// CommunityAnnouncements lists the announcements addressed to a local
// community in one state: announced ones for anyone; held and ignored ones
// for its maintainers only (403 otherwise).
func (e *Economy) CommunityAnnouncements(ctx context.Context, viewer, group *models.Actor, state string, limit, offset int) ([]CommunityAnnouncement, error) {
	switch state {
	case models.RelayAnnounced:
	case models.RelayHeld, models.RelayIgnored:
		if !e.MayModerateAnnouncements(ctx, viewer, group) {
			return nil, errs.Forbidden("only the maintainers of @%s see the announcements it holds", group.Username)
		}
	default:
		return nil, errs.BadRequest("state must be held, announced or ignored")
	}
	rows, err := e.d.Store.CommunityAnnouncements(ctx, group.ID, state, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]CommunityAnnouncement, 0, len(rows))
	for i := range rows {
		v, err := e.announcementView(ctx, &rows[i].Announcement)
		if err != nil {
			continue
		}
		out = append(out, CommunityAnnouncement{AnnouncementView: v, Relay: rows[i].AnnouncementRelay})
	}
	return out, nil
}

// HeldCount is the number of announcements a community holds (the tab's
// badge); 0 for anyone but its maintainers.
func (e *Economy) HeldCount(ctx context.Context, viewer, group *models.Actor) int64 {
	if !e.MayModerateAnnouncements(ctx, viewer, group) {
		return 0
	}
	n, _ := e.d.Store.CountHeld(ctx, group.ID)
	return n
}

// MayModerateAnnouncements: the maintainers and stewards of a local
// community approve or ignore the announcements it holds.
func (e *Economy) MayModerateAnnouncements(ctx context.Context, viewer, group *models.Actor) bool {
	if viewer == nil || group == nil || !group.Local() || group.Type != models.ActorGroup {
		return false
	}
	switch e.d.Communities.Role(ctx, group, viewer) {
	case models.RoleCommunityMaintainer, models.RoleCommunitySteward:
		return true
	}
	return false
}

// DecideAnnouncement is a maintainer's answer to a held announcement:
// approve (the Group Announces it to its followers) or ignore. 409 when it
// is not held (any more).
func (e *Economy) DecideAnnouncement(ctx context.Context, by *models.Actor, group *models.Actor, announcementID string, approve bool) error {
	if !e.MayModerateAnnouncements(ctx, by, group) {
		return errs.Forbidden("only the maintainers of @%s decide on its announcements", group.Username)
	}
	a, err := e.d.Store.AnnouncementByID(ctx, announcementID)
	if err != nil {
		return errs.NotFound("announcement not found")
	}
	to := models.RelayIgnored
	if approve {
		to = models.RelayAnnounced
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.DecideRelay(ctx, group.ID, a.ID, to, by.ID, e.d.Now()); err != nil {
			return err
		}
		if !approve {
			return nil
		}
		n, err := tx.NoteByID(ctx, a.NoteID)
		if err != nil || n.DeletedAt != nil {
			return errs.Conflict("the announcement's note was deleted")
		}
		return e.d.Communities.RelayNote(ctx, tx, group, n)
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errs.NotFound("this announcement was not addressed to @%s", group.Username)
	case errors.Is(err, store.ErrConflict):
		return errs.Conflict("this announcement was already decided")
	}
	return asDomain(err)
}

// announcementStore is the part of the store announcements and bounties
// use (embedded in Store).
type announcementStore interface {
	AnnouncementByID(ctx context.Context, id string) (*models.Announcement, error)
	AnnouncementByURI(ctx context.Context, uri string) (*models.Announcement, error)
	ListAnnouncements(ctx context.Context, f store.AnnouncementFilter, limit, offset int) ([]models.Announcement, error)
	CommunityAnnouncements(ctx context.Context, communityID, state string, limit, offset int) ([]store.RelayRow, error)
	CountHeld(ctx context.Context, communityID string) (int64, error)
	BountyClaims(ctx context.Context, bountyID string) ([]models.BountyClaim, error)
	BountyEntries(ctx context.Context, bountyID string) ([]models.EconomicEvent, error)
	BountyClaimOf(ctx context.Context, contributionID string) (*models.BountyClaim, error)
}

var _ announcementStore = (*store.Store)(nil)
