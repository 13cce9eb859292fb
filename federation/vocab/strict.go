package vocab

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/go-json-experiment/json/jsontext"
)

// Limits of [ParseInbound]. An activity is small; anything larger, deeper or
// wider is hostile or broken, and it is refused rather than truncated:
// dropping addressees or tags would silently change what the activity means
// (who may read it, whom it mentions), and 16 000 tags would otherwise reach
// SQL as one statement's variables.
const (
	// MaxInboundDepth bounds the nesting of objects and arrays.
	MaxInboundDepth = 32
	// MaxTags bounds "tag" entries (hashtags, mentions, emoji) per object.
	MaxTags = 200
	// MaxAddressees bounds each of to, cc, bto, bcc and audience per object.
	MaxAddressees = 200
	// MaxAttachments bounds "attachment" entries per object.
	MaxAttachments = 200
	// MaxIRILength bounds every id (an object's "id" and the entries of id
	// lists) in bytes: the store keeps ids in columns of this size, so a longer
	// one would fail the INSERT of a whole batch of received activities.
	MaxIRILength = 2048
)

// ErrRefused marks a document [ParseInbound] refuses; the error's text is the
// reason, written for the sender. Test with errors.Is.
var ErrRefused = errors.New("vocab: refused")

// Refusal is the error [ParseInbound] returns for a document that is valid
// JSON but ambiguous or hostile.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string        { return r.Reason }
func (r *Refusal) Is(target error) bool { return target == ErrRefused }

func refuse(format string, args ...any) error {
	return &Refusal{Reason: fmt.Sprintf(format, args...)}
}

// singleObject lists the activity types whose "object" is one thing. An array
// there is refused even when its first element looks fine: two readers that
// pick different elements is how an impersonation starts. Flag may report many
// objects; every other activity type takes one object.
var multiObject = map[string]bool{"Flag": true}

// idListKeys hold ids (strings or objects with an id): a null, a number or a
// boolean among them is refused, as lenient readers skip them differently.
var idListKeys = map[string]bool{
	"to": true, "cc": true, "bto": true, "bcc": true, "audience": true,
	"attributedTo": true, "object": true, "target": true, "origin": true,
	"inReplyTo": true, "instrument": true, "actor": true,
}

// terms are the property names we read. A key that differs from one of them
// only in case ("Actor", "oBjeCt") is refused even alone: JSON-LD names are
// case-sensitive, so we would ignore it, while a case-insensitive reader
// (encoding/json's struct decoding) would take it for the term.
var terms = []string{
	"id", "type", "actor", "object", "target", "origin", "instrument", "result",
	"to", "cc", "bto", "bcc", "audience", "attributedTo", "inReplyTo", "context", "conversation",
	"name", "nameMap", "summary", "summaryMap", "content", "contentMap", "mediaType", "source",
	"published", "updated", "startTime", "endTime", "deleted", "closed", "url", "href",
	"tag", "attachment", "sensitive", "oneOf", "anyOf", "votersCount", "replies", "likes", "shares",
	"formerType", "preferredUsername", "inbox", "outbox", "followers", "following", "featured",
	"featuredTags", "endpoints", "sharedInbox", "publicKey", "owner", "publicKeyPem",
	"assertionMethod", "controller", "publicKeyMultibase", "generator", "implements",
	"manuallyApprovesFollowers", "discoverable", "icon", "image", "alsoKnownAs", "movedTo",
	"moderators", "totalItems", "first", "last", "next", "prev", "partOf", "items", "orderedItems",
}

var foldedTerms = func() map[string]string {
	m := make(map[string]string, len(terms))
	for _, t := range terms {
		m[foldKey(t)] = t
	}
	return m
}()

// countCaps bounds list-valued properties per object.
var countCaps = map[string]int{
	"to": MaxAddressees, "cc": MaxAddressees, "bto": MaxAddressees, "bcc": MaxAddressees,
	"audience": MaxAddressees, "tag": MaxTags, "attachment": MaxAttachments,
}

