package main

import (
	"fmt"
	"strings"
	"testing"
)

// written is in the executable's writable data, which releaseCodePages must
// leave alone: a dropped private page would come back with the file's value.
var written = "initial"

func TestReleaseCodePages(t *testing.T) {
	written = strings.ToUpper("changed")
	n := releaseCodePages()
	if n == 0 {
		t.Fatal("no read-only mapping of the executable was released")
	}
	// Code and read-only data fault back in from the file.
	if got := fmt.Sprintf("%d bytes %s", 2, strings.Repeat("x", 3)); got != "2 bytes xxx" {
		t.Fatalf("after release: %q", got)
	}
	if written != "CHANGED" {
		t.Fatalf("writable data lost: %q", written)
	}
}

// TestReadOnlyMappings: only the executable's read-only mappings without
// private pages are released (a PIE binary's RELRO segment is read-only but
// was written at load).
func TestReadOnlyMappings(t *testing.T) {
	const smaps = `00400000-00500000 r-xp 00000000 08:01 42 /bin/app
Size:               1024 kB
Anonymous:             0 kB
Private_Dirty:         0 kB
00500000-00600000 r--p 00100000 08:01 42 /bin/app
Private_Dirty:       880 kB
Anonymous:             0 kB
00600000-00601000 r--p 00200000 08:01 42 /bin/app
Private_Dirty:         4 kB
Anonymous:             4 kB
00601000-00700000 rw-p 00201000 08:01 42 /bin/app
Anonymous:             0 kB
00700000-00800000 r--p 00000000 08:01 43 /lib/other.so
Anonymous:             0 kB
7f0000000000-7f0000001000 rw-p 00000000 00:00 0
Anonymous:             4 kB
`
	got := readOnlyMappings(strings.NewReader(smaps), "/bin/app")
	want := []mapping{{0x400000, 0x500000}, {0x500000, 0x600000}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("released %x, want %x", got, want)
	}
}
