package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// ledgerCSVPage is how many entries the export loads at a time.
const ledgerCSVPage = 500

// communityLedgerCSV is GET /api/v1/communities/{handle}/ledger.csv: the whole
// ledger as CSV (contributor, kind, contribution, weight, recorded_at).
// contributor is name@host, contribution the contribution's id (URI).
func (a *API) communityLedgerCSV(c echo.Context) error {
	group, _, err := a.localCommunity(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"contributor", "kind", "contribution", "weight", "recorded_at"})
	for offset := 0; ; offset += ledgerCSVPage {
		list, _, err := a.svc.Communities.Ledger(ctx, group, ledgerCSVPage, offset)
		if err != nil {
			return err
		}
		rows, err := a.ledgerViews(ctx, list)
		if err != nil {
			return err
		}
		for _, r := range rows {
			who := strings.TrimPrefix(r.Contributor.Handle, "@")
			if who == "" {
				who = r.Contributor.URI
			}
			_ = w.Write([]string{csvCell(who), csvCell(r.Kind), csvCell(r.Contribution.URI),
				strconv.Itoa(r.Weight), r.RecordedAt.Format(time.RFC3339)})
		}
		if len(list) < ledgerCSVPage {
			break
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-ledger.csv"`, group.Username))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// csvCell defuses spreadsheet formulas (a cell starting with = + - @ or a control
// character) by prefixing a quote, as OWASP recommends.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
