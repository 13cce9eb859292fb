package convert

import "github.com/commonsd/commonsd/federation/vocab"

// AnswerReason is the reason a peer gives with its Accept or Reject of an Offer:
// its content, else its summary (Mastodon shows summary, others content; we
// send both).
// A Flag's reason is read the same way: Mastodon writes it in content, Lemmy
// in summary.
func AnswerReason(act *vocab.Object) string {
	if act.Content != "" {
		return act.Content
	}
	return act.Summary
}

// FlaggedObjects are the ids a Flag reports (the reported actor and its posts),
// in order: ids given as strings or as objects with a string id. The strict
// reading of the inbox refused nulls and objects without an id.
func FlaggedObjects(act *vocab.Object) []string {
	var objects []string
	v := act.Raw["object"]
	l, ok := v.([]any)
	if !ok && v != nil {
		l = []any{v}
	}
	for _, e := range l {
		switch x := e.(type) {
		case string:
			objects = append(objects, x)
		case map[string]any:
			if id, ok := x["id"].(string); ok {
				objects = append(objects, id)
			}
		}
	}
	return objects
}
