package content

import (
	"html"
	"regexp"
	"strings"
)

// linkRE finds, in plain text, a web address (group 1), a mention @name or
// @name@host (group 2) or a hashtag (group 3). Mentions and hashtags must not
// follow a word character, a slash or (for tags) & and #, so e-mail addresses,
// URL fragments and HTML entities are left alone; the character before them is
// part of the match and kept as text.
var linkRE = regexp.MustCompile(`(https?://[^\s<>"]+)|(?:^|[^\w/@])(@[A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9.\-]+[A-Za-z0-9](?::\d+)?)?)|(?:^|[^\w/&#])(#[\p{L}\p{N}_]{1,100})`)

// PlainLinked renders plain text (a bio, a community's summary) like Plain, with
// web addresses, mentions and hashtags made links, as Mastodon does with bios.
// base is this instance's public URL: #tag links to base/tags/tag, @name to
// base/@name, and @name@host to https://host/@name (the profile address
// Mastodon, GoToSocial and Akkoma serve). The result is sanitised.
func PlainLinked(s, base string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return ""
	}
	base = strings.TrimSuffix(base, "/")
	var out []string
	for _, para := range regexp.MustCompile(`\n{2,}`).Split(s, -1) {
		out = append(out, "<p>"+strings.ReplaceAll(linkify(para, base), "\n", "<br>")+"</p>")
	}
	return Sanitize(strings.Join(out, ""))
}

func linkify(s, base string) string {
	var b strings.Builder
	last := 0
	for _, m := range linkRE.FindAllStringSubmatchIndex(s, -1) {
		var start, end int
		switch {
		case m[2] >= 0:
			start, end = m[2], m[3]
			// A sentence's full stop or closing bracket is not part of the address.
			for end > start && strings.ContainsRune(".,;:!?)]'", rune(s[end-1])) {
				end--
			}
		case m[4] >= 0:
			start, end = m[4], m[5]
		default:
			start, end = m[6], m[7]
		}
		b.WriteString(html.EscapeString(s[last:start]))
		text := s[start:end]
		var href, class string
		switch {
		case m[2] >= 0:
			href = text
			if SafeURL(href) == "" {
				b.WriteString(html.EscapeString(text))
				last = end
				continue
			}
		case m[4] >= 0:
			class = "u-url mention"
			parts := strings.SplitN(text[1:], "@", 2)
			if len(parts) == 2 {
				href = "https://" + parts[1] + "/@" + parts[0]
			} else {
				href = base + "/@" + parts[0]
			}
		default:
			class = "mention hashtag"
			href = base + "/tags/" + strings.ToLower(text[1:])
		}
		b.WriteString(`<a href="` + html.EscapeString(href) + `"`)
		if class != "" {
			b.WriteString(` class="` + class + `"`)
		}
		b.WriteString(`>` + html.EscapeString(text) + `</a>`)
		last = end
	}
	b.WriteString(html.EscapeString(s[last:]))
	return b.String()
}
