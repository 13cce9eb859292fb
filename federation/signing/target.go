package signing

import (
	"net/http"
	"strings"
)

// wireTarget returns the request's path and query as they were on the wire.
// On the server side r.RequestURI is the untouched request-target; Go's
// r.URL.Path is percent-decoded, which is not what peers sign.
func wireTarget(r *http.Request) (path, query string, hasQuery bool) {
	if ru := r.RequestURI; strings.HasPrefix(ru, "/") {
		path, query, hasQuery = strings.Cut(ru, "?")
	} else if r.URL != nil {
		path, query, hasQuery = r.URL.EscapedPath(), r.URL.RawQuery, r.URL.RawQuery != "" || r.URL.ForceQuery
	}
	if path == "" {
		path = "/"
	}
	return path, query, hasQuery
}

// requestHost is the Host the request was (or will be) sent to.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	if r.URL != nil {
		return r.URL.Host
	}
	return ""
}

// normalizeAuthority lowercases host and drops the scheme's default port,
// as RFC 9421 §2.2.3 (via RFC 9110 §4.2.3) asks for @authority.
func normalizeAuthority(scheme, host string) string {
	host = strings.ToLower(host)
	switch {
	case scheme == "https" && strings.HasSuffix(host, ":443"):
		host = strings.TrimSuffix(host, ":443")
	case scheme == "http" && strings.HasSuffix(host, ":80"):
		host = strings.TrimSuffix(host, ":80")
	}
	return host
}
