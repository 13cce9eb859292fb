package content

import (
	"strings"
	"testing"
)

// hostileURLs are URLs remote content may carry that must never be stored or
// shown. Other packages' end-to-end tests use the same table.
var hostileURLs = []string{
	"javascript:alert(1)",
	"JavaScript:alert(1)",
	" javascript:alert(1)",
	"java\tscript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
	"vbscript:msgbox(1)",
	"file:///etc/passwd",
	"ftp://files.example/x",
	"mailto:a@example.org",
	"/relative/path",
	"relative",
	"//evil.example/x",
	"https:evil.example",
	"https:/evil.example",
	"https://",
	"https://:443/x",
	"https://trusted.example@evil.example/",
	"https://user:pass@evil.example/",
	"https://evil.example/\"onmouseover=\"alert(1)",
	"https://evil.example/<script>",
	"https://evil.example/ x",
	"https://evil.example/\nx",
	"https:\\\\evil.example",
	"http://[::1",
	"https://evil.example/" + strings.Repeat("a", MaxURLLength),
	"",
}

func TestSafeURL(t *testing.T) {
	for _, s := range hostileURLs {
		if got := SafeURL(s); got != "" {
			t.Errorf("SafeURL(%q) = %q, want \"\"", s, got)
		}
	}
	for _, s := range []string{
		"https://example.org/@ada/1",
		"http://127.0.0.1:8080/users/ada",
		"HTTPS://Example.org/Path?q=1#frag",
		"https://wp.example/?p=1&#038;x#a#b", // kept byte for byte
		"https://例え.jp/ノート",
		"https://example.org/%20x",
	} {
		if got := SafeURL(s); got != s {
			t.Errorf("SafeURL(%q) = %q, want it unchanged", s, got)
		}
	}
	if got := SafeURL("  https://example.org/x \n"); got != "https://example.org/x" {
		t.Errorf("not trimmed: %q", got)
	}
	if got := SafeURLs([]string{"javascript:x", "https://a.example/", "data:x"}); len(got) != 1 || got[0] != "https://a.example/" {
		t.Errorf("SafeURLs = %q", got)
	}
}
