package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"
)

// MaxDocumentSize bounds the input of Parse (bytes).
var MaxDocumentSize = 4 << 20

// maxDepth bounds how deep embedded objects are read; deeper ones keep
// only their id.
const maxDepth = 16

// Parse decodes one ActivityStreams document. It accepts a document without
// "@context" (see the package documentation); use ParseStrict to require
// it. It never panics.
func Parse(data []byte) (*Object, error) { return parse(data, false) }

// ParseStrict is Parse, but a missing "@context" is ErrMissingContext.
func ParseStrict(data []byte) (*Object, error) { return parse(data, true) }

func parse(data []byte, strict bool) (*Object, error) {
	if len(data) > MaxDocumentSize {
		return nil, ErrTooLarge
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] != '{' {
		if !json.Valid(trimmed) {
			return nil, ErrInvalidJSON
		}
		return nil, ErrNotJSONObject
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	if m == nil {
		return nil, ErrNotJSONObject
	}
	return FromMap(m, strict)
}

// FromMap is Parse for an already decoded JSON object. strict requires
// "@context". The map is kept as Raw and must not be modified afterwards.
func FromMap(m map[string]any, strict bool) (*Object, error) {
	o, hasCtx, err := readTop(m, strict)
	if err != nil {
		return nil, err
	}
	applyGoFed(o, m, hasCtx)
	return o, nil
}

// readTop reads a top-level document from its map without go-fed.
func readTop(m map[string]any, strict bool) (*Object, bool, error) {
	if m == nil {
		return nil, false, ErrNotJSONObject
	}
	ctx, hasCtx := m["@context"]
	if !hasCtx && strict {
		return nil, false, ErrMissingContext
	}
	if hasCtx {
		switch ctx.(type) {
		case string, []any, map[string]any:
		default:
			return nil, false, ErrInvalidContext
		}
	}
	typ, err := readType(m["type"])
	if err != nil {
		return nil, false, err
	}
	idv, ok := m["id"]
	if !ok || idv == nil {
		return nil, false, ErrMissingID
	}
	id, ok := idv.(string)
	if !ok || !isAbsoluteIRI(id) {
		return nil, false, ErrInvalidID
	}
	o := readObject(m, 0)
	o.Type = typ
	if o.IsActivity() && o.Actor == "" {
		return nil, false, ErrMissingActor
	}
	return o, hasCtx, nil
}

func isAbsoluteIRI(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

func readType(v any) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", ErrMissingType
	case string:
		if t == "" {
			return "", ErrMissingType
		}
		return t, nil
	case []any:
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return "", ErrInvalidType
			}
			if s != "" {
				return s, nil
			}
		}
		return "", ErrMissingType
	default:
		return "", ErrInvalidType
	}
}

