package frontend

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"
)

// A feed is built once per request by its page's builder and served as RSS
// or Atom by these two handlers, so the pages with feeds (a community's
// posts, its proposals, the appeals directory) differ only in what they list.
type feedBuilder func(echo.Context) (*feeds.Feed, error)

func feedRSS(build feedBuilder) echo.HandlerFunc {
	return serveFeed(build, (*feeds.Feed).ToRss, "application/rss+xml; charset=utf-8")
}

func feedAtom(build feedBuilder) echo.HandlerFunc {
	return serveFeed(build, (*feeds.Feed).ToAtom, "application/atom+xml; charset=utf-8")
}

func serveFeed(build feedBuilder, render func(*feeds.Feed) (string, error), contentType string) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := build(c)
		if err != nil {
			return err
		}
		s, err := render(f)
		if err != nil {
			return errs.Internal(err)
		}
		return c.Blob(http.StatusOK, contentType, []byte(s))
	}
}
