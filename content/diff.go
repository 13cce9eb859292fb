package content

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DiffLine is one line of a line diff between two texts: Op is "=" (in
// both), "-" (only in the old text) or "+" (only in the new one).
type DiffLine struct {
	Op   string
	Text string
}

// DiffLines compares two plain texts (a contribution's Markdown, revision to
// revision) line by line, as a pull request shows it. It uses
// diff-match-patch's line mode (sergi/go-diff, a maintained port of Google's
// library): each distinct line becomes one rune, so the diff is over lines,
// never inside them, and its cost stays bounded on long texts.
//
// Line endings are compared as "\n": a browser sends a textarea with "\r\n".
func DiffLines(old, new string) []DiffLine {
	old, new = strings.ReplaceAll(old, "\r\n", "\n"), strings.ReplaceAll(new, "\r\n", "\n")
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToRunes(old, new)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(a, b, false), lines)
	var out []DiffLine
	for _, d := range diffs {
		op := "="
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = "-"
		case diffmatchpatch.DiffInsert:
			op = "+"
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l == "" {
				continue
			}
			out = append(out, DiffLine{Op: op, Text: strings.TrimSuffix(l, "\n")})
		}
	}
	return out
}
