package mail_test

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"
	"testing"
)

type mimeDecoder = mime.WordDecoder

// decodeBody returns the text of a single-part message, undoing its transfer
// encoding.
func decodeBody(t *testing.T, r received) string {
	t.Helper()
	var rd io.Reader = strings.NewReader(r.Body)
	switch strings.ToLower(r.Msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		rd = quotedprintable.NewReader(rd)
	case "base64":
		rd = base64.NewDecoder(base64.StdEncoding, strings.NewReader(strings.ReplaceAll(r.Body, "\r\n", "")))
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
