package federation

import (
	"context"
	"testing"
	"time"
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
