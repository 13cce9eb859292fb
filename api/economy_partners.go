package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Partnerships (issue 12): an organization asks a community for recognition
// with a reciprocity pledge; the community's stewards decide (or a
// recognise_partner proposal); either side ends it.

type partnershipJSON struct {
	ID           string       `json:"id"`
	State        string       `json:"state"`
	Community    actorRefJSON `json:"community"`
	Organization actorRefJSON `json:"organization"`
	Pledge       string       `json:"pledge"`
	Terms        string       `json:"terms"`
	ProposalID   string       `json:"proposal_id,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	DecidedAt    *time.Time   `json:"decided_at,omitempty"`
	EndedAt      *time.Time   `json:"ended_at,omitempty"`
	Measurable   *termsJSON   `json:"measurable,omitempty"`
	Months       []monthJSON  `json:"months,omitempty"`
	Remote       bool         `json:"remote,omitempty"`
}

type termsJSON struct {
	Monthly        *moneyJSON `json:"monthly,omitempty"`
	HoursPerMonth  int        `json:"hours_per_month,omitempty"`
	RevenuePercent string     `json:"revenue_percent,omitempty"`
}

type monthJSON struct {
	Month     string    `json:"month"`
	Pledged   moneyJSON `json:"pledged"`
	Delivered moneyJSON `json:"delivered"`
	Met       bool      `json:"met"`
}

func (a *API) partnershipView(p *service.Partnership) partnershipJSON {
	out := partnershipJSON{ID: p.ID, State: p.State, Community: a.actorRef(p.Community), Organization: a.actorRef(p.Organization),
		Pledge: p.Pledge, Terms: p.Terms, ProposalID: p.ProposalID, CreatedAt: p.CreatedAt.UTC(), DecidedAt: utcPtr(p.DecidedAt), EndedAt: utcPtr(p.EndedAt),
		Remote: p.OfferURI != nil || !p.Community.Local()}
	if t := service.PartnershipTerms(&p.Partnership); !t.Empty() {
		out.Measurable = &termsJSON{HoursPerMonth: t.Hours}
		if t.Monthly.Minor > 0 {
			m := moneyView(t.Monthly)
			out.Measurable.Monthly = &m
		}
		if t.PercentBP > 0 {
			out.Measurable.RevenuePercent = t.PercentDecimal()
		}
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type partnershipRequest struct {
	As         string        `json:"as"`
	Community  string        `json:"community"`
	Pledge     string        `json:"pledge"`
	Terms      string        `json:"terms"`
	Measurable *termsRequest `json:"measurable"`
}

type termsRequest struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Hours    string `json:"hours"`
	Percent  string `json:"percent"`
}

// requestPartnership is POST /api/v1/partnerships.
func (a *API) requestPartnership(c echo.Context) error {
	var req partnershipRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p, err := a.svc.Economy.RequestPartnership(c.Request().Context(), caller(c),
		service.PartnershipInput{As: req.As, Community: req.Community, Pledge: req.Pledge, Terms: req.Terms, Structured: structured(req.Measurable)})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.svc.Cfg.Server.PublicURL+Prefix+"/partnerships/"+p.ID)
	return c.JSON(http.StatusCreated, a.partnershipView(p))
}

func structured(in *termsRequest) service.TermsInput {
	if in == nil {
		return service.TermsInput{}
	}
	return service.TermsInput{Amount: in.Amount, Currency: in.Currency, Hours: in.Hours, Percent: in.Percent}
}

// showPartnership is GET /api/v1/partnerships/{id}, with the monthly
// comparison of pledged and delivered.
func (a *API) showPartnership(c echo.Context) error {
	v, err := a.svc.Economy.PartnerPage(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	out := a.partnershipView(&v.Partnership)
	for _, m := range v.Months {
		out.Months = append(out.Months, monthJSON{Month: m.Month.Format("2006-01"), Pledged: moneyView(m.Pledged),
			Delivered: moneyView(m.Delivered), Met: m.Met()})
	}
	return c.JSON(http.StatusOK, out)
}

type partnershipDecision struct {
	Accept bool `json:"accept"`
}

// decidePartnership is POST /api/v1/partnerships/{id}/decision {accept}.
func (a *API) decidePartnership(c echo.Context) error {
	var req partnershipDecision
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p, err := a.svc.Economy.DecidePartnership(c.Request().Context(), caller(c), c.Param("id"), req.Accept)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a.partnershipView(p))
}

// endPartnership is POST /api/v1/partnerships/{id}/end.
func (a *API) endPartnership(c echo.Context) error {
	p, err := a.svc.Economy.EndPartnership(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a.partnershipView(p))
}

// communityPartnerships is GET /api/v1/communities/{handle}/partnerships
// ?state=requested|active|ended (default active).
func (a *API) communityPartnerships(c echo.Context) error {
	h, err := pathParam(c, "handle")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	group, _, err := a.svc.Communities.Local(ctx, h)
	if err != nil {
		return err
	}
	state := c.QueryParam("state")
	if state == "" {
		state = models.PartnershipActive
	}
	list, err := a.svc.Economy.CommunityPartnerships(ctx, group, state, 100, 0)
	if err != nil {
		return err
	}
	out := make([]partnershipJSON, 0, len(list))
	for i := range list {
		out = append(out, a.partnershipView(&list[i]))
	}
	return c.JSON(http.StatusOK, out)
}
