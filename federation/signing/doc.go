// Package signing signs and verifies ActivityPub HTTP requests the way
// Mastodon, Fedify and friends do.
//
// Outgoing requests are signed with draft-cavage HTTP Signatures
// (SignRequest, through go-fed/httpsig v1.1.0) and RSA-2048, or, toward peers
// whose actors advertise an Ed25519 FEP-521a Multikey in assertionMethod
// (commonsd), with RFC 9421 and Ed25519 (SignRequestEd25519): ~40x cheaper to
// sign. SignRequestRFC9421 produces RSA RFC 9421 signatures in Fedify's
// format, for tests. (The Multikey text form of Ed25519 keys is in models:
// EncodeMultikey, DecodeMultikey.)
//
// Incoming requests are checked by Verifier.Verify, which accepts both
// draft-cavage (RSA) and RFC 9421 (RSA or Ed25519) signatures and enforces what go-fed/httpsig
// does not: which headers are covered, the Date/created window, and that
// Digest/Content-Digest matches the body. It fetches keys through a
// caller-supplied KeyFetcher and retries once with a refreshed key when a
// signature fails, to follow key rotation.
//
// Verify proves only which key signed the request. Whether that key's
// Owner may act as the activity's actor is for the caller to decide.
package signing
