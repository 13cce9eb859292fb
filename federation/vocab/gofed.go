package vocab

import (
	"context"
	"fmt"
	"net/url"

	"github.com/go-fed/activity/streams"
	gv "github.com/go-fed/activity/streams/vocab"
)

const asContext = "https://www.w3.org/ns/activitystreams"

// goFedCtors maps the types we write through go-fed to their constructors.
var goFedCtors = map[string]func() gv.Type{
	"Accept":                func() gv.Type { return streams.NewActivityStreamsAccept() },
	"Add":                   func() gv.Type { return streams.NewActivityStreamsAdd() },
	"Announce":              func() gv.Type { return streams.NewActivityStreamsAnnounce() },
	"Block":                 func() gv.Type { return streams.NewActivityStreamsBlock() },
	"Create":                func() gv.Type { return streams.NewActivityStreamsCreate() },
	"Delete":                func() gv.Type { return streams.NewActivityStreamsDelete() },
	"Dislike":               func() gv.Type { return streams.NewActivityStreamsDislike() },
	"Flag":                  func() gv.Type { return streams.NewActivityStreamsFlag() },
	"Follow":                func() gv.Type { return streams.NewActivityStreamsFollow() },
	"Ignore":                func() gv.Type { return streams.NewActivityStreamsIgnore() },
	"Invite":                func() gv.Type { return streams.NewActivityStreamsInvite() },
	"Join":                  func() gv.Type { return streams.NewActivityStreamsJoin() },
	"Leave":                 func() gv.Type { return streams.NewActivityStreamsLeave() },
	"Like":                  func() gv.Type { return streams.NewActivityStreamsLike() },
	"Move":                  func() gv.Type { return streams.NewActivityStreamsMove() },
	"Offer":                 func() gv.Type { return streams.NewActivityStreamsOffer() },
	"Reject":                func() gv.Type { return streams.NewActivityStreamsReject() },
	"Remove":                func() gv.Type { return streams.NewActivityStreamsRemove() },
	"TentativeAccept":       func() gv.Type { return streams.NewActivityStreamsTentativeAccept() },
	"TentativeReject":       func() gv.Type { return streams.NewActivityStreamsTentativeReject() },
	"Undo":                  func() gv.Type { return streams.NewActivityStreamsUndo() },
	"Update":                func() gv.Type { return streams.NewActivityStreamsUpdate() },
	"View":                  func() gv.Type { return streams.NewActivityStreamsView() },
	"Read":                  func() gv.Type { return streams.NewActivityStreamsRead() },
	"Activity":              func() gv.Type { return streams.NewActivityStreamsActivity() },
	"Person":                func() gv.Type { return streams.NewActivityStreamsPerson() },
	"Group":                 func() gv.Type { return streams.NewActivityStreamsGroup() },
	"Organization":          func() gv.Type { return streams.NewActivityStreamsOrganization() },
	"Application":           func() gv.Type { return streams.NewActivityStreamsApplication() },
	"Service":               func() gv.Type { return streams.NewActivityStreamsService() },
	"Object":                func() gv.Type { return streams.NewActivityStreamsObject() },
	"Note":                  func() gv.Type { return streams.NewActivityStreamsNote() },
	"Article":               func() gv.Type { return streams.NewActivityStreamsArticle() },
	"Page":                  func() gv.Type { return streams.NewActivityStreamsPage() },
	"Question":              func() gv.Type { return streams.NewActivityStreamsQuestion() },
	"Tombstone":             func() gv.Type { return streams.NewActivityStreamsTombstone() },
	"Event":                 func() gv.Type { return streams.NewActivityStreamsEvent() },
	"Document":              func() gv.Type { return streams.NewActivityStreamsDocument() },
	"Image":                 func() gv.Type { return streams.NewActivityStreamsImage() },
	"Video":                 func() gv.Type { return streams.NewActivityStreamsVideo() },
	"Audio":                 func() gv.Type { return streams.NewActivityStreamsAudio() },
	"Place":                 func() gv.Type { return streams.NewActivityStreamsPlace() },
	"Collection":            func() gv.Type { return streams.NewActivityStreamsCollection() },
	"OrderedCollection":     func() gv.Type { return streams.NewActivityStreamsOrderedCollection() },
	"CollectionPage":        func() gv.Type { return streams.NewActivityStreamsCollectionPage() },
	"OrderedCollectionPage": func() gv.Type { return streams.NewActivityStreamsOrderedCollectionPage() },
}

