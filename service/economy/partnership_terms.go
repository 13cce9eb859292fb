package economy

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
)

// Measurable reciprocity terms (issue 12): besides the words, a partner may
// promise an amount of money per month, hours of work per month, and a share
// of its revenue from the commons. They are stored as integers (minor units,
// hours, basis points) and travel as Commitments of the partnership's
// Agreement. The partner's page compares the monthly amount with what the
// ledger shows delivered each month; hours and the revenue share are shown
// beside it but not measured: the ledger records money, and the partner's
// revenue is not known here.

// TermsInput is the measurable terms as a form or the API gives them, every
// one optional: Amount per month in Currency (a strict decimal string,
// models.ParseMoney), Hours per month (a whole number, 1–744), Percent of
// revenue (at most two decimals, more than 0 and at most 100).
type TermsInput struct {
	Amount, Currency, Hours, Percent string
}

var (
	hoursRe   = regexp.MustCompile(`^[1-9][0-9]{0,2}$`)
	percentRe = regexp.MustCompile(`^(100|[1-9]?[0-9])(\.([0-9]{1,2}))?$`)
)

// Terms is the structured terms of a partnership.
type Terms struct {
	Monthly   models.Money // zero Minor: none
	Hours     int
	PercentBP int // basis points: 500 is 5 %
}

// ParseTerms reads in strictly; an empty field is a term not promised.
func ParseTerms(in TermsInput) (Terms, error) {
	var t Terms
	if a := strings.TrimSpace(in.Amount); a != "" {
		m, err := models.ParseMoney(a, strings.ToUpper(strings.TrimSpace(in.Currency)))
		if err != nil {
			return t, errs.Unprocessable("amount per month: %s", err.Error())
		}
		t.Monthly = m
	}
	if h := strings.TrimSpace(in.Hours); h != "" {
		n, err := strconv.Atoi(h)
		if !hoursRe.MatchString(h) || err != nil || n > 744 {
			return t, errs.Unprocessable("hours per month must be a whole number from 1 to 744")
		}
		t.Hours = n
	}
	if p := strings.TrimSpace(in.Percent); p != "" {
		m := percentRe.FindStringSubmatch(p)
		if m == nil {
			return t, errs.Unprocessable("the share of revenue is a percentage with at most two decimals, e.g. 5 or 2.5")
		}
		whole, _ := strconv.Atoi(m[1])
		frac := (m[3] + "00")[:2]
		f, _ := strconv.Atoi(frac)
		t.PercentBP = whole*100 + f
		if t.PercentBP == 0 || t.PercentBP > 10000 {
			return t, errs.Unprocessable("the share of revenue must be more than 0 and at most 100 %%")
		}
	}
	return t, nil
}

// apply writes t into p.
func (t Terms) apply(p *models.Partnership) {
	p.TermsMinor, p.TermsCurrency, p.TermsHours, p.TermsPercentBP = t.Monthly.Minor, t.Monthly.Currency, t.Hours, t.PercentBP
	if t.Monthly.Minor == 0 {
		p.TermsCurrency = ""
	}
}

// TermsOf reads p's structured terms.
func TermsOf(p *models.Partnership) Terms {
	return Terms{Monthly: models.Money{Minor: p.TermsMinor, Currency: p.TermsCurrency}, Hours: p.TermsHours, PercentBP: p.TermsPercentBP}
}

// Percent is the revenue share for people: "5 %", "2.5 %".
func (t Terms) Percent() string {
	if t.PercentBP == 0 {
		return ""
	}
	s := strconv.Itoa(t.PercentBP / 100)
	if f := t.PercentBP % 100; f != 0 {
		s += strings.TrimRight("."+strconv.Itoa(100 + f)[1:], "0")
	}
	return s + " %"
}

// PercentDecimal is the revenue share on the wire: "5.00".
func (t Terms) PercentDecimal() string {
	return strconv.Itoa(t.PercentBP/100) + "." + strconv.Itoa(100 + t.PercentBP%100)[1:]
}

// Empty reports whether no measurable term is promised.
func (t Terms) Empty() bool { return t.Monthly.Minor == 0 && t.Hours == 0 && t.PercentBP == 0 }
