// Package content turns what people type into safe HTML and cleans HTML that arrives
// from other servers. Markdown goes through goldmark, every HTML string we store or
// show goes through bluemonday: one policy for local text, one for remote text, so a
// rule about allowed markup is written once.
package content

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.Linkify, extension.Strikethrough,
			// GFM tables; alignment as the align attribute, since a style attribute
			// would be dropped by the sanitiser and blocked by the pages' CSP.
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute))),
		// Raw HTML in Markdown is dropped by goldmark, and whatever remains is
		// sanitised again below.
		goldmark.WithRendererOptions(gmhtml.WithHardWraps()),
	)
	policy = newPolicy()
)

// newPolicy allows what Mastodon and Lemmy send and show: paragraphs, line breaks,
// links, emphasis, lists, quotes, code, headings, tables; links get rel=nofollow noopener.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "b", "em", "i", "u", "del", "s", "blockquote", "pre", "code",
		"ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "sup", "sub",
		"table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(h-card|u-url|mention|hashtag|invisible|ellipsis|u-uid|status-link)( (h-card|u-url|mention|hashtag|invisible|ellipsis|u-uid|status-link))*$`)).OnElements("a", "span")
	p.AllowElements("span")
	// Links: absolute http(s) URLs with a host and no user info (the rule of
	// SafeURL), and mailto. No relative, protocol-relative or other schemes:
	// remote HTML is shown on our pages, where a relative link would point
	// into this site.
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	web := func(u *url.URL) bool {
		return u.Host != "" && u.User == nil && u.Opaque == "" && SafeURL(u.String()) != ""
	}
	p.AllowURLSchemeWithCustomPolicy("http", web)
	p.AllowURLSchemeWithCustomPolicy("https", web)
	p.AllowURLSchemes("mailto")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}

// Markdown renders Markdown to sanitised HTML.
func Markdown(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return Plain(src)
	}
	return Sanitize(buf.String())
}

// Sanitize cleans HTML from any source.
func Sanitize(s string) string { return strings.TrimSpace(policy.Sanitize(s)) }

// Plain renders plain text (a bio, a field) as HTML paragraphs with line breaks.
func Plain(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return ""
	}
	var out []string
	for _, para := range regexp.MustCompile(`\n{2,}`).Split(s, -1) {
		out = append(out, "<p>"+strings.ReplaceAll(html.EscapeString(para), "\n", "<br>")+"</p>")
	}
	return strings.Join(out, "")
}

// Text strips all markup (for titles, previews and RSS descriptions).
func Text(s string) string {
	return strings.TrimSpace(html.UnescapeString(bluemonday.StrictPolicy().Sanitize(
		strings.NewReplacer("<br>", "\n", "<br/>", "\n", "<br />", "\n", "</p>", "\n\n").Replace(s))))
}