// ---------------------------------------------------------------- reading

// applyGoFed runs go-fed's strict reading on a document of a type it knows
// and lays its standard-vocabulary values over the raw reading.
func applyGoFed(o *Object, m map[string]any, hasCtx bool) {
	if _, ok := goFedCtors[o.Type]; !ok {
		return // unknown to go-fed (EmojiReact, ChatMessage...): raw reading only
	}
	mm := m
	if !hasCtx {
		mm = make(map[string]any, len(m)+1)
		for k, v := range m {
			mm[k] = v
		}
		mm["@context"] = asContext
	}
	t, err := toType(mm)
	if err != nil {
		if !streams.IsUnmatchedErr(err) {
			o.VocabErr = err
		}
		return
	}
	overlay(o, t, 0)
}

func (o *Object) isRef() bool { return o.ID != "" && o.Type == "" }

func allRefs(l []*Object) bool {
	for _, it := range l {
		if it == nil || !it.isRef() {
			return false
		}
	}
	return true
}

func toType(m map[string]any) (t gv.Type, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("go-fed panic: %v", r)
		}
	}()
	return streams.ToType(context.Background(), m)
}

type (
	getPublished interface {
		GetActivityStreamsPublished() gv.ActivityStreamsPublishedProperty
	}
	getUpdated interface {
		GetActivityStreamsUpdated() gv.ActivityStreamsUpdatedProperty
	}
	getEndTime interface {
		GetActivityStreamsEndTime() gv.ActivityStreamsEndTimeProperty
	}
	getClosed interface {
		GetActivityStreamsClosed() gv.ActivityStreamsClosedProperty
	}
	getVoters interface {
		GetTootVotersCount() gv.TootVotersCountProperty
	}
	getOneOf interface {
		GetActivityStreamsOneOf() gv.ActivityStreamsOneOfProperty
	}
	getAnyOf interface {
		GetActivityStreamsAnyOf() gv.ActivityStreamsAnyOfProperty
	}
	getName interface {
		GetActivityStreamsName() gv.ActivityStreamsNameProperty
	}
	getReplies interface {
		GetActivityStreamsReplies() gv.ActivityStreamsRepliesProperty
	}
	getObject interface {
		GetActivityStreamsObject() gv.ActivityStreamsObjectProperty
	}
	getTotal interface {
		GetActivityStreamsTotalItems() gv.ActivityStreamsTotalItemsProperty
	}
)