// readObject fills an Object from a JSON object, leniently.
func readObject(m map[string]any, depth int) *Object {
	o := &Object{Raw: m}
	o.ID = str(m["id"])
	o.Type, _ = readType(m["type"])

	o.Actor = iri(m["actor"])
	if depth < maxDepth {
		o.Object = readRef(m["object"], depth)
		o.Target = readRef(m["target"], depth)
		o.Origin = readRef(m["origin"], depth)
	} else {
		o.Object = refOnly(m["object"])
		o.Target = refOnly(m["target"])
		o.Origin = refOnly(m["origin"])
	}

	o.To = iris(m["to"])
	o.CC = iris(m["cc"])
	o.BTo = iris(m["bto"])
	o.BCC = iris(m["bcc"])
	o.Audience = iris(m["audience"])

	o.Name = langString(m["name"], m["nameMap"])
	o.Summary = langString(m["summary"], m["summaryMap"])
	o.Content = langString(m["content"], m["contentMap"])
	o.ContentMap = langMap(m["contentMap"])
	o.MediaType = str(m["mediaType"])
	if sm, ok := m["source"].(map[string]any); ok {
		o.Source = &Source{Content: str(sm["content"]), MediaType: str(sm["mediaType"])}
	}

	o.Published = readTime(m["published"])
	o.Updated = readTime(m["updated"])
	o.StartTime = readTime(m["startTime"])
	o.EndTime = readTime(m["endTime"])
	o.Deleted = readTime(m["deleted"])
	switch c := m["closed"].(type) {
	case bool:
		if c {
			t := o.EndTime
			o.Closed = &t
		}
	case string:
		if t := readTime(c); !t.IsZero() {
			o.Closed = &t
		} else if c == "true" {
			t := o.EndTime
			o.Closed = &t
		}
	}

	o.AttributedTo = iris(m["attributedTo"])
	o.InReplyTo = iri(m["inReplyTo"])
	o.URL = readURL(m["url"])
	o.MediaLinks = readMediaLinks(m["url"])
	o.Context = iri(m["context"])
	o.Conversation = iri(m["conversation"])

	for _, e := range list(m["tag"]) {
		if t, ok := readTag(e); ok {
			o.Tags = append(o.Tags, t)
		}
	}
	for _, e := range list(m["attachment"]) {
		am, ok := e.(map[string]any)
		if !ok {
			if s, ok := e.(string); ok && s != "" {
				o.Attachments = append(o.Attachments, Attachment{Type: "Link", URL: s})
			}
			continue
		}
		if t, _ := readType(am["type"]); t == "PropertyValue" {
			o.Fields = append(o.Fields, PropertyValue{Name: str(am["name"]), Value: str(am["value"])})
			continue
		}
		o.Attachments = append(o.Attachments, readAttachment(am))
	}
	o.Sensitive = readBool(m["sensitive"])

	o.OneOf = readOptions(m["oneOf"])
	o.AnyOf = readOptions(m["anyOf"])
	o.VotersCount = readInt(m["votersCount"])

	o.Replies, o.RepliesCount = readCollectionRef(m["replies"])
	o.Likes, o.LikesCount = readCollectionRef(m["likes"])
	o.Shares, o.SharesCount = readCollectionRef(m["shares"])

	o.FormerType, _ = readType(m["formerType"])

	o.PreferredUsername = str(m["preferredUsername"])
	o.Inbox = iri(m["inbox"])
	o.Outbox = iri(m["outbox"])
	o.Followers = iri(m["followers"])
	o.Following = iri(m["following"])
	o.Featured = iri(m["featured"])
	o.FeaturedTags = iri(m["featuredTags"])
	if em, ok := m["endpoints"].(map[string]any); ok {
		o.SharedInbox = iri(em["sharedInbox"])
	}
	if pk := first(m["publicKey"]); pk != nil {
		if pm, ok := pk.(map[string]any); ok {
			o.PublicKey = &PublicKey{
				ID:           str(pm["id"]),
				Owner:        iri(pm["owner"]),
				PublicKeyPEM: str(pm["publicKeyPem"]),
			}
		}
	}
	o.AssertionMethod = readMultikeys(m["assertionMethod"])
	if g, ok := first(m["generator"]).(map[string]any); ok {
		o.Implements = readImplements(g["implements"])
	}
	o.ManuallyApprovesFollowers = readBool(m["manuallyApprovesFollowers"])
	o.Discoverable = readBool(m["discoverable"])
	o.Icon = readImage(m["icon"])
	o.Image = readImage(m["image"])
	o.AlsoKnownAs = iris(m["alsoKnownAs"])
	o.MovedTo = iri(m["movedTo"])
	o.Moderators = iri(m["moderators"])
	// Lemmy puts its moderators collection in a Group's attributedTo.
	if o.Moderators == "" && o.Type == "Group" && len(o.AttributedTo) == 1 &&
		strings.HasSuffix(o.AttributedTo[0], "/moderators") {
		o.Moderators = o.AttributedTo[0]
	}

	if v, ok := m["totalItems"]; ok {
		if n, ok := toInt(v); ok {
			o.TotalItems = &n
		}
	}
	o.First = iri(m["first"])
	o.Last = iri(m["last"])
	o.Next = iri(m["next"])
	o.Prev = iri(m["prev"])
	o.PartOf = iri(m["partOf"])
	items := m["orderedItems"]
	if items == nil {
		items = m["items"]
	}
	for _, e := range list(items) {
		var it *Object
		if depth < maxDepth {
			it = readRef(e, depth)
		} else {
			it = refOnly(e)
		}
		if it != nil {
			o.Items = append(o.Items, it)
		}
	}
	return o
}

