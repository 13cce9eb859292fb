package convert

import (
	"slices"
	"testing"

	"github.com/commonsd/commonsd/models"
)

// TestNoteAttachmentsFromFixtures: every stored fixture that carries media is
// read to the attachments we keep, as each server sends them: Mastodon's
// Document (alt text, size, blurhash, focal point), Lemmy's Image and Link
// attachments, Mobilizon's banner, lotide's Image, and PeerTube's Video whose
// files are Links in its url list (nested in the HLS playlist's tag).
func TestNoteAttachmentsFromFixtures(t *testing.T) {
	cases := []struct {
		fixture string
		want    []models.NoteAttachment
	}{
		{"mastodon/objects/note_2.json", []models.NoteAttachment{{Type: "Document", MediaType: "image/jpeg",
			URL:        "https://cdn.masto.host/floss/media_attachments/files/113/306/826/682/985/891/original/c8d906a2f2ab2334.jpg",
			Name:       "The KDE dragons Katie and Konqi stand on either side of a pot filling up with gold coins. Donate!",
			Blurhash:   "USQv:h-W-qI-^,W;RPs=^-R%NZxbo#sDobSc",
			FocalPoint: []float64{0, 0}, Width: 1500, Height: 1095}}},
		{"lemmy/objects/page_image_and_link.json", []models.NoteAttachment{
			{Type: "Image", MediaType: "image/png", URL: "https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png"},
			{Type: "Link", MediaType: "text/html", URL: "https://example.com/some-article"}}},
		{"lemmy/objects/page.json", []models.NoteAttachment{
			{Type: "Link", URL: "https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png"}}},
		{"lemmy/activities/create_or_update/create_page.json", []models.NoteAttachment{
			{Type: "Link", URL: "https://lemmy.ml/pictrs/image/xl8W7FZfk9.jpg"}}},
		{"lemmy/activities/create_or_update/update_page.json", []models.NoteAttachment{
			{Type: "Link", URL: "https://lemmy.ml/pictrs/image/xl8W7FZfk9.jpg"}}},
		{"mobilizon/objects/event.json", []models.NoteAttachment{{Type: "Document", MediaType: "image/jpeg", Name: "Banner",
			URL: "https://rendezvous.nomagic.uk/media/cd75bf2f61b66004fe20af4797f5aa847ae1f9ea1c118f53093d6fc4e51a6045.jpg?name=devon_caledonian_society%27s%20banner.jpg"}}},
		{"lotide/activities/create_page_image.json", []models.NoteAttachment{
			{Type: "Image", URL: "http://ltthostname.local:3334/api/stable/posts/46/href"}}},
		{"peertube/objects/video.json", []models.NoteAttachment{{Type: "Video", MediaType: "video/mp4",
			URL:   "https://tilvids.com/static/streaming-playlists/hls/e7946124-7b72-4ad7-9d22-844a84bb2de1/0b870685-4461-47a3-8fac-e5531cd8acf5-1080-fragmented.mp4",
			Name:  "Mesa, Wayland & X.org in trouble, Debian leaves X, Facebook blocks Linux: Linux & Open Source News",
			Width: 1920, Height: 1080}}},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			o := readFixture(t, tc.fixture)
			if o.Object != nil && o.Object.Type != "" { // an activity: its object
				o = o.Object
			}
			got := NoteAttachments(o)
			if !slices.EqualFunc(got, tc.want, func(a, b models.NoteAttachment) bool {
				return a.Type == b.Type && a.URL == b.URL && a.MediaType == b.MediaType && a.Name == b.Name &&
					a.Width == b.Width && a.Height == b.Height && a.Blurhash == b.Blurhash && slices.Equal(a.FocalPoint, b.FocalPoint)
			}) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestNoteAttachmentsHostileShapes: what a hostile or careless sender puts in
// attachment lists is bounded or skipped here (URLs are checked by the
// service): entries without a URL, PropertyValues and unknown types are
// skipped, more than models.MaxNoteAttachments are cut, a url list of Links
// far longer than any server sends is read only so far.
func TestNoteAttachmentsHostileShapes(t *testing.T) {
	many := `[`
	for i := 0; i < 150; i++ {
		if i > 0 {
			many += ","
		}
		many += `{"type":"Image","mediaType":"image/png","url":"https://a.example/` + string(rune('a'+i%26)) + `.png"}`
	}
	many += `]`
	links := `[`
	for i := 0; i < 1000; i++ {
		if i > 0 {
			links += ","
		}
		links += `{"type":"Link","mediaType":"text/plain","href":"https://a.example/x"}`
	}
	links += `,{"type":"Link","mediaType":"video/mp4","href":"https://a.example/late.mp4"}]`
	cases := []struct {
		name string
		doc  string
		n    int
	}{
		{"no url", `{"id":"https://a.example/n","type":"Note","attachment":[{"type":"Image","mediaType":"image/png"}]}`, 0},
		{"unknown type", `{"id":"https://a.example/n","type":"Note","attachment":[{"type":"Emoji","url":"https://a.example/e.png"}]}`, 0},
		{"property value", `{"id":"https://a.example/n","type":"Note","attachment":[{"type":"PropertyValue","name":"a","value":"b"}]}`, 0},
		{"150 images", `{"id":"https://a.example/n","type":"Note","attachment":` + many + `}`, models.MaxNoteAttachments},
		{"video whose media link is past the 64th", `{"id":"https://a.example/v","type":"Video","url":` + links + `}`, 0},
		{"url a number", `{"id":"https://a.example/n","type":"Note","attachment":[{"type":"Image","url":7}]}`, 0},
		{"focal point of strings", `{"id":"https://a.example/n","type":"Note","attachment":[{"type":"Image","url":"https://a.example/i.png","focalPoint":["x","y"]}]}`, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := NoteAttachments(readJSON(t, tc.doc))
			if len(got) != tc.n {
				t.Fatalf("%d attachments, want %d: %+v", len(got), tc.n, got)
			}
			for _, a := range got {
				if a.FocalPoint != nil && len(a.FocalPoint) != 2 {
					t.Errorf("focal point %v", a.FocalPoint)
				}
			}
		})
	}
}