func overlay(o *Object, t gv.Type, depth int) {
	if o == nil || t == nil || depth > maxDepth {
		return
	}
	if g, ok := t.(getPublished); ok {
		if p := g.GetActivityStreamsPublished(); p != nil && p.IsXMLSchemaDateTime() && o.Published.IsZero() {
			o.Published = p.Get().UTC()
		}
	}
	if g, ok := t.(getUpdated); ok {
		if p := g.GetActivityStreamsUpdated(); p != nil && p.IsXMLSchemaDateTime() && o.Updated.IsZero() {
			o.Updated = p.Get().UTC()
		}
	}
	if g, ok := t.(getEndTime); ok {
		if p := g.GetActivityStreamsEndTime(); p != nil && p.IsXMLSchemaDateTime() && o.EndTime.IsZero() {
			o.EndTime = p.Get().UTC()
		}
	}
	if g, ok := t.(getClosed); ok && o.Closed == nil {
		if p := g.GetActivityStreamsClosed(); p != nil {
			for it := p.Begin(); it != p.End(); it = it.Next() {
				if it.IsXMLSchemaDateTime() {
					c := it.GetXMLSchemaDateTime().UTC()
					o.Closed = &c
				} else if it.IsXMLSchemaBoolean() && it.GetXMLSchemaBoolean() {
					c := o.EndTime
					o.Closed = &c
				}
			}
		}
	}
	if g, ok := t.(getVoters); ok {
		if p := g.GetTootVotersCount(); p != nil && p.IsXMLSchemaNonNegativeInteger() {
			o.VotersCount = p.Get()
		}
	}
	if g, ok := t.(getOneOf); ok {
		if p := g.GetActivityStreamsOneOf(); p != nil && p.Len() > 0 {
			var opts []QuestionOption
			for it := p.Begin(); it != p.End(); it = it.Next() {
				opts = append(opts, goFedOption(it.GetType()))
			}
			o.OneOf = mergeOptions(o.OneOf, opts)
		}
	}
	if g, ok := t.(getAnyOf); ok {
		if p := g.GetActivityStreamsAnyOf(); p != nil && p.Len() > 0 {
			var opts []QuestionOption
			for it := p.Begin(); it != p.End(); it = it.Next() {
				opts = append(opts, goFedOption(it.GetType()))
			}
			o.AnyOf = mergeOptions(o.AnyOf, opts)
		}
	}
	if g, ok := t.(getTotal); ok && o.TotalItems == nil {
		if p := g.GetActivityStreamsTotalItems(); p != nil && p.IsXMLSchemaNonNegativeInteger() {
			n := p.Get()
			o.TotalItems = &n
		}
	}
	if g, ok := t.(getObject); ok && o.Object != nil && !o.Object.IsIRIOnly() {
		if p := g.GetActivityStreamsObject(); p != nil && p.Len() > 0 {
			overlay(o.Object, p.Begin().GetType(), depth+1)
		}
	}
}

// mergeOptions prefers go-fed's reading, keeping raw names where go-fed had
// none (e.g. nameMap only).
func mergeOptions(raw, gf []QuestionOption) []QuestionOption {
	if len(gf) != len(raw) {
		if len(raw) > 0 {
			return raw
		}
		return gf
	}
	for i := range gf {
		if gf[i].Name == "" {
			gf[i].Name = raw[i].Name
		}
		if gf[i].Replies == 0 {
			gf[i].Replies = raw[i].Replies
		}
	}
	return gf
}

func goFedOption(t gv.Type) QuestionOption {
	var q QuestionOption
	if t == nil {
		return q
	}
	if g, ok := t.(getName); ok {
		if p := g.GetActivityStreamsName(); p != nil {
			for it := p.Begin(); it != p.End(); it = it.Next() {
				if it.IsXMLSchemaString() {
					q.Name = it.GetXMLSchemaString()
					break
				}
			}
		}
	}
	if g, ok := t.(getReplies); ok {
		if p := g.GetActivityStreamsReplies(); p != nil && p.IsActivityStreamsCollection() {
			if c := p.GetActivityStreamsCollection(); c != nil {
				if ti := c.GetActivityStreamsTotalItems(); ti != nil && ti.IsXMLSchemaNonNegativeInteger() {
					q.Replies = ti.Get()
				}
			}
		}
	}
	return q
}

// ---------------------------------------------------------------- writing

