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

func TestPlainLinked(t *testing.T) {
	const base = "https://commons.example"
	for _, tc := range []struct{ name, in, want string }{
		{"url with a full stop after it", "See https://seeds.example/a?b=1.",
			`<p>See <a href="https://seeds.example/a?b=1" rel="nofollow">https://seeds.example/a?b=1</a>.</p>`},
		{"local mention", "Ask @ada!", `<p>Ask <a href="https://commons.example/@ada" class="u-url mention" rel="nofollow">@ada</a>!</p>`},
		{"remote mention", "(@bob@mastodon.example)", `<p>(<a href="https://mastodon.example/@bob" class="u-url mention" rel="nofollow">@bob@mastodon.example</a>)</p>`},
		{"hashtag", "We love #Seeds and #commons",
			`<p>We love <a href="https://commons.example/tags/seeds" class="mention hashtag" rel="nofollow">#Seeds</a> and <a href="https://commons.example/tags/commons" class="mention hashtag" rel="nofollow">#commons</a></p>`},
		{"e-mail is not a mention", "mail ada@example.org", "<p>mail ada@example.org</p>"},
		{"html escaped, paragraphs", "a <b> & c\n\nd", "<p>a &lt;b&gt; &amp; c</p><p>d</p>"},
		{"javascript is not a link", "javascript:alert(1) #x", `<p>javascript:alert(1) <a href="https://commons.example/tags/x" class="mention hashtag" rel="nofollow">#x</a></p>`},
		{"url fragment is not a tag", "https://a.example/#top", `<p><a href="https://a.example/#top" rel="nofollow">https://a.example/#top</a></p>`},
	} {
		if got := PlainLinked(tc.in, base); got != tc.want {
			t.Errorf("%s: PlainLinked(%q)\n got %s\nwant %s", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{8 << 20: "8 MiB", 3 << 19: "1.5 MiB", 512 << 10: "512 KiB", 900: "900 bytes",
		2 << 30: "2 GiB", 1<<20 + 1: "1.0 MiB"} {
		if got := HumanBytes(n); got != want {
			t.Errorf("HumanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
