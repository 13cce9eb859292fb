package content

import "unicode"

// IsTagName reports whether s is a hashtag name (what follows '#'): 1 to max
// characters, each a Unicode letter or number or '_'; the same set as the
// regexp `^[\p{L}\p{N}_]{1,max}$`. It is a loop, not that regexp, because a
// bounded repetition of a Unicode class compiles to max copies of the class's
// range table: `{1,100}` costs 2.1 MB of heap and `{1,60}` 1.3 MB, held for the
// life of the process (issue 13, idle RSS).
func IsTagName(s string, max int) bool {
	n := 0
	for _, r := range s { // invalid UTF-8 gives U+FFFD, which is neither letter nor number
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '_' {
			return false
		}
		if n++; n > max {
			return false
		}
	}
	return n > 0
}
