//go:build !linux

package main

// releaseCodePages is Linux-only (see release_linux.go); elsewhere it does nothing.
func releaseCodePages() int { return 0 }
