package content

import (
	"regexp"
	"strings"
	"testing"
)

func TestIsTagName(t *testing.T) {
	// The regexp IsTagName replaces is the reference: both must agree on every case.
	re := regexp.MustCompile(`^[\p{L}\p{N}_]{1,10}$`)
	for _, s := range []string{
		"", "a", "FundingAppeal", "snake_case", "_", "café", "日本語", "Ⅻ", "½", "٣",
		"0123456789", "01234567890", strings.Repeat("é", 10), strings.Repeat("é", 11),
		"two words", "hash#tag", "dash-tag", "tag!", "\xff", "a\xffb", "emoji😀", "tab\t",
	} {
		if got, want := IsTagName(s, 10), re.MatchString(s); got != want {
			t.Errorf("IsTagName(%q, 10) = %v, regexp says %v", s, got, want)
		}
	}
}
