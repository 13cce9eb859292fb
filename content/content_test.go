package content

import (
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	cases := []struct{ name, in, want, not string }{
		{"script dropped", `<p>hi<script>alert(1)</script></p>`, "<p>hi</p>", "script"},
		{"js link dropped", `<a href="javascript:alert(1)">x</a>`, "x", "javascript"},
		{"mention kept", `<span class="h-card"><a href="https://m.test/@a" class="u-url mention">@a</a></span>`, `class="u-url mention"`, ""},
		{"onclick dropped", `<p onclick="x()">a</p>`, "<p>a</p>", "onclick"},
		{"style dropped", `<p style="color:red">a</p>`, "<p>a</p>", "style"},
		{"remote table kept, odd align dropped", `<table><tr><td align="justify" style="x">a</td></tr></table>`, "<table><tr><td>a</td></tr></table>", "justify"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Sanitize(c.in)
			if !strings.Contains(got, c.want) || (c.not != "" && strings.Contains(got, c.not)) {
				t.Fatalf("Sanitize(%q) = %q", c.in, got)
			}
		})
	}
}

func TestMarkdown(t *testing.T) {
	cases := []struct{ in, want string }{
		{"**bold**", "<strong>bold</strong>"},
		{"a <script>x</script>", "a"},
		{"see https://example.org", `href="https://example.org"`},
		{"[x](javascript:alert(1))", "x"},
		{"| Seed | Days |\n|:-----|-----:|\n| Tomato | 7 |", `<table><thead><tr><th align="left">Seed</th><th align="right">Days</th></tr></thead><tbody><tr><td align="left">Tomato</td><td align="right">7</td></tr></tbody></table>`},
	}
	for _, c := range cases {
		got := strings.ReplaceAll(Markdown(c.in), "\n", "")
		if !strings.Contains(got, c.want) || strings.Contains(got, "script") || strings.Contains(got, "javascript") {
			t.Errorf("Markdown(%q) = %q", c.in, got)
		}
	}
	if got := Plain("a<b\n\nc"); got != "<p>a&lt;b</p><p>c</p>" {
		t.Errorf("Plain = %q", got)
	}
	if got := Text("<p>a</p><p>b &amp; c</p>"); got != "a\n\nb & c" {
		t.Errorf("Text = %q", got)
	}
}