func readRef(v any, depth int) *Object {
	switch t := first(v).(type) {
	case string:
		if t == "" {
			return nil
		}
		return &Object{ID: t}
	case map[string]any:
		return readObject(t, depth+1)
	}
	return nil
}

func refOnly(v any) *Object {
	if s := iri(v); s != "" {
		return &Object{ID: s}
	}
	return nil
}

// list returns v as a slice (a single value becomes one element).
func list(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	default:
		return []any{t}
	}
}

// readMultikeys reads assertionMethod: an object or a list of them, at most
// MaxAssertionMethods; bare IRIs (keys to dereference) are skipped.
func readMultikeys(v any) []Multikey {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []Multikey
	for _, e := range list {
		km, ok := e.(map[string]any)
		if !ok {
			continue
		}
		typ, _ := readType(km["type"])
		out = append(out, Multikey{ID: str(km["id"]), Type: typ, Controller: iri(km["controller"]),
			PublicKeyMultibase: str(km["publicKeyMultibase"])})
		if len(out) == MaxAssertionMethods {
			break
		}
	}
	return out
}

// readImplements reads FEP-844e generator.implements: objects with an href (a
// bare IRI string counts as its href), at most MaxImplements.
func readImplements(v any) []Implement {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []Implement
	for _, e := range list {
		var im Implement
		switch t := e.(type) {
		case string:
			im.Href = t
		case map[string]any:
			im = Implement{Name: str(t["name"]), Href: str(t["href"])}
		}
		if im.Href == "" {
			continue
		}
		out = append(out, im)
		if len(out) == MaxImplements {
			break
		}
	}
	return out
}

func first(v any) any {
	if a, ok := v.([]any); ok {
		for _, e := range a {
			if e != nil {
				return e
			}
		}
		return nil
	}
	return v
}

// str reads a plain string (first of an array).
func str(v any) string {
	if s, ok := first(v).(string); ok {
		return s
	}
	return ""
}

// iri reads an IRI: a string, or an object's id (or href for a Link).
func iri(v any) string {
	switch t := first(v).(type) {
	case string:
		return t
	case map[string]any:
		if s := str(t["id"]); s != "" {
			return s
		}
		return str(t["href"])
	}
	return ""
}

