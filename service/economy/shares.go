package economy

import (
	"context"
	"math/big"
	"sort"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
)

// Suggested shares of a community disbursement (issue 12): an amount split
// among the contributors in proportion to their weights in the contribution
// ledger (the sum of their accepted contributions' weights), by the
// largest-remainder method in integer minor units, so the shares add up to
// the amount exactly. The suggestion prefills the approve_disbursement form;
// the proposer may edit it before the vote opens (the governance kind checks
// the edited shares: they sum to the amount, none is negative or zero).

// Share is one recipient's part of a disbursement.
type Share struct {
	To     *models.Actor
	Amount models.Money
	Weight int64
}

// SplitByWeights divides total (minor units) in proportion to weights by the
// largest-remainder method: each gets the floor of its exact quota, and the
// units left over go one each to the largest remainders (ties: the earlier
// index). The result sums to total exactly. Weights must be non-negative
// with a positive sum; products are computed with math/big, so no overflow.
func SplitByWeights(total int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	var sum big.Int
	for _, w := range weights {
		sum.Add(&sum, big.NewInt(w))
	}
	if sum.Sign() <= 0 || total <= 0 {
		return out
	}
	rem := make([]*big.Int, len(weights))
	left := total
	for i, w := range weights {
		q, r := new(big.Int), new(big.Int)
		q.QuoRem(new(big.Int).Mul(big.NewInt(total), big.NewInt(w)), &sum, r)
		out[i] = q.Int64()
		rem[i] = r
		left -= out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]].Cmp(rem[order[b]]) > 0 })
	for i := 0; left > 0; i++ {
		out[order[i%len(order)]]++
		left--
	}
	return out
}

// SuggestShares splits amount (a strict decimal string in currency) among
// the community's contributors by their ledger weights; contributors whose
// share rounds to zero are left out (the amount still adds up: their units
// went to larger remainders). 422 without any weighted contribution.
func (e *Economy) SuggestShares(ctx context.Context, group *models.Actor, amount, currency string) (models.Money, []Share, error) {
	m, err := models.ParseMoney(strings.TrimSpace(amount), strings.ToUpper(strings.TrimSpace(currency)))
	if err != nil {
		return m, nil, errs.Unprocessable("amount: %s", err.Error())
	}
	ws, err := e.d.Store.ContributorWeights(ctx, group.ID)
	if err != nil {
		return m, nil, errs.Internal(err)
	}
	if len(ws) == 0 {
		return m, nil, errs.Unprocessable("@%s has no accepted contributions with weights to share by", group.Username)
	}
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.ContributorID
	}
	actors, err := e.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return m, nil, errs.Internal(err)
	}
	var (
		weights []int64
		to      []*models.Actor
	)
	for _, w := range ws {
		if a := actors[w.ContributorID]; a != nil { // split only among actors still known
			weights, to = append(weights, w.Weight), append(to, a)
		}
	}
	var out []Share
	for i, part := range SplitByWeights(m.Minor, weights) {
		if part > 0 {
			out = append(out, Share{To: to[i], Amount: models.Money{Minor: part, Currency: m.Currency}, Weight: weights[i]})
		}
	}
	return m, out, nil
}