type (
	setID interface{ SetJSONLDId(gv.JSONLDIdProperty) }
	setTo interface {
		SetActivityStreamsTo(gv.ActivityStreamsToProperty)
	}
	setCc interface {
		SetActivityStreamsCc(gv.ActivityStreamsCcProperty)
	}
	setBto interface {
		SetActivityStreamsBto(gv.ActivityStreamsBtoProperty)
	}
	setBcc interface {
		SetActivityStreamsBcc(gv.ActivityStreamsBccProperty)
	}
	setAudience interface {
		SetActivityStreamsAudience(gv.ActivityStreamsAudienceProperty)
	}
	setActor interface {
		SetActivityStreamsActor(gv.ActivityStreamsActorProperty)
	}
	setObject interface {
		SetActivityStreamsObject(gv.ActivityStreamsObjectProperty)
	}
	setTarget interface {
		SetActivityStreamsTarget(gv.ActivityStreamsTargetProperty)
	}
	setOrigin interface {
		SetActivityStreamsOrigin(gv.ActivityStreamsOriginProperty)
	}
	setName interface {
		SetActivityStreamsName(gv.ActivityStreamsNameProperty)
	}
	setSummary interface {
		SetActivityStreamsSummary(gv.ActivityStreamsSummaryProperty)
	}
	setContent interface {
		SetActivityStreamsContent(gv.ActivityStreamsContentProperty)
	}
	setMediaType interface {
		SetActivityStreamsMediaType(gv.ActivityStreamsMediaTypeProperty)
	}
	setPublished interface {
		SetActivityStreamsPublished(gv.ActivityStreamsPublishedProperty)
	}
	setUpdated interface {
		SetActivityStreamsUpdated(gv.ActivityStreamsUpdatedProperty)
	}
	setStartTime interface {
		SetActivityStreamsStartTime(gv.ActivityStreamsStartTimeProperty)
	}
	setEndTime interface {
		SetActivityStreamsEndTime(gv.ActivityStreamsEndTimeProperty)
	}
	setDeleted interface {
		SetActivityStreamsDeleted(gv.ActivityStreamsDeletedProperty)
	}
	setClosed interface {
		SetActivityStreamsClosed(gv.ActivityStreamsClosedProperty)
	}
	setAttributedTo interface {
		SetActivityStreamsAttributedTo(gv.ActivityStreamsAttributedToProperty)
	}
	setInReplyTo interface {
		SetActivityStreamsInReplyTo(gv.ActivityStreamsInReplyToProperty)
	}
	setURL interface {
		SetActivityStreamsUrl(gv.ActivityStreamsUrlProperty)
	}
	setCtx interface {
		SetActivityStreamsContext(gv.ActivityStreamsContextProperty)
	}
	setIcon interface {
		SetActivityStreamsIcon(gv.ActivityStreamsIconProperty)
	}
	setImage interface {
		SetActivityStreamsImage(gv.ActivityStreamsImageProperty)
	}
	setFormerType interface {
		SetActivityStreamsFormerType(gv.ActivityStreamsFormerTypeProperty)
	}
	setPreferredUsername interface {
		SetActivityStreamsPreferredUsername(gv.ActivityStreamsPreferredUsernameProperty)
	}
	setInbox interface {
		SetActivityStreamsInbox(gv.ActivityStreamsInboxProperty)
	}
	setOutbox interface {
		SetActivityStreamsOutbox(gv.ActivityStreamsOutboxProperty)
	}
	setFollowers interface {
		SetActivityStreamsFollowers(gv.ActivityStreamsFollowersProperty)
	}
	setFollowing interface {
		SetActivityStreamsFollowing(gv.ActivityStreamsFollowingProperty)
	}
	setFeatured     interface{ SetTootFeatured(gv.TootFeaturedProperty) }
	setDiscoverable interface {
		SetTootDiscoverable(gv.TootDiscoverableProperty)
	}
	setPublicKey interface {
		SetW3IDSecurityV1PublicKey(gv.W3IDSecurityV1PublicKeyProperty)
	}
	setOneOf interface {
		SetActivityStreamsOneOf(gv.ActivityStreamsOneOfProperty)
	}
	setAnyOf interface {
		SetActivityStreamsAnyOf(gv.ActivityStreamsAnyOfProperty)
	}
	setVotersCount interface {
		SetTootVotersCount(gv.TootVotersCountProperty)
	}
	setTotalItems interface {
		SetActivityStreamsTotalItems(gv.ActivityStreamsTotalItemsProperty)
	}
	setFirst interface {
		SetActivityStreamsFirst(gv.ActivityStreamsFirstProperty)
	}
	setLast interface {
		SetActivityStreamsLast(gv.ActivityStreamsLastProperty)
	}
	setNext interface {
		SetActivityStreamsNext(gv.ActivityStreamsNextProperty)
	}
	setPrev interface {
		SetActivityStreamsPrev(gv.ActivityStreamsPrevProperty)
	}
	setPartOf interface {
		SetActivityStreamsPartOf(gv.ActivityStreamsPartOfProperty)
	}
	setItems interface {
		SetActivityStreamsItems(gv.ActivityStreamsItemsProperty)
	}
	setOrderedItems interface {
		SetActivityStreamsOrderedItems(gv.ActivityStreamsOrderedItemsProperty)
	}
	setReplies interface {
		SetActivityStreamsReplies(gv.ActivityStreamsRepliesProperty)
	}
)

