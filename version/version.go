// Package version holds the build version, set by the linker:
// -ldflags "-X github.com/commonsd/commonsd/version.Version=v1.2.3".
package version

// Version of this build.
var Version = "0.1.0-dev"
