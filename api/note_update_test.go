package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestEditNoteAcrossInstances: bob on B edits his note through PUT
// /api/v1/notes/{id}; the Update{Note} reaches A, where ada's timeline shows
// the new text, marked edited. Only the author edits; bad input changes
// nothing.
func TestEditNoteAcrossInstances(t *testing.T) {
	a, b := start(t), start(t)
	ada := tokenFor(t, a, "ada", "member")
	bob := tokenFor(t, b, "bob", "member")
	eve := tokenFor(t, b, "eve", "member")
	expect(t, call(t, a, "POST", "/api/v1/follows", ada, map[string]string{"target": b.Handle("bob")}), http.StatusCreated)
	eventually(t, "B's Accept", func() bool {
		l := getList[followOut](t, a, "/api/v1/follows", ada)
		return len(l) == 1 && l[0].State == "accepted"
	})
	r := call(t, b, "POST", "/api/v1/notes", bob, map[string]any{"content": "Meeting at **noon**"})
	expect(t, r, http.StatusCreated)
	var n noteOut
	r.json(t, &n)
	eventually(t, "the note on A", func() bool { return len(getList[entryOut](t, a, "/api/v1/timeline", ada)) == 1 })

	for _, tc := range []struct {
		name, token, id string
		body            map[string]any
		status          int
	}{
		{"another member", eve, n.ID, map[string]any{"content": "hijacked"}, http.StatusForbidden},
		{"empty content", bob, n.ID, map[string]any{"content": "  "}, http.StatusUnprocessableEntity},
		{"too long", bob, n.ID, map[string]any{"content": strings.Repeat("x", 5001)}, http.StatusUnprocessableEntity},
		{"unknown note", bob, "01NOSUCHNOTE0000000000000", map[string]any{"content": "x"}, http.StatusNotFound},
		{"no token", "", n.ID, map[string]any{"content": "x"}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, call(t, b, "PUT", "/api/v1/notes/"+tc.id, tc.token, tc.body), tc.status)
		})
	}

	r = call(t, b, "PUT", "/api/v1/notes/"+n.ID, bob, map[string]any{"content": "Meeting at **one** #garden", "summary": "time change"})
	expect(t, r, http.StatusOK)
	var edited struct {
		noteOut
		EditedAt *time.Time `json:"edited_at"`
	}
	r.json(t, &edited)
	if edited.EditedAt == nil || !strings.Contains(edited.Content, "<strong>one</strong>") || edited.Summary != "time change" ||
		!edited.Sensitive || len(edited.Tags) != 1 || edited.ID != n.ID || edited.URI != n.URI {
		t.Fatalf("edited note %s", r.Body)
	}
	var got editedEntry
	eventually(t, "the edit on A", func() bool {
		r := call(t, a, "GET", "/api/v1/timeline", ada, nil)
		var l []editedEntry
		r.json(t, &l)
		if len(l) != 1 {
			return false
		}
		got.Note = l[0].Note
		return strings.Contains(got.Note.Content, "<strong>one</strong>")
	})
	if got.Note.EditedAt == nil || got.Note.Summary != "time change" || strings.Contains(got.Note.Content, "noon") {
		t.Fatalf("note on A after the edit: %+v", got.Note)
	}

	// A deleted note cannot be edited back to life.
	expect(t, call(t, b, "DELETE", "/api/v1/notes/"+n.ID, bob, nil), http.StatusNoContent)
	expect(t, call(t, b, "PUT", "/api/v1/notes/"+n.ID, bob, map[string]any{"content": "back"}), http.StatusNotFound)
}

// editedEntry is a timeline entry with the note's edit time.
type editedEntry struct {
	Note struct {
		noteOut
		EditedAt *time.Time `json:"edited_at"`
	}
}
