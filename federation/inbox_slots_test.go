package federation

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

// TestInboxSlotsFairShare: while half the slots are free one client address
// may use them; under contention it keeps at most InboxSlotsPerPeer and other
// addresses still get theirs.
func TestInboxSlotsFairShare(t *testing.T) {
	f := &Federation{inboxSlots: make(slots, 4*InboxSlotsPerPeer)}
	ctx := context.Background()
	var releases []func()
	take := func(peer string) bool {
		r, ok := f.acquireInboxSlot(ctx, peer)
		if ok {
			releases = append(releases, r)
		}
		return ok
	}
	// The first half of the pool is open to anyone.
	for i := 0; i < 2*InboxSlotsPerPeer; i++ {
		if !take("10.0.0.1") {
			t.Fatalf("slot %d refused while the pool was half free", i)
		}
	}
	// Past half, a client holding its share gets no more...
	if take("10.0.0.1") {
		t.Fatal("a client past its share got another slot under contention")
	}
	// ...and the others still get theirs.
	for i := 0; i < InboxSlotsPerPeer; i++ {
		if !take("10.0.0.2") {
			t.Fatalf("another client was refused slot %d", i)
		}
	}
	if take("10.0.0.2") {
		t.Fatal("the second client got more than its share under contention")
	}
	if !take("10.0.0.3") {
		t.Fatal("a third client was refused")
	}
	for _, r := range releases {
		r()
	}
	if n := len(f.inboxSlots); n != 0 {
		t.Fatalf("%d slots still held after release", n)
	}
	if len(f.inboxPeers.held) != 0 {
		t.Fatalf("peer counts left: %v", f.inboxPeers.held)
	}
	// A full pool answers after a short wait, not never.
	full := &Federation{inboxSlots: make(slots, 1)}
	r, _ := full.acquireInboxSlot(ctx, "a")
	defer r()
	c, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, ok := full.acquireInboxSlot(c, "b"); ok {
		t.Fatal("a full pool gave a slot")
	}
}

// TestInboxBodyReadDeadline: a sender that stalls in its body is answered 408
// once InboxReadTimeout passes, instead of holding the connection.
func TestInboxBodyReadDeadline(t *testing.T) {
	old := InboxReadTimeout
	InboxReadTimeout = 200 * time.Millisecond
	t.Cleanup(func() { InboxReadTimeout = old })
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) { _ = c.String(errs.Status(err), errs.Message(err)) }
	e.POST("/inbox", func(c echo.Context) error {
		_, err := readInboxBody(c)
		if err != nil {
			return err
		}
		return c.NoContent(http.StatusAccepted)
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /inbox HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"type\":")
	// Wait for the answer (bounded, so a missing deadline fails instead of hanging).
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("status %d, want 408", resp.StatusCode)
	}
}
