package convert

import "encoding/json"

// decodeList reads a JSON list of strings kept in a text column; a malformed one
// reads as empty.
func decodeList(s string) []string {
	var l []string
	if s != "" {
		_ = json.Unmarshal([]byte(s), &l)
	}
	return l
}
