package vocab

// ParseDocument is the reading of a document we fetched (an actor, a note, a
// key, a collection page): the same strict tokenizer as [ParseInbound]
// (invalid JSON or UTF-8, trailing data, nesting deeper than
// [MaxInboundDepth], duplicate names and names that differ only in case, a
// key that differs only in case from a term we read are refused), then the
// direct reading of [Parse] without go-fed.
//
// The activity-only rules of ParseInbound (one actor IRI, one object with an
// id, one type, no nulls in id lists) and its count limits are not applied:
// a fetched document is not an activity, and its callers apply
// [CheckLimits] to what they keep. A missing "@context" is accepted, as by
// Parse (Lemmy omits it).
//
// Decision: go-fed is the vocabulary that builds and checks OUR outbound
// documents; it is kept off every inbound path (inbox and fetches). Its
// overlay only filled values the direct reading leaves zero (times in forms
// readTime does not know, Question reply totals given only as go-fed reads
// them): every fixture reads the same without it (TestParseDocumentMatchesParse).
func ParseDocument(data []byte) (*Object, error) {
	m, err := DecodeStrict(data)
	if err != nil {
		return nil, err
	}
	o, _, err := readTop(m, false)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// DecodeStrict decodes a JSON object with the strict tokenizer of
// [ParseInbound] and [ParseDocument] (duplicate and case-folded names, invalid
// UTF-8, trailing data and excessive depth refused), for documents that are not
// ActivityStreams objects of their own, such as a stand-alone key document
// ({"id", "owner", "publicKeyPem"}, no type). Read its members by exact name.
func DecodeStrict(data []byte) (map[string]any, error) {
	if len(data) > MaxDocumentSize {
		return nil, ErrTooLarge
	}
	v, err := decodeStrict(data)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, ErrNotJSONObject
	}
	return m, nil
}
