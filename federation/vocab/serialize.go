package vocab

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-fed/activity/streams"
)

// CommonsNamespace is the fixed IRI prefix of commonsd's own terms, the
// same on every instance.
const CommonsNamespace = "https://commonsd.org/ns#"

// contextJSON is the one @context every document we write carries. It never
// names http://joinmastodon.org/ns as a bare URL (not a JSON-LD document).
const contextJSON = `[
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  {
    "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
    "sensitive": "as:sensitive",
    "Hashtag": "as:Hashtag",
    "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
    "movedTo": {"@id": "as:movedTo", "@type": "@id"},
    "toot": "http://joinmastodon.org/ns#",
    "discoverable": "toot:discoverable",
    "featured": {"@id": "toot:featured", "@type": "@id"},
    "featuredTags": {"@id": "toot:featuredTags", "@type": "@id"},
    "Emoji": "toot:Emoji",
    "blurhash": "toot:blurhash",
    "votersCount": "toot:votersCount",
    "schema": "http://schema.org#",
    "PropertyValue": "schema:PropertyValue",
    "value": "schema:value",
    "ostatus": "http://ostatus.org#",
    "conversation": "ostatus:conversation",
    "lemmy": "https://join-lemmy.org/ns#",
    "moderators": {"@id": "lemmy:moderators", "@type": "@id"},
    "commons": "https://commonsd.org/ns#",
    "Contribution": "commons:Contribution",
    "contributionKind": "commons:contributionKind",
    "licence": {"@id": "commons:licence", "@type": "@id"},
    "FundingAppeal": "commons:FundingAppeal",
    "CoalitionAnnouncement": "commons:CoalitionAnnouncement",
    "goal": "commons:goal",
    "currency": "commons:currency",
    "amount": "commons:amount",
    "commonsType": "commons:commonsType",
    "announcementKind": "commons:announcementKind",
    "forWhom": "commons:forWhom",
    "price": "commons:price",
    "payNote": "commons:payNote",
    "announcementLink": {"@id": "commons:announcementLink", "@type": "@id"},
    "partnerOf": {"@id": "commons:partnerOf", "@type": "@id"},
    "claimsBounty": {"@id": "commons:claimsBounty", "@type": "@id"},
    "resourceConformsTo": {"@id": "vf:resourceConformsTo", "@type": "@id"},
    "fundingGoal": "commons:fundingGoal",
    "amountRaised": "commons:amountRaised",
    "amountPledged": "commons:amountPledged",
    "pledgeCount": "commons:pledgeCount",
    "beneficiary": {"@id": "commons:beneficiary", "@type": "@id"},
    "ledger": {"@id": "commons:ledger", "@type": "@id"},
    "partners": {"@id": "commons:partners", "@type": "@id"},
    "appealStatus": "commons:appealStatus",
    "entryKind": "commons:entryKind",
    "anonymous": "commons:anonymous",
    "vf": "https://w3id.org/valueflows/ont/vf#",
    "om2": "http://www.ontology-of-units-of-measure.org/resource/om-2/",
    "Proposal": "vf:Proposal",
    "Intent": "vf:Intent",
    "Agreement": "vf:Agreement",
    "Commitment": "vf:Commitment",
    "EconomicEvent": "vf:EconomicEvent",
    "purpose": "vf:purpose",
    "publishes": {"@id": "vf:publishes", "@type": "@id"},
    "reciprocal": {"@id": "vf:reciprocal", "@type": "@id"},
    "stipulates": {"@id": "vf:stipulates", "@type": "@id"},
    "satisfies": {"@id": "vf:satisfies", "@type": "@id"},
    "fulfills": {"@id": "vf:fulfills", "@type": "@id"},
    "corrects": {"@id": "vf:corrects", "@type": "@id"},
    "action": "vf:action",
    "provider": {"@id": "vf:provider", "@type": "@id"},
    "receiver": {"@id": "vf:receiver", "@type": "@id"},
    "resourceQuantity": "vf:resourceQuantity",
    "hasPointInTime": {"@id": "vf:hasPointInTime", "@type": "xsd:dateTime"},
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "hasUnit": "om2:hasUnit",
    "hasNumericalValue": "om2:hasNumericalValue"
  }
]`

