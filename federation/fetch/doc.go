// Package fetch fetches remote ActivityPub actors and objects safely: the
// one way commonsd reads another server.
//
//   - NewHTTPClient is the SSRF-safe client for every server-to-server
//     request (fetch and delivery): CheckAddr runs in the dialer's Control
//     hook on each resolved IP, so loopback, private, link-local, multicast,
//     CGNAT and other non-public addresses are refused before connect(2),
//     whatever DNS said and after every redirect. The configuration key
//     federation.allow_private_addresses (tests, development) lifts it.
//   - Policy is the domain policy (configuration blocklist and allowlist
//     mode, plus admins' run-time entries in the domain_policies table),
//     enforced on fetch and on redirects here, and by the inbox and
//     delivery through Policy.Allowed. It only reads: admins change entries
//     through the service (service.FederationAdmin), which reloads it.
//   - Fetcher.Get does signed GETs (draft-cavage, instance actor by
//     default) with an ActivityPub Accept header, redirect, size, status
//     and content-type rules, one request per URI at a time (singleflight).
//     Object adds the origin check; Actor converts fetched actors and has
//     the service store them (service.Actors.UpsertRemote; this package
//     writes nothing); FetchKey implements signing.KeyFetcher; Resolve turns
//     handles into actors through WebFinger, SubscribeTemplate finds an
//     account's remote-follow address.
//
// URIs on our own public host are never fetched: Actor and FetchKey read
// the store, Get answers ErrLocal.
//
// Errors wrap the sentinels of errors.go; ClientError maps them onto
// *errs.Error with a client-safe message (Resolve does it itself).
package fetch