func iris(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s := iri(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// langString reads a natural-language string, falling back to the map form.
func langString(v, mapv any) string {
	if s := str(v); s != "" {
		return s
	}
	lm := langMap(mapv)
	if len(lm) == 0 {
		return ""
	}
	for _, k := range []string{"und", "en"} {
		if s, ok := lm[k]; ok {
			return s
		}
	}
	best := ""
	for k := range lm { // deterministic: smallest language tag
		if best == "" || k < best {
			best = k
		}
	}
	return lm[best]
}

func langMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02",
}

func readTime(v any) time.Time {
	s, ok := first(v).(string)
	if !ok || s == "" || len(s) > 64 {
		return time.Time{}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func readBool(v any) bool {
	switch t := first(v).(type) {
	case bool:
		return t
	case string:
		return t == "true"
	}
	return false
}

func toInt(v any) (int, bool) {
	switch t := first(v).(type) {
	case float64:
		if math.IsNaN(t) || t < math.MinInt32 || t > math.MaxInt64/2 {
			return 0, false
		}
		return int(t), true
	case string:
		var n int
		if _, err := fmt.Sscanf(t, "%d", &n); err == nil {
			return n, true
		}
	}
	return 0, false
}

func readInt(v any) int {
	n, _ := toInt(v)
	return n
}

// readURL returns the first href of a url property, preferring text/html.
func readURL(v any) string {
	var fallback string
	for _, e := range list(v) {
		switch t := e.(type) {
		case string:
			if fallback == "" {
				fallback = t
			}
		case map[string]any:
			h := str(t["href"])
			if h == "" {
				h = iri(t["url"])
			}
			if h == "" {
				continue
			}
			mt := str(t["mediaType"])
			if mt == "text/html" {
				return h
			}
			if fallback == "" {
				fallback = h
			}
		}
	}
	return fallback
}

// readImage returns the URL of an icon/image property: a string, an Image
// with url (string, Link or array), or an array of those.
func readImage(v any) string {
	switch t := first(v).(type) {
	case string:
		return t
	case map[string]any:
		if u := readURL(t["url"]); u != "" {
			return u
		}
		return str(t["href"])
	}
	return ""
}

func readTag(e any) (Tag, bool) {
	switch t := e.(type) {
	case string:
		if t == "" {
			return Tag{}, false
		}
		return Tag{Href: t}, true
	case map[string]any:
		tag := Tag{
			ID:   str(t["id"]),
			Href: str(t["href"]),
			Name: str(t["name"]),
			Icon: readImage(t["icon"]),
		}
		tag.Type, _ = readType(t["type"])
		if tag.Name == "" {
			tag.Name = str(t["preferredUsername"])
		}
		return tag, true
	}
	return Tag{}, false
}

func readAttachment(am map[string]any) Attachment {
	a := Attachment{
		MediaType: str(am["mediaType"]),
		Name:      str(am["name"]),
		Blurhash:  str(am["blurhash"]),
		Width:     readInt(am["width"]),
		Height:    readInt(am["height"]),
	}
	a.Type, _ = readType(am["type"])
	if fp, ok := am["focalPoint"].([]any); ok && len(fp) == 2 {
		x, okx := fp[0].(float64)
		y, oky := fp[1].(float64)
		if okx && oky && !math.IsNaN(x) && !math.IsNaN(y) {
			a.FocalPoint = []float64{x, y}
		}
	}
	// url is a string, a Link or a list of either (PeerTube): a Link to media
	// is preferred to an HTML page, and lends its media type and size.
	if links := readMediaLinks(am["url"]); len(links) > 0 {
		l := links[0]
		a.URL = l.URL
		if a.MediaType == "" {
			a.MediaType = l.MediaType
		}
		if a.Width == 0 && a.Height == 0 {
			a.Width, a.Height = l.Width, l.Height
		}
	} else {
		a.URL = readURL(am["url"])
	}
	if a.URL == "" {
		a.URL = str(am["href"])
	}
	return a
}

// maxMediaLinks bounds the Links of a "url" read for media (PeerTube sends a
// dozen per video; the rest of a hostile list is ignored).
const maxMediaLinks = 64

// readMediaLinks returns the Links of a url property whose media type is
// image/, video/ or audio/, in order, with those PeerTube nests in a Link's
// "tag" (its HLS playlist lists the MP4 files there).
func readMediaLinks(v any) []Attachment {
	var out []Attachment
	seen := 0
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		for _, e := range list(v) {
			if seen++; seen > maxMediaLinks {
				return
			}
			lm, ok := e.(map[string]any)
			if !ok {
				continue
			}
			mt := str(lm["mediaType"])
			if strings.HasPrefix(mt, "image/") || strings.HasPrefix(mt, "video/") || strings.HasPrefix(mt, "audio/") {
				h := str(lm["href"])
				if h == "" {
					h = iri(lm["url"])
				}
				if h != "" {
					out = append(out, Attachment{Type: "Link", MediaType: mt, URL: h,
						Width: readInt(lm["width"]), Height: readInt(lm["height"])})
				}
			}
			if depth == 0 {
				walk(lm["tag"], 1)
			}
		}
	}
	walk(v, 0)
	return out
}

func readOptions(v any) []QuestionOption {
	var out []QuestionOption
	for _, e := range list(v) {
		om, ok := e.(map[string]any)
		if !ok {
			continue
		}
		_, n := readCollectionRef(om["replies"])
		out = append(out, QuestionOption{Name: langString(om["name"], om["nameMap"]), Replies: n})
	}
	return out
}

// readCollectionRef returns the IRI and totalItems of a collection-valued
// property (an IRI or an embedded collection).
func readCollectionRef(v any) (string, int) {
	switch t := first(v).(type) {
	case string:
		return t, 0
	case map[string]any:
		return str(t["id"]), readInt(t["totalItems"])
	}
	return "", 0
}
