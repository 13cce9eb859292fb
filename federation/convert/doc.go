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
// Inbound reading (remote notes, actors) is not here yet: it lives in the inbox
// handlers and federation/fetch, which read the raw JSON once, strictly.
package convert
