// Package convert is the one home of conversions between our models and
// ActivityStreams (federation/vocab), as GoToSocial's typeutils is for it:
// documents we serve (actors, notes, contributions, ledger entries, collections)
// and the activities we publish.
//
// An outbound activity is a verb done to a typed object (service.Outbound and the
// kinds in service/core/objects.go). Each object kind has exactly one converter,
// registered by its Go type in the file that writes it (register in registry.go
// only dispatches). Adding a kind: the value type in service, one file here with
// its converter and an init() that registers it, a round-trip case in the tests.
// TestEveryObjectKindHasAConverter fails while a kind has none.
//
// Inbound: the inbox handlers and federation/fetch read the raw JSON once,
// strictly (vocab.ParseInbound, vocab.ParseDocument), check origins and
// authorship, and map what they keep with the plain functions of the
// inbound_*.go files here (no I/O, no store): RemoteNote and CreatedNote
// (remote notes and their visibility), RemoteActor (actor documents),
// OfferedContribution (a remote Offer of a contribution), FlaggedObjects (what a
// Flag reports) and AnswerReason (why an Offer was accepted or rejected).
package convert
