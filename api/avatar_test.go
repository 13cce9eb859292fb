package api_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/config"
)

var pngMagic = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}

func image(magic []byte, size int) []byte {
	return append(append([]byte{}, magic...), bytes.Repeat([]byte{0}, size-len(magic))...)
}

// multipartBody builds a multipart/form-data body with one file part.
func multipartBody(t *testing.T, field, contentType string, data []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="a"`)
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	p, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	p.Write(data)
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func TestAvatarUpload(t *testing.T) {
	const limit = 4096
	inst := start(t, func(c *config.Config) { c.Media.MaxAvatarBytes = limit })
	tok := userWithToken(t, inst, "alice", "member")

	upload := func(t *testing.T, contentType string, body []byte, chunked bool) response {
		var rd io.Reader = bytes.NewReader(body)
		if chunked { // no Content-Length: the limit must hold while streaming
			rd = io.MultiReader(rd)
		}
		req, _ := http.NewRequest("POST", inst.URL+"/api/v1/accounts/me/avatar", rd)
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+tok)
		return send(t, inst, req)
	}
	avatar := func(t *testing.T) string {
		var acc struct{ Avatar string }
		call(t, inst, "GET", "/api/v1/accounts/alice", "", nil).json(t, &acc)
		return acc.Avatar
	}

	cases := []struct {
		name    string
		field   string
		ctype   string
		data    []byte
		raw     string // instead of multipart
		chunked bool
		status  int
	}{
		{"too large", "file", "image/png", image(pngMagic, limit+1), "", false, http.StatusRequestEntityTooLarge},
		{"too large streamed", "file", "image/png", image(pngMagic, 64<<10), "", true, http.StatusRequestEntityTooLarge},
		{"wrong type", "file", "text/plain", []byte("hello, world"), "", false, http.StatusUnsupportedMediaType},
		{"type does not match content", "file", "image/png", image([]byte("GIF89a"), 100), "", false, http.StatusUnsupportedMediaType},
		{"sniffed non-image", "file", "", []byte("<html>not an image</html>"), "", false, http.StatusUnsupportedMediaType},
		{"not multipart", "", "", nil, "application/json", false, http.StatusUnsupportedMediaType},
		{"no file part", "picture", "image/png", image(pngMagic, 100), "", false, http.StatusUnprocessableEntity},
		{"empty file", "file", "image/png", nil, "", false, http.StatusUnprocessableEntity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r response
			if tc.raw != "" {
				r = upload(t, tc.raw, []byte(`{}`), false)
			} else {
				ct, body := multipartBody(t, tc.field, tc.ctype, tc.data)
				r = upload(t, ct, body, tc.chunked)
			}
			expect(t, r, tc.status)
			r.errorMessage(t)
			if a := avatar(t); a != "" {
				t.Fatalf("avatar changed to %q by a failed upload", a)
			}
		})
	}

	t.Run("ok", func(t *testing.T) {
		ct, body := multipartBody(t, "file", "image/png", image(pngMagic, limit))
		r := upload(t, ct, body, false)
		expect(t, r, http.StatusOK)
		a := avatar(t)
		if !strings.HasPrefix(a, inst.URL+"/media/") {
			t.Fatalf("avatar %q", a)
		}
		// Sniffed when the part has no type.
		ct, body = multipartBody(t, "file", "", image([]byte("GIF89a"), 64))
		expect(t, upload(t, ct, body, false), http.StatusOK)
		if b := avatar(t); b == a || b == "" {
			t.Fatalf("avatar not replaced: %q", b)
		}
	})

	t.Run("unauthenticated", func(t *testing.T) {
		ct, body := multipartBody(t, "file", "image/png", image(pngMagic, 100))
		req, _ := http.NewRequest("POST", inst.URL+"/api/v1/accounts/me/avatar", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		expect(t, send(t, inst, req), http.StatusUnauthorized)
	})
}
