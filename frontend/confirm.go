package frontend

import (
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"
)

// A confirmation step without JavaScript: a form whose action needs one posts
// to its endpoint as usual; the handler, seeing no confirmed=yes, answers with
// this page, which repeats the form's fields (hidden) with confirmed=yes, a
// button that says what will happen, and a way back. Suspending, deleting,
// removing, revoking and every report resolution go through it.

type confirmField struct{ Name, Value string }

type confirmData struct {
	Title  string
	Lines  []string
	Action string
	Fields []confirmField
	Verb   string
	Cancel string
	Danger bool
	// Reason asks for a reason (a required textarea named "reason").
	Reason      bool
	ReasonError string
}

// confirmed reports whether the form came from the confirmation page.
func confirmed(c echo.Context) bool { return c.FormValue("confirmed") == "yes" }

// askConfirm renders the confirmation page for the posted form.
func (w *Web) askConfirm(c echo.Context, d confirmData) error {
	if err := c.Request().ParseForm(); err != nil {
		return err
	}
	var names []string
	for k := range c.Request().PostForm {
		if k != csrfField && k != "confirmed" && (k != "reason" || !d.Reason) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range c.Request().PostForm[k] {
			d.Fields = append(d.Fields, confirmField{k, v})
		}
	}
	if d.Action == "" {
		d.Action = c.Request().URL.Path
	}
	p := w.page(c, d.Title)
	p.Data = d
	return w.render(c, http.StatusOK, "confirm", p)
}
