package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
)

type offerFile struct {
	name, ctype string
	data        []byte
}

// offerMultipart builds a multipart offer with fields and files in attachments[].
func offerMultipart(t *testing.T, fields map[string][]string, files []offerFile) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="attachments[]"; filename="`+f.name+`"`)
		if f.ctype != "" {
			h.Set("Content-Type", f.ctype)
		}
		p, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = p.Write(f.data)
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func TestContributionAttachments(t *testing.T) {
	const limit = 4096
	inst := start(t, func(c *config.Config) { c.Media.MaxAttachmentBytes = limit })
	fern := userWithToken(t, inst, "fern", "member")
	newCommunity(t, inst, fern, "seeds", nil)
	offer := func(t *testing.T, files []offerFile) response {
		t.Helper()
		ct, body := offerMultipart(t, map[string][]string{"title": {"Seed atlas"}, "kind": {"knowledge"},
			"links": {"https://wiki.example/atlas", "https://wiki.example/map"}}, files)
		req, _ := http.NewRequest("POST", inst.URL+"/api/v1/communities/seeds/contributions", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+fern)
		return send(t, inst, req)
	}
	stored := func() (contributions, media int64) {
		db := inst.App.Store.DB
		db.Model(&models.Contribution{}).Count(&contributions)
		db.Model(&models.Media{}).Count(&media)
		return
	}

	png := image(pngMagic, 300)
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
	md := []byte("# Atlas\n\nRegions and *seasons* — ünïcode.\n")
	zip := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{1}, 60)...)
	r := offer(t, []offerFile{{"map.png", "image/png", png}, {"atlas.pdf", "application/pdf", pdf},
		{"README.md", "application/octet-stream", md}, {"data.zip", "", zip}})
	expect(t, r, http.StatusCreated)
	var co struct {
		ID, URI     string
		URLs        []string
		Attachments []struct {
			URL       string
			MediaType string `json:"media_type"`
			Name      string
			Size      int64
		}
	}
	r.json(t, &co)
	if len(co.URLs) != 2 || len(co.Attachments) != 4 {
		t.Fatalf("offer %s", r.Body)
	}
	wantTypes := []string{"image/png", "application/pdf", "text/markdown", "application/zip"}
	wantData := [][]byte{png, pdf, md, zip}
	for i, a := range co.Attachments {
		if a.MediaType != wantTypes[i] || !strings.HasPrefix(a.URL, inst.URL+"/media/") || a.Size != int64(len(wantData[i])) {
			t.Fatalf("attachment %d: %+v", i, a)
		}
		req, _ := http.NewRequest("GET", a.URL, nil)
		got := send(t, inst, req)
		expect(t, got, http.StatusOK)
		ct, disp := got.Header.Get("Content-Type"), got.Header.Get("Content-Disposition")
		if !bytes.Equal(got.Body, wantData[i]) || !strings.HasPrefix(ct, wantTypes[i]) {
			t.Fatalf("%s served as %q (%d bytes)", a.Name, ct, len(got.Body))
		}
		if i == 0 && disp != "" {
			t.Errorf("an image is served as a download: %q", disp)
		}
		if i > 0 && !strings.HasPrefix(disp, "attachment") || i > 0 && !strings.Contains(disp, a.Name) {
			t.Errorf("%s: Content-Disposition %q", a.Name, disp)
		}
	}
	if ct := send(t, inst, mustGet(t, co.Attachments[2].URL)).Header.Get("Content-Type"); ct != "text/markdown; charset=utf-8" {
		t.Errorf("markdown served as %q", ct)
	}

	// The API view and the ActivityPub object list them.
	show := call(t, inst, "GET", "/api/v1/contributions/"+co.ID, "", nil)
	expect(t, show, http.StatusOK)
	if !strings.Contains(string(show.Body), co.Attachments[1].URL) {
		t.Fatalf("show %s", show.Body)
	}
	req := mustGet(t, co.URI)
	req.Header.Set("Accept", "application/activity+json")
	ap := send(t, inst, req)
	expect(t, ap, http.StatusOK)
	for _, s := range []string{`"type":"Document"`, `"mediaType":"application/pdf"`, `"name":"atlas.pdf"`, `"url":"` + co.Attachments[1].URL + `"`} {
		if !strings.Contains(string(ap.Body), s) {
			t.Fatalf("AP object lacks %s: %s", s, ap.Body)
		}
	}

	// Refused files store nothing: too large (413), not an accepted type (415),
	// too many (422).
	nc, nm := stored()
	elf := append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, bytes.Repeat([]byte{0}, 40)...)
	for _, tc := range []struct {
		name   string
		files  []offerFile
		status int
	}{
		{"oversize", []offerFile{{"ok.png", "image/png", png}, {"big.png", "image/png", image(pngMagic, limit+1)}}, http.StatusRequestEntityTooLarge},
		{"executable", []offerFile{{"ok.pdf", "application/pdf", pdf}, {"tool.pdf", "application/pdf", elf}}, http.StatusUnsupportedMediaType},
		{"truncated png magic", []offerFile{{"x.png", "image/png", append([]byte{0x89, 'P', 'N', 'G'}, 0xff, 0xfe, 0)}}, http.StatusUnsupportedMediaType},
		{"five files", []offerFile{{"1.md", "", md}, {"2.md", "", md}, {"3.md", "", md}, {"4.md", "", md}, {"5.md", "", md}}, http.StatusUnprocessableEntity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, offer(t, tc.files), tc.status)
			if c, m := stored(); c != nc || m != nm {
				t.Fatalf("stored %d contributions, %d media; before %d, %d", c, m, nc, nm)
			}
		})
	}
	if list, err := inst.App.Store.MediaOfContribution(context.Background(), co.ID); err != nil || len(list) != 4 || list[0].Name != "map.png" {
		t.Fatalf("media of the contribution %+v %v", list, err)
	}
}

func mustGet(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
