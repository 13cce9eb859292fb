package content

import (
	"net/url"
	"strings"
)

// MaxURLLength is the longest URL kept from remote content (the columns that
// hold URLs are 2048 wide).
const MaxURLLength = 2048

// SafeURL returns s if it is an absolute http or https URL with a host and no
// user info, and "" otherwise. Every URL that arrives in remote content (a
// note's url, tag hrefs, attachment and link URLs, an actor's url, icon and
// image) passes through it where it enters the service, so that pages, feeds
// and the API can put what they stored into an href or src: javascript:,
// data:, file:, vbscript:, relative and protocol-relative URLs, URLs with
// whitespace or control characters, and https://trusted.example@evil.example
// look-alikes are all dropped. s is returned byte for byte (ids must match
// what the peer sends), only trimmed of surrounding spaces.
func SafeURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxURLLength {
		return ""
	}
	for i := 0; i < len(s); i++ {
		// Control characters, spaces, and the characters browsers treat as
		// path separators or that break out of an attribute.
		if c := s[i]; c <= ' ' || c == 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' || c == '`' {
			return ""
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" || strings.HasPrefix(u.Host, ":") {
		return ""
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "http" && scheme != "https" {
		return ""
	}
	// url.Parse takes "https:/x" or "https:x" without a host; the checks above
	// refuse them. Require the "//" literally too.
	if len(s) < len(u.Scheme)+3 || s[len(u.Scheme):len(u.Scheme)+3] != "://" {
		return ""
	}
	return s
}

// SafeURLs keeps the safe URLs of list, in order.
func SafeURLs(list []string) []string {
	var out []string
	for _, s := range list {
		if s = SafeURL(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