// parseIRI returns nil for strings that are not URLs (go-fed stores IRIs
// as *url.URL); such values are then written directly to the map.
func parseIRI(s string) *url.URL {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.String() != s {
		// url.URL would re-encode it (a second '#' becomes %23, as in
		// WordPress ids): write the string as given instead.
		return nil
	}
	return u
}

type iriAppender interface{ AppendIRI(*url.URL) }

func appendIRIs(p iriAppender, l []string) bool {
	ok := false
	for _, s := range l {
		if u := parseIRI(s); u != nil {
			p.AppendIRI(u)
			ok = true
		}
	}
	return ok
}

// goFedType writes the standard vocabulary of o into a go-fed type. Types
// unknown to go-fed are built as a generic Object (or Activity when o has
// an actor); the caller fixes "type" in the serialized map.
func goFedType(o *Object) gv.Type {
	ctor, ok := goFedCtors[o.Type]
	if !ok {
		// Extension types: build as a generic Object/Activity, fix the type later.
		if o.Actor != "" {
			ctor = goFedCtors["Activity"]
		} else {
			ctor = goFedCtors["Object"]
		}
	}
	t := ctor()
	if u := parseIRI(o.ID); u != nil {
		if s, ok := t.(setID); ok {
			p := streams.NewJSONLDIdProperty()
			p.Set(u)
			s.SetJSONLDId(p)
		}
	}
	if s, ok := t.(setTo); ok && len(o.To) > 0 {
		p := streams.NewActivityStreamsToProperty()
		if appendIRIs(p, o.To) {
			s.SetActivityStreamsTo(p)
		}
	}
	if s, ok := t.(setCc); ok && len(o.CC) > 0 {
		p := streams.NewActivityStreamsCcProperty()
		if appendIRIs(p, o.CC) {
			s.SetActivityStreamsCc(p)
		}
	}
	if s, ok := t.(setBto); ok && len(o.BTo) > 0 {
		p := streams.NewActivityStreamsBtoProperty()
		if appendIRIs(p, o.BTo) {
			s.SetActivityStreamsBto(p)
		}
	}
	if s, ok := t.(setBcc); ok && len(o.BCC) > 0 {
		p := streams.NewActivityStreamsBccProperty()
		if appendIRIs(p, o.BCC) {
			s.SetActivityStreamsBcc(p)
		}
	}
	if s, ok := t.(setAudience); ok && len(o.Audience) > 0 {
		p := streams.NewActivityStreamsAudienceProperty()
		if appendIRIs(p, o.Audience) {
			s.SetActivityStreamsAudience(p)
		}
	}
	if s, ok := t.(setActor); ok && o.Actor != "" {
		p := streams.NewActivityStreamsActorProperty()
		if appendIRIs(p, []string{o.Actor}) {
			s.SetActivityStreamsActor(p)
		}
	}
	// Embedded object/target/origin are added to the map by the caller;
	// bare IRIs go through go-fed.
	if s, ok := t.(setObject); ok && o.Object != nil && o.Object.isRef() {
		p := streams.NewActivityStreamsObjectProperty()
		if appendIRIs(p, []string{o.Object.ID}) {
			s.SetActivityStreamsObject(p)
		}
	}
	if s, ok := t.(setTarget); ok && o.Target != nil && o.Target.isRef() {
		p := streams.NewActivityStreamsTargetProperty()
		if appendIRIs(p, []string{o.Target.ID}) {
			s.SetActivityStreamsTarget(p)
		}
	}
	if s, ok := t.(setOrigin); ok && o.Origin != nil && o.Origin.isRef() {
		p := streams.NewActivityStreamsOriginProperty()
		if appendIRIs(p, []string{o.Origin.ID}) {
			s.SetActivityStreamsOrigin(p)
		}
	}
	if s, ok := t.(setName); ok && o.Name != "" {
		p := streams.NewActivityStreamsNameProperty()
		p.AppendXMLSchemaString(o.Name)
		s.SetActivityStreamsName(p)
	}
	if s, ok := t.(setSummary); ok && o.Summary != "" {
		p := streams.NewActivityStreamsSummaryProperty()
		p.AppendXMLSchemaString(o.Summary)
		s.SetActivityStreamsSummary(p)
	}
	if s, ok := t.(setContent); ok && o.Content != "" {
		p := streams.NewActivityStreamsContentProperty()
		p.AppendXMLSchemaString(o.Content)
		s.SetActivityStreamsContent(p)
	}
	if s, ok := t.(setMediaType); ok && o.MediaType != "" {
		p := streams.NewActivityStreamsMediaTypeProperty()
		p.Set(o.MediaType)
		s.SetActivityStreamsMediaType(p)
	}
	if s, ok := t.(setPublished); ok && !o.Published.IsZero() {
		p := streams.NewActivityStreamsPublishedProperty()
		p.Set(o.Published)
		s.SetActivityStreamsPublished(p)
	}
	if s, ok := t.(setUpdated); ok && !o.Updated.IsZero() {
		p := streams.NewActivityStreamsUpdatedProperty()
		p.Set(o.Updated)
		s.SetActivityStreamsUpdated(p)
	}
	if s, ok := t.(setStartTime); ok && !o.StartTime.IsZero() {
		p := streams.NewActivityStreamsStartTimeProperty()
		p.Set(o.StartTime)
		s.SetActivityStreamsStartTime(p)
	}
	if s, ok := t.(setEndTime); ok && !o.EndTime.IsZero() {
		p := streams.NewActivityStreamsEndTimeProperty()
		p.Set(o.EndTime)
		s.SetActivityStreamsEndTime(p)
	}
	if s, ok := t.(setDeleted); ok && !o.Deleted.IsZero() {
		p := streams.NewActivityStreamsDeletedProperty()
		p.Set(o.Deleted)
		s.SetActivityStreamsDeleted(p)
	}
	if s, ok := t.(setClosed); ok && o.Closed != nil {
		p := streams.NewActivityStreamsClosedProperty()
		if o.Closed.IsZero() {
			p.AppendXMLSchemaBoolean(true)
		} else {
			p.AppendXMLSchemaDateTime(*o.Closed)
		}
		s.SetActivityStreamsClosed(p)
	}
	if s, ok := t.(setAttributedTo); ok && len(o.AttributedTo) > 0 {
		p := streams.NewActivityStreamsAttributedToProperty()
		if appendIRIs(p, o.AttributedTo) {
			s.SetActivityStreamsAttributedTo(p)
		}
	}
	if s, ok := t.(setInReplyTo); ok && o.InReplyTo != "" {
		p := streams.NewActivityStreamsInReplyToProperty()
		if appendIRIs(p, []string{o.InReplyTo}) {
			s.SetActivityStreamsInReplyTo(p)
		}
	}
	if s, ok := t.(setURL); ok && o.URL != "" {
		p := streams.NewActivityStreamsUrlProperty()
		if u := parseIRI(o.URL); u != nil {
			p.AppendXMLSchemaAnyURI(u)
			s.SetActivityStreamsUrl(p)
		}
	}
	if s, ok := t.(setCtx); ok && o.Context != "" {
		p := streams.NewActivityStreamsContextProperty()
		if appendIRIs(p, []string{o.Context}) {
			s.SetActivityStreamsContext(p)
		}
	}
	if s, ok := t.(setIcon); ok && o.Icon != "" {
		if img := goFedImage(o.Icon); img != nil {
			p := streams.NewActivityStreamsIconProperty()
			p.AppendActivityStreamsImage(img)
			s.SetActivityStreamsIcon(p)
		}
	}
	if s, ok := t.(setImage); ok && o.Image != "" {
		if img := goFedImage(o.Image); img != nil {
			p := streams.NewActivityStreamsImageProperty()
			p.AppendActivityStreamsImage(img)
			s.SetActivityStreamsImage(p)
		}
	}
	if s, ok := t.(setFormerType); ok && o.FormerType != "" {
		p := streams.NewActivityStreamsFormerTypeProperty()
		p.AppendXMLSchemaString(o.FormerType)
		s.SetActivityStreamsFormerType(p)
	}
	if s, ok := t.(setPreferredUsername); ok && o.PreferredUsername != "" {
		p := streams.NewActivityStreamsPreferredUsernameProperty()
		p.SetXMLSchemaString(o.PreferredUsername)
		s.SetActivityStreamsPreferredUsername(p)
	}
	if s, ok := t.(setInbox); ok {
		if u := parseIRI(o.Inbox); u != nil {
			p := streams.NewActivityStreamsInboxProperty()
			p.SetIRI(u)
			s.SetActivityStreamsInbox(p)
		}
	}
	if s, ok := t.(setOutbox); ok {
		if u := parseIRI(o.Outbox); u != nil {
			p := streams.NewActivityStreamsOutboxProperty()
			p.SetIRI(u)
			s.SetActivityStreamsOutbox(p)
		}
	}
	if s, ok := t.(setFollowers); ok {
		if u := parseIRI(o.Followers); u != nil {
			p := streams.NewActivityStreamsFollowersProperty()
			p.SetIRI(u)
			s.SetActivityStreamsFollowers(p)
		}
	}
	if s, ok := t.(setFollowing); ok {
		if u := parseIRI(o.Following); u != nil {
			p := streams.NewActivityStreamsFollowingProperty()
			p.SetIRI(u)
			s.SetActivityStreamsFollowing(p)
		}
	}
	if s, ok := t.(setFeatured); ok {
		if u := parseIRI(o.Featured); u != nil {
			p := streams.NewTootFeaturedProperty()
			p.SetIRI(u)
			s.SetTootFeatured(p)
		}
	}
	if s, ok := t.(setDiscoverable); ok && actorTypes[o.Type] {
		p := streams.NewTootDiscoverableProperty()
		p.Set(o.Discoverable)
		s.SetTootDiscoverable(p)
	}
	if s, ok := t.(setPublicKey); ok && o.PublicKey != nil {
		k := streams.NewW3IDSecurityV1PublicKey()
		if u := parseIRI(o.PublicKey.ID); u != nil {
			id := streams.NewJSONLDIdProperty()
			id.Set(u)
			k.SetJSONLDId(id)
		}
		if u := parseIRI(o.PublicKey.Owner); u != nil {
			ow := streams.NewW3IDSecurityV1OwnerProperty()
			ow.Set(u)
			k.SetW3IDSecurityV1Owner(ow)
		}
		pem := streams.NewW3IDSecurityV1PublicKeyPemProperty()
		pem.Set(o.PublicKey.PublicKeyPEM)
		k.SetW3IDSecurityV1PublicKeyPem(pem)
		p := streams.NewW3IDSecurityV1PublicKeyProperty()
		if err := p.AppendType(k); err == nil {
			s.SetW3IDSecurityV1PublicKey(p)
		}
	}
	if s, ok := t.(setOneOf); ok && len(o.OneOf) > 0 {
		p := streams.NewActivityStreamsOneOfProperty()
		for _, q := range o.OneOf {
			p.AppendActivityStreamsNote(goFedOptionNote(q))
		}
		s.SetActivityStreamsOneOf(p)
	}
	if s, ok := t.(setAnyOf); ok && len(o.AnyOf) > 0 {
		p := streams.NewActivityStreamsAnyOfProperty()
		for _, q := range o.AnyOf {
			p.AppendActivityStreamsNote(goFedOptionNote(q))
		}
		s.SetActivityStreamsAnyOf(p)
	}
	if s, ok := t.(setVotersCount); ok && o.Type == "Question" {
		p := streams.NewTootVotersCountProperty()
		p.Set(o.VotersCount)
		s.SetTootVotersCount(p)
	}
	if s, ok := t.(setTotalItems); ok && o.TotalItems != nil {
		p := streams.NewActivityStreamsTotalItemsProperty()
		p.Set(*o.TotalItems)
		s.SetActivityStreamsTotalItems(p)
	}
	if s, ok := t.(setFirst); ok {
		if u := parseIRI(o.First); u != nil {
			p := streams.NewActivityStreamsFirstProperty()
			p.SetIRI(u)
			s.SetActivityStreamsFirst(p)
		}
	}
	if s, ok := t.(setLast); ok {
		if u := parseIRI(o.Last); u != nil {
			p := streams.NewActivityStreamsLastProperty()
			p.SetIRI(u)
			s.SetActivityStreamsLast(p)
		}
	}
	if s, ok := t.(setNext); ok {
		if u := parseIRI(o.Next); u != nil {
			p := streams.NewActivityStreamsNextProperty()
			p.SetIRI(u)
			s.SetActivityStreamsNext(p)
		}
	}
	if s, ok := t.(setPrev); ok {
		if u := parseIRI(o.Prev); u != nil {
			p := streams.NewActivityStreamsPrevProperty()
			p.SetIRI(u)
			s.SetActivityStreamsPrev(p)
		}
	}
	if s, ok := t.(setPartOf); ok {
		if u := parseIRI(o.PartOf); u != nil {
			p := streams.NewActivityStreamsPartOfProperty()
			p.SetIRI(u)
			s.SetActivityStreamsPartOf(p)
		}
	}
	if o.Replies != "" || o.RepliesCount > 0 {
		if s, ok := t.(setReplies); ok {
			c := streams.NewActivityStreamsCollection()
			if u := parseIRI(o.Replies); u != nil {
				id := streams.NewJSONLDIdProperty()
				id.Set(u)
				c.SetJSONLDId(id)
			}
			ti := streams.NewActivityStreamsTotalItemsProperty()
			ti.Set(o.RepliesCount)
			c.SetActivityStreamsTotalItems(ti)
			p := streams.NewActivityStreamsRepliesProperty()
			p.SetActivityStreamsCollection(c)
			s.SetActivityStreamsReplies(p)
		}
	}
	// Items that are all bare IRIs go through go-fed; embedded ones are
	// added by the caller.
	if len(o.Items) > 0 && allRefs(o.Items) {
		ids := make([]string, len(o.Items))
		for i, it := range o.Items {
			ids[i] = it.ID
		}
		if s, ok := t.(setOrderedItems); ok {
			p := streams.NewActivityStreamsOrderedItemsProperty()
			if appendIRIs(p, ids) {
				s.SetActivityStreamsOrderedItems(p)
			}
		} else if s, ok := t.(setItems); ok {
			p := streams.NewActivityStreamsItemsProperty()
			if appendIRIs(p, ids) {
				s.SetActivityStreamsItems(p)
			}
		}
	}
	return t
}

func goFedImage(href string) gv.ActivityStreamsImage {
	u := parseIRI(href)
	if u == nil {
		return nil
	}
	img := streams.NewActivityStreamsImage()
	p := streams.NewActivityStreamsUrlProperty()
	p.AppendXMLSchemaAnyURI(u)
	img.SetActivityStreamsUrl(p)
	return img
}

func goFedOptionNote(q QuestionOption) gv.ActivityStreamsNote {
	n := streams.NewActivityStreamsNote()
	name := streams.NewActivityStreamsNameProperty()
	name.AppendXMLSchemaString(q.Name)
	n.SetActivityStreamsName(name)
	c := streams.NewActivityStreamsCollection()
	ti := streams.NewActivityStreamsTotalItemsProperty()
	ti.Set(q.Replies)
	c.SetActivityStreamsTotalItems(ti)
	r := streams.NewActivityStreamsRepliesProperty()
	r.SetActivityStreamsCollection(c)
	n.SetActivityStreamsReplies(r)
	return n
}
