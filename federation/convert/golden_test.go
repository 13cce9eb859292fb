package convert

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/commonsd/commonsd/federation/vocab"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current converters")

// documents are the served documents with golden files, by name.
func (w *world) documents() map[string]*vocab.Object {
	group := Actor(w.group)
	GroupExtras(w.group, w.com, 1, group)
	deleted := *w.note
	deleted.DeletedAt = &w.accepted
	return map[string]*vocab.Object{
		"actor_person":          Actor(w.alice),
		"actor_group":           group,
		"actor_application":     Actor(w.app),
		"note_document":         Note(w.note, w.alice, w.tags),
		"note_tombstone":        Note(&deleted, w.alice, nil),
		"contribution_document": Contribution(w.local, w.group, Contributors(w.local)),
		"question_closed":       Question(w.question()),
		"note_appeal":           Appeal(testConverter().urls, w.appeal()),
		"note_announcement":     Announcement(w.announcement()),
	}
}

// TestGolden checks that the JSON we emit for every activity shape and served
// document is byte-for-byte what the code before this package emitted.
func TestGolden(t *testing.T) {
	w := newWorld()
	c := testConverter()
	docs := w.documents()
	for name, out := range w.activities() {
		doc, err := c.Activity(out)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs[name] = doc
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if !*update && len(files) != len(docs) {
		t.Errorf("%d golden files, %d cases: every golden file needs its case", len(files), len(docs))
	}
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			got, err := vocab.Marshal(docs[name])
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s changed (run with -update only if the change is meant):\n got …%s…\nwant …%s…", name, around(got, want), around(want, got))
			}
		})
	}
}

// around is the part of a near its first difference from b.
func around(a, b []byte) []byte {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-120):min(len(a), i+120)]
}
