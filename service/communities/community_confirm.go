package communities

import (
	"context"
	"regexp"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/social"
)

// Confirmation by message. Someone on another server confirms something we
// asked them (a membership request made in their name, a co-contributor credit
// an offer claimed for them) the only way every fediverse server allows: by
// sending the community a message, signed as themselves by their server, that
// addresses or mentions the community and contains the code our page or API
// showed (join-<id> or credit-<id>). The code picks the request; the signature
// proves the person. A direct message is best; any visibility works.

// confirmCodeRE finds codes in a message's text: a ULID is 26 Crockford
// base-32 characters.
var confirmCodeRE = regexp.MustCompile(`\b(join|credit)-([0-9a-hjkmnp-tv-z]{26})\b`)

// maxCodesPerMessage bounds the work one message can cause.
const maxCodesPerMessage = 8

// ConfirmByMessage is called for every remote note as it is received (before it
// is stored, whatever becomes of it). It confirms the join requests and
// co-contributor credits of author whose codes the note carries, for the local
// communities the note addresses or mentions. Errors are logged, never
// returned: a confirmation must not stop the note itself.
func (c *Communities) ConfirmByMessage(ctx context.Context, author *models.Actor, n *models.Note, in social.RemoteNote) {
	text := strings.ToLower(content.Text(n.Content))
	if !strings.Contains(text, "join-") && !strings.Contains(text, "credit-") {
		return
	}
	codes := confirmCodeRE.FindAllStringSubmatch(text, maxCodesPerMessage)
	if len(codes) == 0 {
		return
	}
	seen := map[string]bool{}
	var groups []*models.Actor
	targets := append([]string{}, in.Addressed...)
	for _, t := range in.Tags {
		if t.Type == "Mention" {
			targets = append(targets, t.Href)
		}
	}
	for _, uri := range targets {
		if seen[uri] || len(groups) == maxCodesPerMessage {
			continue
		}
		seen[uri] = true
		if g, err := c.d.Store.ActorByURI(ctx, uri); err == nil && g.Local() && g.Type == models.ActorGroup {
			groups = append(groups, g)
		}
	}
	for _, g := range groups {
		for _, m := range codes {
			var err error
			switch m[1] {
			case "join":
				err = c.confirmJoin(ctx, g, author, m[0])
			case "credit":
				err = c.confirmCredit(ctx, g, author, m[2])
			}
			if err != nil {
				c.d.Log.Warn("confirmation by message failed", "community", g.Username, "actor", author.URI, "code", m[0], "err", err)
			}
		}
	}
}
