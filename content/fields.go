package content

import (
	"html"
	"net/url"
	"strings"
)

// FieldURL returns the value of a profile field when the whole value is an
// absolute http(s) URL (what Mastodon links and verifies), else "".
func FieldURL(value string) string {
	v := strings.TrimSpace(value)
	if v == "" || strings.ContainsAny(v, " \t\r\n<>\"") {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return ""
	}
	return v
}

// FieldHTML is a profile field value as HTML, in Mastodon's shape: a URL
// becomes a link with rel="me" (which is what rel=me verification looks for,
// and what GoToSocial keeps: it drops bare-text URL values), its scheme in an
// invisible span and, past 30 characters, the rest behind an ellipsis; any
// other value is escaped text.
func FieldHTML(value string) string {
	u := FieldURL(value)
	if u == "" {
		return html.EscapeString(strings.TrimSpace(value))
	}
	scheme, rest, _ := strings.Cut(u, "://")
	prefix := scheme + "://"
	if strings.HasPrefix(rest, "www.") {
		prefix, rest = prefix+"www.", rest[len("www."):]
	}
	display, hidden, class := rest, "", ""
	if r := []rune(rest); len(r) > 30 {
		display, hidden, class = string(r[:30]), string(r[30:]), "ellipsis"
	}
	return `<a href="` + html.EscapeString(u) + `" rel="me nofollow noopener" target="_blank">` +
		`<span class="invisible">` + html.EscapeString(prefix) + `</span>` +
		`<span class="` + class + `">` + html.EscapeString(display) + `</span>` +
		`<span class="invisible">` + html.EscapeString(hidden) + `</span></a>`
}
