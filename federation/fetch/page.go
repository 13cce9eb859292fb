package fetch

import (
	"context"
	"mime"
	"time"
)

// AcceptHTML is the Accept header of a web page fetch.
const AcceptHTML = "text/html, application/xhtml+xml;q=0.9"

// pageTimeout bounds a web page fetch (rel=me verification): a slow site
// must not hold a worker.
const pageTimeout = 10 * time.Second

// Page fetches a web page (text/html) at uri, unsigned, under the same rules
// as every other fetch: http(s) only, no private addresses unless allowed,
// the domain policy, at most MaxRedirects redirects, each checked, at most
// MaxBodySize bytes. Used to verify profile links (rel="me"). A page on our
// own host gives ErrLocal: the caller reads our own pages itself.
func (f *Fetcher) Page(ctx context.Context, uri string) ([]byte, error) {
	u, err := f.target(uri)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, pageTimeout)
	defer cancel()
	r, err := f.do(ctx, u, nil, AcceptHTML, false)
	if err != nil {
		return nil, err
	}
	return r.body, nil
}

// htmlish reports whether a Content-Type is a web page.
func htmlish(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}
