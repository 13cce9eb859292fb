package content

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// Mastodon keeps only a few elements of remote HTML (its MASTODON_STRICT
// sanitizer: p, br, span, a, del, pre, blockquote, code, b, strong, u, i,
// em, ul, ol, li) and drops the rest, text kept. MastodonStrict narrows our
// sanitised HTML to those before we send it, so a Mastodon user reads what
// we meant: headings become bold paragraphs and table cells are separated,
// instead of their text running into the next line.
var (
	strictPolicy = func() *bluemonday.Policy {
		p := bluemonday.NewPolicy()
		p.AllowElements("p", "br", "span", "del", "pre", "blockquote", "code", "b", "strong", "u", "i", "em", "ul", "ol", "li")
		p.AllowAttrs("href", "rel").OnElements("a")
		p.AllowAttrs("class").Matching(regexp.MustCompile(`^(mention|hashtag|u-url|h-card|invisible|ellipsis)( (mention|hashtag|u-url|h-card|invisible|ellipsis))*$`)).OnElements("a", "span")
		p.RequireParseableURLs(true)
		p.AllowURLSchemes("http", "https", "mailto")
		return p
	}()
	headingOpen  = regexp.MustCompile(`<h[1-6][^>]*>`)
	headingClose = regexp.MustCompile(`</h[1-6]>`)
	cellClose    = regexp.MustCompile(`</t[dh]>`)
	rowClose     = regexp.MustCompile(`</tr>`)
	hrTag        = regexp.MustCompile(`<hr\s*/?>`)
)

// MastodonStrict keeps only the HTML Mastodon shows (s is sanitised HTML).
func MastodonStrict(s string) string {
	s = headingOpen.ReplaceAllString(s, "<p><strong>")
	s = headingClose.ReplaceAllString(s, "</strong></p>")
	s = cellClose.ReplaceAllString(s, " ")
	s = rowClose.ReplaceAllString(s, "<br>")
	s = hrTag.ReplaceAllString(s, "")
	return strings.TrimSpace(strictPolicy.Sanitize(s))
}