// ParseInbound is the one reading of an activity received in an inbox: the
// inbox checks the value it returns (signer owns the actor, ids on the
// sender's host) and the processing job acts on the value it returns for the
// same stored bytes, so what is checked is what is acted on. It reads the
// bytes once, with a strict tokenizer, and refuses (errors.Is ErrRefused or
// ErrInvalidJSON) before anything is stored:
//
//   - invalid JSON, invalid UTF-8, trailing data, nesting deeper than
//     [MaxInboundDepth];
//   - two members with the same name, or names that differ only in case
//     (Unicode simple folding, as encoding/json matches them), at any level
//     outside "@context" (JSON-LD terms there are case-sensitive and never
//     read by us; exact duplicates are refused there too), and a key that
//     differs only in case from a term we read ("Actor" alone);
//   - an "actor" that is not exactly one absolute http(s) IRI: an array, a
//     Link, Mention or other object with an "href", an object without an id.
//     Decision: an embedded actor object whose identity is its "id" (some
//     servers send the whole Person) is accepted and reduced to that id;
//   - an "object" that is an array (except for Flag), a null or an object
//     without an id, in the activity and in every embedded activity;
//   - an activity with several types (["Create", "Delete"]);
//   - nulls, numbers or booleans inside id lists (to, cc, bto, bcc, audience,
//     attributedTo, object, target, origin, inReplyTo, instrument);
//   - more than [MaxTags] tags, [MaxAddressees] entries in any addressing
//     list or [MaxAttachments] attachments on any object;
//   - an id (an object's "id", an entry of an id list) over [MaxIRILength]
//     bytes.
//
// Unlike [Parse] it does not run go-fed: the inbound hot path reads the JSON
// directly (go-fed stays the vocabulary that builds outbound documents).
// Strings, ids included, are kept byte for byte.
func ParseInbound(data []byte) (*Object, error) {
	m, err := DecodeStrict(data)
	if err != nil {
		return nil, err
	}
	if err := checkShape(m, true); err != nil {
		return nil, err
	}
	o, _, err := readTop(m, false)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// decodeStrict builds the generic value of data (maps, slices, strings,
// float64, bool, nil) from jsontext tokens. jsontext refuses duplicate names
// and invalid UTF-8 by default; names differing only in case are refused here.
func decodeStrict(data []byte) (any, error) {
	d := jsontext.NewDecoder(bytes.NewReader(data))
	v, err := readValue(d, 0, false)
	if err != nil {
		return nil, err
	}
	if _, err := d.ReadToken(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the JSON document", ErrInvalidJSON)
	}
	return v, nil
}

func jsonErr(err error) error {
	var r *Refusal
	if errors.As(err, &r) {
		return err
	}
	if errors.Is(err, jsontext.ErrDuplicateName) {
		var se *jsontext.SyntacticError
		if errors.As(err, &se) {
			return refuse("duplicate key at %s", se.JSONPointer)
		}
		return refuse("duplicate key")
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: unexpected end of input", ErrInvalidJSON)
	}
	return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
}

func readValue(d *jsontext.Decoder, depth int, inContext bool) (any, error) {
	tok, err := d.ReadToken()
	if err != nil {
		return nil, jsonErr(err)
	}
	switch tok.Kind() {
	case '{':
		if depth+1 > MaxInboundDepth {
			return nil, refuse("JSON is nested deeper than %d levels", MaxInboundDepth)
		}
		m := map[string]any{}
		var folded map[string]string
		if !inContext {
			folded = map[string]string{}
		}
		for {
			switch d.PeekKind() {
			case '}':
				if _, err := d.ReadToken(); err != nil {
					return nil, jsonErr(err)
				}
				return m, nil
			case 0:
				_, err := d.ReadToken()
				if err == nil {
					err = io.ErrUnexpectedEOF
				}
				return nil, jsonErr(err)
			}
			nt, err := d.ReadToken()
			if err != nil {
				return nil, jsonErr(err)
			}
			name := nt.String()
			if folded != nil {
				k := foldKey(name)
				if prev, ok := folded[k]; ok {
					return nil, refuse("keys %q and %q differ only in case", prev, name)
				}
				if term, ok := foldedTerms[k]; ok && term != name {
					return nil, refuse("key %q is not %q: names are case-sensitive", name, term)
				}
				folded[k] = name
			}
			v, err := readValue(d, depth+1, inContext || name == "@context")
			if err != nil {
				return nil, err
			}
			m[name] = v
		}
	case '[':
		if depth+1 > MaxInboundDepth {
			return nil, refuse("JSON is nested deeper than %d levels", MaxInboundDepth)
		}
		l := []any{}
		for {
			switch d.PeekKind() {
			case ']':
				if _, err := d.ReadToken(); err != nil {
					return nil, jsonErr(err)
				}
				return l, nil
			case 0:
				_, err := d.ReadToken()
				if err == nil {
					err = io.ErrUnexpectedEOF
				}
				return nil, jsonErr(err)
			}
			v, err := readValue(d, depth+1, inContext)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
	case '"':
		return tok.String(), nil
	case '0':
		return tok.Float(), nil
	case 't', 'f':
		return tok.Bool(), nil
	case 'n':
		return nil, nil
	}
	return nil, fmt.Errorf("%w: unexpected token", ErrInvalidJSON)
}

// foldKey maps a name to the same key for every spelling encoding/json would
// match to it (each rune to the smallest rune of its simple case-fold orbit,
// so "K", "k" and the Kelvin sign agree).
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		b.WriteRune(min)
	}
	return b.String()
}

