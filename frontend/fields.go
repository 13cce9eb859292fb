package frontend

import (
	"html/template"

	"github.com/commonsd/commonsd/content"
)

func init() {
	// fieldHTML shows a local profile field: a URL as a link with rel="me"
	// (so that the linked site, a Mastodon account for one, can verify it
	// back), anything else as text. content.FieldHTML escapes what it shows.
	funcs["fieldHTML"] = func(v string) template.HTML { return template.HTML(content.FieldHTML(v)) }
}