// Context returns a fresh copy of the inline @context value written into
// every document.
func Context() []any {
	var v []any
	if err := json.Unmarshal([]byte(contextJSON), &v); err != nil {
		panic("vocab: bad built-in context: " + err.Error())
	}
	return v
}

// ContextDocument returns the JSON-LD document that defines the inline
// terms (the object part of Context), to serve at the namespace URL.
func ContextDocument() []byte {
	c := Context()
	terms := c[len(c)-1].(map[string]any)
	var extra map[string]any
	if err := json.Unmarshal([]byte(nsOnlyTerms), &extra); err != nil {
		panic("vocab: bad namespace terms: " + err.Error())
	}
	for k, v := range extra {
		terms[k] = v
	}
	b, _ := json.MarshalIndent(map[string]any{"@context": terms}, "", "  ")
	return b
}

// nsOnlyTerms are terms of the project namespace that documents use as
// prefixed names ("commons:result"), so the inline context need not carry
// them: they are defined here, in the document served at the namespace URL.
// Governance (issue 11): the Question's kind and state, and the outcome
// note's machine-readable result. Partnerships (issue 12): an Agreement's
// terms in words (reciprocityTerms), a Commitment's period ("P1M": each
// month) and what a percentage is a share of (shareOf: "revenue").
const nsOnlyTerms = `{
  "proposalKind": "commons:proposalKind",
  "proposalState": "commons:proposalState",
  "decides": {"@id": "commons:decides", "@type": "@id"},
  "result": "commons:result",
  "method": "commons:method",
  "counts": {"@id": "commons:counts", "@container": "@index"},
  "voters": "commons:voters",
  "eligible": "commons:eligible",
  "quorumMet": "commons:quorumMet",
  "advisory": "commons:advisory",
  "effect": "commons:effect",
  "winner": "commons:winner",
  "ballots": {"@id": "commons:ballots", "@type": "@id"},
  "reciprocityTerms": "commons:reciprocityTerms",
  "period": {"@id": "commons:period", "@type": "xsd:duration"},
  "shareOf": "commons:shareOf"
}`

// Serialize builds the JSON-LD document of o (with Context). o must have a
// Type and an absolute ID.
func Serialize(o *Object) (map[string]any, error) {
	if o == nil {
		return nil, ErrNilObject
	}
	if o.Type == "" {
		return nil, ErrMissingType
	}
	if o.ID == "" {
		return nil, ErrMissingID
	}
	if !isAbsoluteIRI(o.ID) {
		return nil, ErrInvalidID
	}
	if o.IsActivity() && o.Actor == "" {
		return nil, ErrMissingActor
	}
	t := goFedType(o)
	m, err := streams.Serialize(t)
	if err != nil {
		return nil, fmt.Errorf("vocab: go-fed serialize %s: %w", o.Type, err)
	}
	if err := complete(m, o, 0); err != nil {
		return nil, err
	}
	m["@context"] = Context()
	if len(o.AssertionMethod) > 0 || len(o.Implements) > 0 {
		// Into the one inline object (readers expect the context's shape:
		// activitystreams, security/v1, our terms).
		c := m["@context"].([]any)
		terms := c[len(c)-1].(map[string]any)
		for k, v := range multikeyContext() {
			terms[k] = v
		}
	}
	return m, nil
}

