package federation_test

import (
	"testing"

	"github.com/commonsd/commonsd/models"
)

func TestInboxFlag(t *testing.T) {
	e := newInboxEnv(t)
	runInboxCases(t, e, []inboxCase{
		{name: "report of ada and her note", status: 202, state: "processed", changes: true,
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Flag", e.x, "object", []string{e.ada, e.adaNote.URI}, "content", "spam")
			},
			check: func(t *testing.T, e *inboxEnv) {
				var n int64
				e.inst.App.Store.DB.Model(&models.Report{}).Count(&n)
				if n != 1 {
					t.Fatalf("%d reports", n)
				}
			}},
		{name: "report with a null object", status: 400, reason: "null",
			doc: func(e *inboxEnv) map[string]any { return e.act("Flag", e.x, "object", []any{nil, e.ada}) }},
		{name: "report with an id-less object", status: 400, reason: "no id",
			doc: func(e *inboxEnv) map[string]any {
				return e.act("Flag", e.x, "object", []any{map[string]any{"type": "Note"}, e.ada})
			}},
		{name: "report in y's name", status: 401, reason: "belongs to",
			doc: func(e *inboxEnv) map[string]any { return e.act("Flag", e.y, "object", e.ada) }},
	})
}
