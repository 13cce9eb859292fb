// Package vocab converts between ActivityStreams 2.0 JSON documents and
// commonsd's plain Go structs. It is the only package in the project that
// imports go-fed's streams packages: nothing in its exported API is a go-fed
// type, so the rest of the code (and its tests) never compile streams.
//
// # Reading
//
// [Parse] decodes the JSON into a map and fills an [Object] from it with
// lenient readers (every AS2 property may be a string, an IRI, an embedded
// object or an array of those). go-fed's streams.ToType is then run on
// documents whose type it knows, and its strict reading of the standard
// vocabulary (times, Question oneOf/anyOf with reply totals, votersCount,
// endTime, closed) is laid over the raw reading where it produced a value.
// go-fed never removes data: the terms it lacks (sensitive,
// manuallyApprovesFollowers, endpoints.sharedInbox, Hashtag, Mention,
// PropertyValue, alsoKnownAs, movedTo, contentMap, Lemmy's moderators,
// audience...) come from the raw JSON, and an unmatched or failing go-fed
// reading is recorded in Object.VocabErr instead of failing the parse.
// Object.Raw keeps the decoded document for extension terms.
//
// Inbound documents do not go through go-fed: an activity received in an
// inbox is read by [ParseInbound], a fetched document (actor, object, key,
// collection page) by [ParseDocument]. Both read the JSON once with a strict
// tokenizer and fill the Object directly (about 4x faster than Parse on a
// Mastodon note); ParseDocument leaves out the rules that only make sense for
// an activity. [Parse] stays for checking that go-fed reads our own outbound
// documents (the round-trip tests) and for our own stored documents.
//
// Decision on @context: [Parse] accepts a document without "@context" and
// reads it as plain ActivityStreams (Lemmy and others omit it on embedded
// and some top-level documents; the fixtures taken from Lemmy have none).
// [ParseStrict] requires it and returns [ErrMissingContext].
// A top-level document must have a string "type", an absolute "id", and an
// activity must have an "actor"; embedded objects may be bare IRIs or
// anonymous.
//
// # Writing
//
// [Serialize] builds the standard vocabulary with go-fed types and
// streams.Serialize, replaces go-fed's "@context" (which names
// http://joinmastodon.org/ns as a bare URL, rejected by strict peers) with
// the fixed inline [Context], and adds the extension terms Mastodon and
// Lemmy read. Every field is then checked against the map so that no field
// is lost where a go-fed type lacks the property.
package vocab
