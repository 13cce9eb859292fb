// Package signing signs and verifies ActivityPub HTTP requests the way
// Mastodon, Fedify and friends do.
//
// Outgoing requests are signed with draft-cavage HTTP Signatures
// (SignRequest, through go-fed/httpsig v1.1.0). SignRequestRFC9421 produces
// RFC 9421 signatures in Fedify's format, for peers that want them and for
// tests.
//
// Incoming requests are checked by Verifier.Verify, which accepts both
// draft-cavage and RFC 9421 signatures and enforces what go-fed/httpsig
// does not: which headers are covered, the Date/created window, and that
// Digest/Content-Digest matches the body. It fetches keys through a
// caller-supplied KeyFetcher and retries once with a refreshed key when a
// signature fails, to follow key rotation.
//
// Verify proves only which key signed the request. Whether that key's
// Owner may act as the activity's actor is for the caller to decide.
package signing
