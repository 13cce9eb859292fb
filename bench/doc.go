// Package bench holds the performance benchmarks of commonsd: full instances (app/apptest)
// driven over loopback by a Go load generator, each compared with a bare ceiling measured
// in the same run. Everything lives in _test.go files and runs only with -bench; see
// README.md for the commands and the targets.
package bench
