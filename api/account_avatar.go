package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// multipartOverhead is what boundaries and part headers may add around the file.
const multipartOverhead = 16 << 10

// uploadAvatar is POST /api/v1/accounts/me/avatar with a multipart "file" part.
func (a *API) uploadAvatar(c echo.Context) error { return a.uploadOwnImage(c, service.ImageIcon) }

// uploadBanner is POST /api/v1/accounts/me/banner: the profile's header image.
func (a *API) uploadBanner(c echo.Context) error { return a.uploadOwnImage(c, service.ImageBanner) }

func (a *API) uploadOwnImage(c echo.Context, slot string) error {
	data, ctype, err := a.readImagePart(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	act, err := a.svc.Accounts.ActorOf(ctx, caller(c))
	if err != nil {
		return err
	}
	if err := a.svc.Actors.SetImage(ctx, act, slot, ctype, data); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, accountView(act))
}

// readImagePart reads the multipart "file" part of an image upload. The body is
// streamed: reading stops as soon as the file passes media.max_avatar_bytes (413),
// so an oversized upload never sits in memory; the service checks the type
// against the file's magic number (415).
func (a *API) readImagePart(c echo.Context) ([]byte, string, error) {
	limit := a.svc.Cfg.Media.MaxAvatarBytes
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || mt != "multipart/form-data" {
		return nil, "", errs.New(http.StatusUnsupportedMediaType, "send the image as multipart/form-data with a \"file\" part")
	}
	if req.ContentLength > limit+multipartOverhead {
		return nil, "", avatarTooLarge(limit)
	}
	req.Body = http.MaxBytesReader(c.Response(), req.Body, limit+multipartOverhead)
	mr, err := req.MultipartReader()
	if err != nil {
		return nil, "", errs.BadRequest("malformed multipart body: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", errs.Unprocessable("the multipart body has no \"file\" part")
		}
		if err != nil {
			return nil, "", multipartError(err, limit)
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		if err != nil {
			return nil, "", multipartError(err, limit)
		}
		if int64(len(data)) > limit {
			return nil, "", avatarTooLarge(limit)
		}
		ctype := part.Header.Get(echo.HeaderContentType)
		if pmt, _, err := mime.ParseMediaType(ctype); err == nil {
			ctype = pmt
		}
		if ctype == "" || ctype == "application/octet-stream" {
			ctype, _, _ = strings.Cut(http.DetectContentType(data), ";")
		}
		return data, ctype, nil
	}
}

func avatarTooLarge(limit int64) error {
	return errs.New(http.StatusRequestEntityTooLarge, "image is larger than %d bytes", limit)
}

func multipartError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return avatarTooLarge(limit)
	}
	return errs.BadRequest("malformed multipart body: %v", err)
}