// checkShape applies the structural rules of ParseInbound to one object and
// everything embedded in it. top marks the activity itself.
func checkShape(m map[string]any, top bool) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	typ, _ := readType(m["type"])
	_, hasActor := m["actor"]
	activity := hasActor || activityTypes[typ]
	if types, ok := m["type"].([]any); ok && len(types) > 1 {
		for _, t := range types {
			if s, _ := t.(string); activity || activityTypes[s] {
				// Which of two verbs is meant? Readers would differ.
				return refuse("an activity has one type, not %d", len(types))
			}
		}
	}
	if id, ok := m["id"].(string); ok && len(id) > MaxIRILength {
		return refuse("an id of %d bytes; at most %d are accepted", len(id), MaxIRILength)
	}
	for _, k := range keys {
		if k == "@context" {
			continue
		}
		v := m[k]
		if l, ok := v.([]any); ok {
			if max, capped := countCaps[k]; capped && len(l) > max {
				return refuse("%s has %d entries; at most %d are accepted", k, len(l), max)
			}
		}
		if idListKeys[k] {
			if err := checkIDList(k, v); err != nil {
				return err
			}
		}
		switch k {
		case "actor":
			if err := checkActor(v); err != nil {
				return err
			}
		case "object":
			if activity {
				if err := checkObjectValue(typ, v); err != nil {
					return err
				}
			}
		}
		if err := checkEmbedded(v); err != nil {
			return err
		}
	}
	if top && activity && !hasActor {
		return refuse("a %s without actor", typ)
	}
	return nil
}

// checkEmbedded runs checkShape on the objects inside v.
func checkEmbedded(v any) error {
	switch t := v.(type) {
	case map[string]any:
		return checkShape(t, false)
	case []any:
		for _, e := range t {
			if err := checkEmbedded(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkIDList(key string, v any) error {
	entries := []any{v}
	if l, ok := v.([]any); ok {
		entries = l
	} else if v == nil {
		if key == "actor" {
			return refuse("actor is null")
		}
		return nil // a null property is an absent one (Mastodon: "inReplyTo": null)
	}
	for i, e := range entries {
		switch x := e.(type) {
		case nil:
			return refuse("%s[%d] is null", key, i)
		case string:
			if x == "" {
				return refuse("%s holds an empty id", key)
			}
			if len(x) > MaxIRILength {
				return refuse("%s holds an id of %d bytes; at most %d are accepted", key, len(x), MaxIRILength)
			}
		case map[string]any:
		default:
			return refuse("%s holds a %T where an id belongs", key, e)
		}
	}
	return nil
}

// checkActor accepts exactly one absolute http(s) IRI, given as a string or as
// an embedded actor object identified by its id (not a Link).
func checkActor(v any) error {
	switch t := v.(type) {
	case string:
		if !isHTTPIRI(t) {
			return refuse("actor %q is not an absolute http(s) IRI", t)
		}
		return nil
	case map[string]any:
		if _, isLink := t["href"]; isLink {
			return refuse("actor is a Link; it must be the actor's IRI")
		}
		typ, _ := readType(t["type"])
		if typ == "Link" || typ == "Mention" {
			return refuse("actor is a %s; it must be the actor's IRI", typ)
		}
		id, ok := t["id"].(string)
		if !ok || !isHTTPIRI(id) {
			return refuse("embedded actor has no absolute http(s) id")
		}
		return nil
	case []any:
		return refuse("actor must be one IRI, not a list of %d", len(t))
	}
	return refuse("actor must be an IRI")
}

// checkObjectValue: the object of an activity is one IRI or one object with an
// id; Flag may list several.
func checkObjectValue(typ string, v any) error {
	if l, ok := v.([]any); ok {
		if !multiObject[typ] {
			return refuse("a %s takes one object, not a list of %d", typ, len(l))
		}
		if len(l) == 0 {
			return refuse("a %s with an empty object list", typ)
		}
		for _, e := range l {
			if err := checkOneObject(typ, e); err != nil {
				return err
			}
		}
		return nil
	}
	return checkOneObject(typ, v)
}

func checkOneObject(typ string, v any) error {
	switch t := v.(type) {
	case string:
		if !isAbsoluteIRI(t) {
			return refuse("object of the %s is not an absolute IRI", typ)
		}
	case map[string]any:
		id, ok := t["id"].(string)
		if !ok || !isAbsoluteIRI(id) {
			return refuse("the embedded object of the %s has no id", typ)
		}
	default:
		return refuse("object of the %s must be an IRI or an object with an id", typ)
	}
	return nil
}

func isHTTPIRI(s string) bool {
	if !isAbsoluteIRI(s) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// CheckLimits applies ParseInbound's count limits to an object read by
// another path (a fetched document, read by Parse): more than MaxTags tags,
// MaxAddressees entries in an addressing list or MaxAttachments attachments
// is a refusal (errors.Is ErrRefused), never a truncation.
func CheckLimits(o *Object) error {
	if o == nil {
		return nil
	}
	if len(o.Tags) > MaxTags {
		return refuse("tag has %d entries; at most %d are accepted", len(o.Tags), MaxTags)
	}
	for _, l := range []struct {
		name string
		ids  []string
	}{{"to", o.To}, {"cc", o.CC}, {"bto", o.BTo}, {"bcc", o.BCC}, {"audience", o.Audience}} {
		if len(l.ids) > MaxAddressees {
			return refuse("%s has %d entries; at most %d are accepted", l.name, len(l.ids), MaxAddressees)
		}
	}
	if n := len(o.Attachments) + len(o.Fields); n > MaxAttachments {
		return refuse("attachment has %d entries; at most %d are accepted", n, MaxAttachments)
	}
	return nil
}
