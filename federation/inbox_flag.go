package federation

import (
	"context"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// inboxFlag: a report from another server for our moderators
// (Social.ReceiveFlag). A Flag may name several objects (the reported actor
// and its posts); the strict reading refused nulls and id-less ones.
func (f *Federation) inboxFlag(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	var objects []string
	for _, v := range asList(act.Raw["object"]) {
		switch x := v.(type) {
		case string:
			objects = append(objects, x)
		case map[string]any:
			if id, ok := x["id"].(string); ok {
				objects = append(objects, id)
			}
		}
	}
	return f.svc.Social.ReceiveFlag(ctx, actor, act.ID, objects, act.Content)
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}
