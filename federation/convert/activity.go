package convert

import (
	"fmt"
	"html"
	"time"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

func init() { register(activityObject) }

// Activity is the ActivityStreams document of an outbound activity: the verb,
// its actor and addressing, and its object converted by the object's kind.
func (c *Converter) Activity(out *service.Outbound) (*vocab.Object, error) {
	if out.Type == "" || out.Actor == nil {
		return nil, fmt.Errorf("convert: activity %q without a verb or an actor", out.ID)
	}
	obj, err := c.Object(out.Object)
	if err != nil {
		return nil, fmt.Errorf("convert: %s: %w", out.Type, err)
	}
	a := &vocab.Object{ID: out.ID, Type: out.Type, Actor: out.Actor.URI, Object: obj, To: out.To, CC: out.CC,
		Published: out.Published}
	if a.Published.IsZero() {
		a.Published = c.now()
	}
	if out.Target != "" {
		a.Target = vocab.Ref(out.Target)
	}
	if out.Audience != "" {
		a.Audience = []string{out.Audience}
	}
	a.Context = out.Context
	if f, ok := out.Object.(service.FlagObject); ok {
		a.Object, a.Extra = nil, map[string]any{"object": append([]string(nil), f.URIs...)}
	}
	if out.Content != "" {
		// A reason is plain text: Mastodon shows summary, others content.
		a.Content = html.EscapeString(out.Content)
		a.Summary = a.Content
	}
	return a, nil
}

// activityObject converts an activity that is the object of another (an Undo of
// a Lock): embedded without its own publication time.
func activityObject(c *Converter, inner *service.Outbound) (*vocab.Object, error) {
	o, err := c.Activity(inner)
	if err != nil {
		return nil, err
	}
	o.Published = time.Time{}
	return o, nil
}