// multikeyContextJSON defines the FEP-521a terms inline, with the IRIs of
// https://www.w3.org/ns/did/v1 (assertionMethod) and
// https://w3id.org/security/multikey/v1 (the rest), and FEP-844e's
// implements (as the WordPress plugin defines it), so that no peer has to
// fetch a context (offline Fedify rejects a document naming one it has not
// preloaded). They are added to the inline object of documents that carry
// assertionMethod or generator.implements only.
const multikeyContextJSON = `{
  "assertionMethod": {"@id": "https://w3id.org/security#assertionMethod", "@type": "@id", "@container": "@set"},
  "Multikey": "https://w3id.org/security#Multikey",
  "controller": {"@id": "https://w3id.org/security#controller", "@type": "@id"},
  "publicKeyMultibase": {"@id": "https://w3id.org/security#publicKeyMultibase", "@type": "https://w3id.org/security#multibase"},
  "implements": {"@id": "https://w3id.org/fep/844e/implements", "@type": "@id", "@container": "@list"}
}`

func multikeyContext() map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(multikeyContextJSON), &m); err != nil {
		panic("vocab: bad built-in context: " + err.Error())
	}
	return m
}

// Marshal is Serialize followed by json.Marshal.
func Marshal(o *Object) ([]byte, error) {
	m, err := Serialize(o)
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

func buildEmbedded(o *Object, depth int) (any, error) {
	if o == nil {
		return nil, nil
	}
	if o.isRef() {
		return o.ID, nil
	}
	if depth > maxDepth {
		if o.ID != "" {
			return o.ID, nil
		}
		return nil, nil
	}
	m, err := goFedType(o).Serialize()
	if err != nil {
		return nil, fmt.Errorf("vocab: go-fed serialize %s: %w", o.Type, err)
	}
	if err := complete(m, o, depth); err != nil {
		return nil, err
	}
	return m, nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

var contentTypes = map[string]bool{
	"Note": true, "Article": true, "Page": true, "Question": true, "Video": true,
	"Image": true, "Document": true, "Audio": true, "Event": true,
}

// complete adds to m every field of o that go-fed did not write (extension
// terms, and standard ones a go-fed type lacks), plus embedded objects.
func complete(m map[string]any, o *Object, depth int) error {
	delete(m, "@context")
	m["type"] = o.Type
	set := func(k string, v any) {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	setStr := func(k, v string) {
		if v != "" {
			set(k, v)
		}
	}
	setList := func(k string, l []string) {
		if len(l) > 0 {
			a := make([]any, len(l))
			for i, s := range l {
				a[i] = s
			}
			set(k, a)
		}
	}
	// Times are always written here: go-fed drops fractional seconds.
	setTime := func(k string, t time.Time) {
		if !t.IsZero() {
			m[k] = formatTime(t)
		}
	}
	setStr("id", o.ID)
	setStr("actor", o.Actor)
	for _, e := range []struct {
		k string
		v *Object
	}{{"object", o.Object}, {"target", o.Target}, {"origin", o.Origin}} {
		if e.v == nil {
			continue
		}
		v, err := buildEmbedded(e.v, depth+1)
		if err != nil {
			return err
		}
		if v != nil {
			m[e.k] = v
		}
	}
	setList("to", o.To)
	setList("cc", o.CC)
	setList("bto", o.BTo)
	setList("bcc", o.BCC)
	if len(o.Audience) == 1 {
		setStr("audience", o.Audience[0])
	} else {
		setList("audience", o.Audience)
	}
	setStr("name", o.Name)
	setStr("summary", o.Summary)
	setStr("content", o.Content)
	if len(o.ContentMap) > 0 {
		cm := make(map[string]any, len(o.ContentMap))
		for k, v := range o.ContentMap {
			cm[k] = v
		}
		m["contentMap"] = cm
	}
	setStr("mediaType", o.MediaType)
	if o.Source != nil {
		set("source", map[string]any{"content": o.Source.Content, "mediaType": o.Source.MediaType})
	}
	setTime("published", o.Published)
	setTime("updated", o.Updated)
	setTime("startTime", o.StartTime)
	setTime("endTime", o.EndTime)
	setTime("deleted", o.Deleted)
	if o.Closed != nil {
		if o.Closed.IsZero() {
			set("closed", true)
		} else {
			m["closed"] = formatTime(*o.Closed)
		}
	}
	if len(o.AttributedTo) == 1 {
		setStr("attributedTo", o.AttributedTo[0])
	} else {
		setList("attributedTo", o.AttributedTo)
	}
	if o.Moderators != "" {
		set("moderators", o.Moderators)
		if o.Type == "Group" {
			set("attributedTo", o.Moderators) // FEP-1b12 / Lemmy
		}
	}
	setStr("inReplyTo", o.InReplyTo)
	setStr("url", o.URL)
	if len(o.MediaLinks) > 0 {
		// A read Video's files: url becomes the list of its page and its media Links.
		urls := make([]any, 0, len(o.MediaLinks)+1)
		if o.URL != "" {
			urls = append(urls, map[string]any{"type": "Link", "mediaType": "text/html", "href": o.URL})
		}
		for _, l := range o.MediaLinks {
			lm := map[string]any{"type": "Link", "mediaType": l.MediaType, "href": l.URL}
			if l.Width > 0 {
				lm["width"] = l.Width
			}
			if l.Height > 0 {
				lm["height"] = l.Height
			}
			urls = append(urls, lm)
		}
		m["url"] = urls
	}
	setStr("context", o.Context)
	setStr("conversation", o.Conversation)
	if len(o.Tags) > 0 {
		tags := make([]any, 0, len(o.Tags))
		for _, t := range o.Tags {
			tm := map[string]any{}
			if t.Type != "" {
				tm["type"] = t.Type
			}
			if t.ID != "" {
				tm["id"] = t.ID
			}
			if t.Href != "" {
				tm["href"] = t.Href
			}
			if t.Name != "" {
				tm["name"] = t.Name
			}
			if t.Icon != "" {
				tm["icon"] = map[string]any{"type": "Image", "url": t.Icon}
			}
			tags = append(tags, tm)
		}
		m["tag"] = tags
	} else if actorTypes[o.Type] || contentTypes[o.Type] {
		set("tag", []any{})
	}
	if len(o.Attachments) > 0 || len(o.Fields) > 0 {
		att := make([]any, 0, len(o.Attachments)+len(o.Fields))
		for _, a := range o.Attachments {
			am := map[string]any{"type": a.Type}
			if a.Type == "" {
				am["type"] = "Document"
			}
			if a.MediaType != "" {
				am["mediaType"] = a.MediaType
			}
			if a.Rel != "" {
				am["rel"] = a.Rel
			}
			if a.URL != "" {
				if a.Type == "Link" {
					am["href"] = a.URL
				} else {
					am["url"] = a.URL
				}
			}
			if a.Name != "" {
				am["name"] = a.Name
			}
			if a.Blurhash != "" {
				am["blurhash"] = a.Blurhash
			}
			if a.Width > 0 {
				am["width"] = a.Width
			}
			if a.Height > 0 {
				am["height"] = a.Height
			}
			if len(a.FocalPoint) == 2 {
				am["focalPoint"] = []any{a.FocalPoint[0], a.FocalPoint[1]}
			}
			att = append(att, am)
		}
		for _, f := range o.Fields {
			att = append(att, map[string]any{"type": "PropertyValue", "name": f.Name, "value": f.Value})
		}
		m["attachment"] = att
	} else if actorTypes[o.Type] || contentTypes[o.Type] {
		set("attachment", []any{})
	}
	if contentTypes[o.Type] || o.Sensitive {
		m["sensitive"] = o.Sensitive
	}
	if len(o.OneOf) > 0 {
		set("oneOf", optionsJSON(o.OneOf))
	}
	if len(o.AnyOf) > 0 {
		set("anyOf", optionsJSON(o.AnyOf))
	}
	if o.Type == "Question" {
		set("votersCount", o.VotersCount)
	}
	setColl := func(k, id string, n int) {
		if id == "" && n == 0 {
			return
		}
		c := map[string]any{"type": "Collection", "totalItems": n}
		if id != "" {
			c["id"] = id
		}
		set(k, c)
	}
	setColl("replies", o.Replies, o.RepliesCount)
	setColl("likes", o.Likes, o.LikesCount)
	setColl("shares", o.Shares, o.SharesCount)
	setStr("formerType", o.FormerType)

	setStr("preferredUsername", o.PreferredUsername)
	setStr("inbox", o.Inbox)
	setStr("outbox", o.Outbox)
	setStr("followers", o.Followers)
	setStr("following", o.Following)
	setStr("featured", o.Featured)
	setStr("featuredTags", o.FeaturedTags)
	if o.SharedInbox != "" {
		m["endpoints"] = map[string]any{"sharedInbox": o.SharedInbox}
	}
	if o.PublicKey != nil {
		set("publicKey", map[string]any{
			"id":           o.PublicKey.ID,
			"owner":        o.PublicKey.Owner,
			"publicKeyPem": o.PublicKey.PublicKeyPEM,
		})
	}
	if len(o.AssertionMethod) > 0 {
		keys := make([]any, 0, len(o.AssertionMethod))
		for _, k := range o.AssertionMethod {
			keys = append(keys, map[string]any{"id": k.ID, "type": k.Type, "controller": k.Controller,
				"publicKeyMultibase": k.PublicKeyMultibase})
		}
		set("assertionMethod", keys)
	}
	if len(o.Implements) > 0 {
		imps := make([]any, 0, len(o.Implements))
		for _, im := range o.Implements {
			imps = append(imps, map[string]any{"name": im.Name, "href": im.Href})
		}
		set("generator", map[string]any{"type": "Application", "implements": imps})
	}
	if actorTypes[o.Type] {
		m["manuallyApprovesFollowers"] = o.ManuallyApprovesFollowers
		m["discoverable"] = o.Discoverable
	}
	if o.Icon != "" {
		set("icon", map[string]any{"type": "Image", "url": o.Icon})
	}
	if o.Image != "" {
		set("image", map[string]any{"type": "Image", "url": o.Image})
	}
	setList("alsoKnownAs", o.AlsoKnownAs)
	setStr("movedTo", o.MovedTo)

	if o.TotalItems != nil {
		set("totalItems", *o.TotalItems)
	}
	setStr("first", o.First)
	setStr("last", o.Last)
	setStr("next", o.Next)
	setStr("prev", o.Prev)
	setStr("partOf", o.PartOf)
	itemsKey := "items"
	if o.Type == "OrderedCollection" || o.Type == "OrderedCollectionPage" {
		itemsKey = "orderedItems"
	}
	if len(o.Items) > 0 {
		// go-fed writes a one-element list as a bare value; collections are always
		// written as arrays, which every reader handles.
		if v, done := m[itemsKey]; done {
			if _, isList := v.([]any); !isList {
				m[itemsKey] = []any{v}
			}
		} else {
			items := make([]any, 0, len(o.Items))
			for _, it := range o.Items {
				v, err := buildEmbedded(it, depth+1)
				if err != nil {
					return err
				}
				if v != nil {
					items = append(items, v)
				}
			}
			m[itemsKey] = items
		}
	} else if o.Type == "OrderedCollectionPage" || o.Type == "CollectionPage" {
		set(itemsKey, []any{})
	}
	for k, v := range o.Extra {
		if k == "@context" {
			continue
		}
		set(k, v)
	}
	return nil
}

func optionsJSON(opts []QuestionOption) []any {
	out := make([]any, len(opts))
	for i, q := range opts {
		out[i] = map[string]any{
			"type":    "Note",
			"name":    q.Name,
			"replies": map[string]any{"type": "Collection", "totalItems": q.Replies},
		}
	}
	return out
}
