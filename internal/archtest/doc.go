// Package archtest holds the architecture test: it reads the imports of every
// package of the module (with go/parser, so it needs no go command and no
// network) and fails on any edge that the table in arch_test.go does not allow.
// The same table is in the README's architecture section, and the test checks
// that both agree. A new package, or a new edge, is a deliberate change of that
// table, reviewed like code.
package archtest
