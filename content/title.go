package content

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// WithoutTitle is a post's HTML body as shown under its title: when the body
// begins with the title (a community post's title is its first line, and
// Mastodon posts repeat it), that first line is left out — the whole first
// paragraph or heading when it is only the title, else the text up to its
// first line break. A body that does not begin with the title, or that would
// be left empty, is returned as it is. body is HTML we stored (sanitised);
// the result is re-serialised from the parsed tree.
func WithoutTitle(body, title string) string {
	title = strings.TrimSpace(title)
	if title == "" || body == "" {
		return body
	}
	title = strings.TrimSuffix(title, "…") // a title cut to its length limit
	nodes, err := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil || len(nodes) == 0 {
		return body
	}
	first := -1
	for i, n := range nodes {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
			continue
		}
		first = i
		break
	}
	if first < 0 {
		return body
	}
	n := nodes[first]
	switch {
	case n.Type == html.ElementNode && isBlock(n.DataAtom):
		text := strings.TrimSpace(nodeText(n))
		if text == title {
			nodes = append(nodes[:first:first], nodes[first+1:]...)
			break
		}
		if !dropFirstLine(n, title) {
			return body
		}
	default:
		return body
	}
	var b bytes.Buffer
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			return body
		}
	}
	out := b.String()
	if strings.TrimSpace(Text(out)) == "" {
		return body
	}
	return out
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Div:
		return true
	}
	return false
}

// nodeText is the text of a node and its descendants, <br> as a newline.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// dropFirstLine removes from the block p its leading text up to the first
// line break (a newline in a text node or a <br>), if that line is the title.
func dropFirstLine(p *html.Node, title string) bool {
	text := nodeText(p)
	line, _, found := strings.Cut(strings.TrimLeft(text, " \t\n"), "\n")
	if !found || strings.TrimSpace(line) != title {
		return false
	}
	// Remove children (and text) until the line break has been consumed.
	for c := p.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.ElementNode && c.DataAtom == atom.Br:
			p.RemoveChild(c)
			trimLeadingSpace(p)
			return true
		case c.Type == html.TextNode:
			if i := strings.Index(strings.TrimLeft(c.Data, " \t\n"), "\n"); i >= 0 {
				rest := strings.TrimLeft(c.Data, " \t\n")[i+1:]
				c.Data = rest
				trimLeadingSpace(p)
				return true
			}
			p.RemoveChild(c)
		default:
			p.RemoveChild(c) // inline markup within the title line
		}
		c = next
	}
	return true
}

func trimLeadingSpace(p *html.Node) {
	if c := p.FirstChild; c != nil && c.Type == html.TextNode {
		c.Data = strings.TrimLeft(c.Data, " \t\n")
	}
}
