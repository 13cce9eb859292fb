package social

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/commonsd/commonsd/models"
)

// TestSafeAttachments: what safeAttachments keeps of hostile attachment lists
// (the inbound path is covered end to end by federation's
// TestRemoteNoteAttachments; these are the bounds in detail).
func TestSafeAttachments(t *testing.T) {
	ok := "https://m.example/a.png"
	cases := []struct {
		name  string
		in    models.NoteAttachment
		keep  bool
		check func(t *testing.T, a models.NoteAttachment)
	}{
		{"https image", models.NoteAttachment{Type: "Image", URL: ok, MediaType: "image/png"}, true, nil},
		{"http document", models.NoteAttachment{Type: "Document", URL: "http://m.example/a.pdf"}, true, nil},
		{"javascript", models.NoteAttachment{Type: "Image", URL: "javascript:alert(1)"}, false, nil},
		{"javascript mixed case", models.NoteAttachment{Type: "Image", URL: "JaVaScRiPt:alert(1)"}, false, nil},
		{"data", models.NoteAttachment{Type: "Image", URL: "data:image/png;base64,AAAA"}, false, nil},
		{"protocol-relative", models.NoteAttachment{Type: "Image", URL: "//m.example/a.png"}, false, nil},
		{"user info", models.NoteAttachment{Type: "Image", URL: "https://m.example@evil.example/a.png"}, false, nil},
		{"quote in URL", models.NoteAttachment{Type: "Image", URL: `https://m.example/a.png" onerror="x`}, false, nil},
		{"oversize URL", models.NoteAttachment{Type: "Image", URL: "https://m.example/" + strings.Repeat("a", 3000)}, false, nil},
		{"long alt text is cut", models.NoteAttachment{Type: "Image", URL: ok, Name: strings.Repeat("é", 5000)}, true,
			func(t *testing.T, a models.NoteAttachment) {
				if n := utf8.RuneCountInString(a.Name); n != maxAltText {
					t.Errorf("alt text of %d runes", n)
				}
			}},
		{"invalid UTF-8 in alt text", models.NoteAttachment{Type: "Image", URL: ok, Name: "a\xffb"}, true,
			func(t *testing.T, a models.NoteAttachment) {
				if a.Name != "ab" {
					t.Errorf("alt text %q", a.Name)
				}
			}},
		{"media type with markup", models.NoteAttachment{Type: "Image", URL: ok, MediaType: `image/png"><x`}, true,
			func(t *testing.T, a models.NoteAttachment) {
				if a.MediaType != "" {
					t.Errorf("media type %q", a.MediaType)
				}
			}},
		{"sizes out of range", models.NoteAttachment{Type: "Image", URL: ok, Width: -1, Height: 10}, true,
			func(t *testing.T, a models.NoteAttachment) {
				if a.Width != 0 || a.Height != 0 {
					t.Errorf("size %dx%d", a.Width, a.Height)
				}
			}},
		{"focal point NaN", models.NoteAttachment{Type: "Image", URL: ok, FocalPoint: []float64{math.NaN(), 0}}, true,
			func(t *testing.T, a models.NoteAttachment) {
				if a.FocalPoint != nil {
					t.Errorf("focal point %v", a.FocalPoint)
				}
			}},
		{"focal point kept", models.NoteAttachment{Type: "Image", URL: ok, FocalPoint: []float64{-0.5, 1}}, true,
			func(t *testing.T, a models.NoteAttachment) {
				if len(a.FocalPoint) != 2 {
					t.Errorf("focal point %v", a.FocalPoint)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := safeAttachments([]models.NoteAttachment{tc.in})
			if (len(got) == 1) != tc.keep {
				t.Fatalf("kept %+v, want keep=%v", got, tc.keep)
			}
			if tc.check != nil {
				tc.check(t, got[0])
			}
		})
	}
	many := make([]models.NoteAttachment, 500)
	for i := range many {
		many[i] = models.NoteAttachment{Type: "Image", URL: ok}
	}
	if n := len(safeAttachments(many)); n != models.MaxNoteAttachments {
		t.Fatalf("kept %d of 500", n)
	}
}
