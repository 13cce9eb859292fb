package federation

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
)

// proposal serves a proposal's Question with its current tallies (Mastodon
// refetches a poll's URL to refresh it).
func (f *Federation) proposal(c echo.Context) error {
	q, err := f.svc.Governance.Question(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return writeAP(c, http.StatusOK, convert.Question(q))
}

// ballotsPageSize is the number of ballots per page of an open ballot.
const ballotsPageSize = 200

// ballots serves who voted how on a closed open-ballot proposal, as a paged
// OrderedCollection of votes shaped as they arrive (Note{attributedTo: the
// voter, name: the option, inReplyTo: the Question}); 404 while open or
// when the ballot is confidential.
func (f *Federation) ballots(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := f.svc.Governance.Ballots(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	q, err := f.svc.Governance.Question(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	id := q.Proposal.URI + "/ballots"
	page, _ := strconv.Atoi(c.QueryParam("page"))
	if page <= 0 {
		return writeAP(c, http.StatusOK, convert.Collection(id, len(list), false))
	}
	var items []*vocab.Object
	for i := (page - 1) * ballotsPageSize; i < len(list) && i < page*ballotsPageSize; i++ {
		items = append(items, &vocab.Object{Type: "Note", AttributedTo: []string{list[i].VoterURI}, Name: list[i].Option, InReplyTo: q.Proposal.URI})
	}
	return writeAP(c, http.StatusOK, convert.CollectionPage(id, len(list), page, ballotsPageSize, items))
}
