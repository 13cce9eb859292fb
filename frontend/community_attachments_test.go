package frontend_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
)

// postOffer sends the offer form as the browser does with files chosen.
func (b *browser) postOffer(path string, fields map[string]string, files map[string][]byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", b.token(path))
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for name, data := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="attachments"; filename="`+name+`"`)
		h.Set("Content-Type", "application/octet-stream")
		w, _ := mw.CreatePart(h)
		_, _ = w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.inst.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

var regexpHref = regexp.MustCompile(`href="([^"]*/media/[^"]+)"`)

func TestCommunityOfferAttachments(t *testing.T) {
	inst := apptest.Start(t, func(c *config.Config) { c.Media.MaxAttachmentBytes = 2048 })
	ada := newBrowser(t, inst)
	want(t, ada.signup("ada", nil), http.StatusSeeOther)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	want(t, ada.get("/c/seeds/offer"), http.StatusOK, `enctype="multipart/form-data"`, `name="attachments" type="file" multiple`, "2 KiB")

	fields := map[string]string{"title": "Seed atlas", "kind": "knowledge", "licence": "PPL"}
	count := func() (n int64) {
		inst.App.Store.DB.Model(&models.Media{}).Where("contribution_id IS NOT NULL").Count(&n)
		return
	}
	want(t, ada.postOffer("/c/seeds/offer", fields, map[string][]byte{"big.txt": bytes.Repeat([]byte("a"), 2049)}),
		http.StatusRequestEntityTooLarge, "big.txt", "is larger than", `value="Seed atlas"`)
	// A body over the route's cap is cut off by the CSRF middleware's read: the form
	// comes back with the error, and nothing is stored.
	want(t, ada.postOffer("/c/seeds/offer", fields, map[string][]byte{"huge.bin": bytes.Repeat([]byte("a"), 300<<10)}),
		http.StatusRequestEntityTooLarge, "the attachments are larger than 8 KiB in all", `enctype="multipart/form-data"`)
	want(t, ada.postOffer("/c/seeds/offer", fields, map[string][]byte{"tool.exe": {'M', 'Z', 0x90, 0, 3, 0, 0, 0}}),
		http.StatusUnsupportedMediaType, "tool.exe", "is not an accepted file")
	if n := count(); n != 0 {
		t.Fatalf("%d files stored by refused offers", n)
	}

	pdf := []byte("%PDF-1.7\n%%EOF\n")
	id := contributionID(t, ada.postOffer("/c/seeds/offer", fields, map[string][]byte{"atlas.pdf": pdf}))
	page := ada.get("/contributions/" + id)
	want(t, page, http.StatusOK, "<h2>Attachments</h2>", ">atlas.pdf</a>", "application/pdf")
	m := regexpHref.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no media link:\n%s", page.Body)
	}
	got := ada.get(strings.TrimPrefix(m[1], inst.URL))
	if got.Status != http.StatusOK || got.Body != string(pdf) || got.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("media: %d %q %q", got.Status, got.Header.Get("Content-Type"), got.Header.Get("Content-Disposition"))
	}
	// A form without files still works (urlencoded or multipart).
	contributionID(t, ada.postOffer("/c/seeds/offer", map[string]string{"title": "No files", "kind": "code", "licence": "PPL"}, nil))
}
