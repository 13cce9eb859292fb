package content

import "testing"

func TestWithoutTitle(t *testing.T) {
	cases := []struct{ name, body, title, want string }{
		{"title paragraph dropped", "<p>Swap day</p><p>Bring <em>jars</em>.</p>", "Swap day", "<p>Bring <em>jars</em>.</p>"},
		{"title heading dropped", "<h2>Swap day</h2><p>Bring jars.</p>", "Swap day", "<p>Bring jars.</p>"},
		{"first line of a paragraph (soft break)", "<p>Swap day\nBring jars.</p>", "Swap day", "<p>Bring jars.</p>"},
		{"first line before a br (Mastodon)", "<p>Swap day<br/>Bring jars.</p><p>More</p>", "Swap day", "<p>Bring jars.</p><p>More</p>"},
		{"styled title line", "<p><strong>Swap day</strong><br>Bring jars.</p>", "Swap day", "<p>Bring jars.</p>"},
		{"cut title", "<p>A very long first line</p><p>rest</p>", "A very long…", "<p>A very long first line</p><p>rest</p>"},
		{"other first line kept", "<p>Hello</p><p>Swap day</p>", "Swap day", "<p>Hello</p><p>Swap day</p>"},
		{"title alone kept", "<p>Swap day</p>", "Swap day", "<p>Swap day</p>"},
		{"no title", "<p>Swap day</p><p>x</p>", "", "<p>Swap day</p><p>x</p>"},
		{"title inside a line kept", "<p>Swap day is Saturday</p><p>x</p>", "Swap day", "<p>Swap day is Saturday</p><p>x</p>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := WithoutTitle(c.body, c.title); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}
