package frontend

import (
	"io"
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// maxFieldRows is how many profile field rows the form offers.
const maxFieldRows = 4

type settingsData struct {
	Actor     *models.Actor
	Form      *form // profile form
	Fields    []models.Field
	Avatar    *form // avatar form
	MaxAvatar string
	Saved     string
}

var profileFields = map[string]string{"display name": "display_name", "bio": "bio", "field": "fields"}

func (w *Web) settingsPage(c echo.Context, status int, act *models.Actor, d *settingsData) error {
	d.Actor = act
	if d.Form == nil {
		d.Form = newForm()
		d.Form.Values["display_name"] = act.Name
		d.Form.Values["bio"] = act.SummarySource
		d.Fields = service.Fields(act)
	}
	for len(d.Fields) < maxFieldRows {
		d.Fields = append(d.Fields, models.Field{})
	}
	if d.Avatar == nil {
		d.Avatar = newForm()
	}
	d.MaxAvatar = humanBytes(w.cfg.Media.MaxAvatarBytes)
	p := w.page(c, "Profile settings")
	p.Data = d
	return w.render(c, status, "settings", p)
}

func (w *Web) settingsActor(c echo.Context) (*models.Actor, error) {
	u, _ := w.current(c)
	return w.svc.Accounts.ActorOf(c.Request().Context(), u)
}

func (w *Web) settingsForm(c echo.Context) error {
	if u, err := w.requireUser(c); u == nil {
		return err
	}
	act, err := w.settingsActor(c)
	if err != nil {
		return err
	}
	d := &settingsData{}
	switch c.QueryParam("saved") {
	case "profile":
		d.Saved = "Profile saved."
	case "avatar":
		d.Saved = "Avatar updated."
	case "banner":
		d.Saved = "Banner updated."
	}
	return w.settingsPage(c, http.StatusOK, act, d)
}

// settingsProfile saves display name, bio and profile fields; the service validates
// and saves all of it or nothing.
func (w *Web) settingsProfile(c echo.Context) error {
	if u, err := w.requireUser(c); u == nil {
		return err
	}
	act, err := w.settingsActor(c)
	if err != nil {
		return err
	}
	f := newForm()
	f.Values["display_name"] = c.FormValue("display_name")
	f.Values["bio"] = c.FormValue("bio")
	names, values := c.Request().Form["field_name"], c.Request().Form["field_value"]
	var fields []models.Field
	for i := 0; i < len(names) && i < maxFieldRows; i++ {
		v := ""
		if i < len(values) {
			v = values[i]
		}
		fields = append(fields, models.Field{Name: names[i], Value: v})
	}
	before := *act
	err = w.svc.Actors.UpdateProfile(c.Request().Context(), act, service.Profile{
		DisplayName: f.Get("display_name"), Bio: f.Get("bio"), Fields: fields})
	if err != nil {
		f.fail(err, profileFields)
		return w.settingsPage(c, statusOf(err), &before, &settingsData{Form: f, Fields: fields})
	}
	return c.Redirect(http.StatusSeeOther, "/settings/profile?saved=profile")
}

// settingsAvatar takes a multipart upload. The body is capped a little above the
// configured limit so a huge upload is cut off early; the service checks the exact
// size and that the bytes are the declared image type.
func (w *Web) settingsAvatar(c echo.Context) error {
	return w.settingsImage(c, service.ImageIcon, "avatar")
}

// settingsBanner is POST /settings/banner: the header image of the profile.
func (w *Web) settingsBanner(c echo.Context) error {
	return w.settingsImage(c, service.ImageBanner, "banner")
}

func (w *Web) settingsImage(c echo.Context, slot, field string) error {
	if u, err := w.requireUser(c); u == nil {
		return err
	}
	data, ctype, err := w.readImageUpload(c, field)
	if err != nil {
		return w.imageError(c, field, err)
	}
	act, err := w.settingsActor(c)
	if err != nil {
		return err
	}
	if err := w.svc.Actors.SetImage(c.Request().Context(), act, slot, ctype, data); err != nil {
		return w.imageError(c, field, err)
	}
	return c.Redirect(http.StatusSeeOther, "/settings/profile?saved="+field)
}

// imageUploadRoute caps the body of an image upload at media.max_avatar_bytes
// (plus room for the form) and, over it, shows the settings page with the error.
func (w *Web) imageUploadRoute(field string) echo.MiddlewareFunc {
	return uploadRoute(w.imageBodyCap, func(c echo.Context) error {
		if u, err := w.requireUser(c); u == nil {
			return err
		}
		return w.imageError(c, field, w.imageTooBig(field))
	})
}

func (w *Web) imageBodyCap() int64 { return w.cfg.Media.MaxAvatarBytes + 64<<10 }

func (w *Web) imageTooBig(field string) error {
	return errs.New(http.StatusRequestEntityTooLarge, "%s is larger than %s", field, humanBytes(w.cfg.Media.MaxAvatarBytes))
}

// readImageUpload reads one image file of the multipart form (read and
// CSRF-checked by the middleware, within imageBodyCap), stopping at
// media.max_avatar_bytes, and returns its bytes and declared type.
func (w *Web) readImageUpload(c echo.Context, field string) ([]byte, string, error) {
	max := w.cfg.Media.MaxAvatarBytes
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, "", errs.Unprocessable("choose an image file to upload")
	}
	file, err := fh.Open()
	if err != nil {
		return nil, "", errs.Internal(err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, max+1))
	if err != nil {
		return nil, "", errs.Internal(err)
	}
	ctype := strings.TrimSpace(strings.Split(fh.Header.Get("Content-Type"), ";")[0])
	return data, strings.ToLower(ctype), nil
}

// imageError re-renders the settings page with the upload's error next to field.
func (w *Web) imageError(c echo.Context, field string, err error) error {
	act, aerr := w.settingsActor(c)
	if aerr != nil {
		return aerr
	}
	f := newForm()
	f.invalid(field, errs.Message(err))
	return w.settingsPage(c, statusOf(err), act, &settingsData{Avatar: f})
}

func humanBytes(n int64) string { return content.HumanBytes(n) }
