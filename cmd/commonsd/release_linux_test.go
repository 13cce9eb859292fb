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
