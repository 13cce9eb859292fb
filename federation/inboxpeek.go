package federation

import (
	"encoding/json"
	"errors"
	"net/url"

	"github.com/commonsd/commonsd/federation/vocab"
)

// peekActivity reads only what the inbox must check before storing an activity:
// id, type, actor, and the object's id and type. The full reading (go-fed's
// vocabulary, ~120 µs a document) happens once, in the processing job; doing it on
// the request path cost more than the signature check.
func peekActivity(body []byte) (*vocab.Object, error) {
	var raw struct {
		ID     string          `json:"id"`
		Type   json.RawMessage `json:"type"`
		Actor  json.RawMessage `json:"actor"`
		Object json.RawMessage `json:"object"`
		Target json.RawMessage `json:"target"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) && ute.Field == "" {
			return nil, errors.New("document is not a JSON object")
		}
		if errors.As(err, &ute) {
			return nil, errors.New(ute.Field + " has the wrong JSON type")
		}
		return nil, errors.New("invalid JSON")
	}
	a := &vocab.Object{ID: raw.ID, Type: firstID(raw.Type), Actor: firstID(raw.Actor)}
	switch {
	case a.Type == "":
		return nil, errors.New("missing type")
	case a.ID == "":
		return nil, errors.New("missing id")
	}
	if u, err := url.Parse(a.ID); err != nil || !u.IsAbs() {
		return nil, errors.New("id is not an absolute IRI")
	}
	a.Object = peekObject(raw.Object)
	a.Target = peekObject(raw.Target)
	return a, nil
}

// peekObject reads an embedded object's id and type, or a bare IRI.
func peekObject(raw json.RawMessage) *vocab.Object {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return vocab.Ref(s)
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		if len(list) == 0 {
			return nil
		}
		return peekObject(list[0])
	}
	var o struct {
		ID   string          `json:"id"`
		Type json.RawMessage `json:"type"`
	}
	if json.Unmarshal(raw, &o) != nil {
		return nil
	}
	return &vocab.Object{ID: o.ID, Type: firstID(o.Type), Raw: map[string]any{}}
}

// firstID reads a string, the first string of an array, or an object's id.
func firstID(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, e := range list {
			if v := firstID(e); v != "" {
				return v
			}
		}
		return ""
	}
	var o struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return o.ID
	}
	return ""
}
