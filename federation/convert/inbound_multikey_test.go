package convert

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/mr-tron/base58"
)

// TestRemoteActorEd25519Multikey: which assertionMethod entry of a remote
// actor becomes its Ed25519 key, read from the document as the fetcher reads it.
func TestRemoteActorEd25519Multikey(t *testing.T) {
	const (
		id   = "https://remote.example/users/kim"
		good = "z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"
	)
	// An RSA Multikey: multicodec rsa-pub (0x1205) over a PKCS#1 key, as Fedify lists its RSA key.
	rsaMK := "z" + base58.Encode(append([]byte{0x85, 0x24}, bytes.Repeat([]byte{0x30}, 270)...))
	doc := func(am string) string {
		return fmt.Sprintf(`{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1","https://w3id.org/security/multikey/v1"],
"id":%q,"type":"Person","inbox":%q,"preferredUsername":"kim",
"publicKey":{"id":%q,"owner":%q,"publicKeyPem":"-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"},
"assertionMethod":%s}`, id, id+"/inbox", id+"#main-key", id, am)
	}
	mk := func(keyID, typ, controller, mb string) string {
		return fmt.Sprintf(`{"id":%q,"type":%q,"controller":%q,"publicKeyMultibase":%q}`, keyID, typ, controller, mb)
	}
	for _, tc := range []struct {
		name, am, wantID string
	}{
		{"one Ed25519 Multikey", mk(id+"#ed25519-key", "Multikey", id, good), id + "#ed25519-key"},
		{"single object, not a list", mk(id+"#k", "Multikey", id, good), id + "#k"},
		{"Fedify: RSA Multikey first, then Ed25519", "[" + mk(id+"#main-key", "Multikey", id, rsaMK) + "," + mk(id+"#key-2", "Multikey", id, good) + "]", id + "#key-2"},
		{"key id on another host", "[" + mk("https://evil.example/keys/1", "Multikey", id, good) + "]", ""},
		{"key id on another port", "[" + mk("https://remote.example:8443/users/kim#k", "Multikey", id, good) + "]", ""},
		{"controlled by another actor", "[" + mk(id+"#k", "Multikey", "https://remote.example/users/eve", good) + "]", ""},
		{"no controller", `[{"id":"` + id + `#k","type":"Multikey","publicKeyMultibase":"` + good + `"}]`, ""},
		{"not a Multikey", "[" + mk(id+"#k", "Ed25519VerificationKey2020", id, good) + "]", ""},
		{"key id is the actor", "[" + mk(id, "Multikey", id, good) + "]", ""},
		{"key id not http", "[" + mk("did:key:"+good, "Multikey", id, good) + "]", ""},
		{"RSA Multikey only", "[" + mk(id+"#main-key", "Multikey", id, rsaMK) + "]", ""},
		{"garbled multibase", "[" + mk(id+"#k", "Multikey", id, "z6MkNOTBASE58OIl") + "]", ""},
		{"IRI only", `["` + id + `#k"]`, ""},
		{"bad first, good second", "[" + mk("https://evil.example/k", "Multikey", id, good) + "," + mk(id+"#k2", "Multikey", id, good) + "]", id + "#k2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := vocab.ParseDocument([]byte(doc(tc.am)))
			if err != nil {
				t.Fatal(err)
			}
			a := RemoteActor(o, "remote.example", t0)
			check(t, "ed25519 key id", a.Ed25519KeyID, tc.wantID)
			want := ""
			if tc.wantID != "" {
				want = good
			}
			check(t, "ed25519 key", a.Ed25519PublicKey, want)
			check(t, "rsa key id untouched", a.PublicKeyID, id+"#main-key")
			if a.AcceptsEd25519 {
				t.Error("AcceptsEd25519 without the FEP-844e capability")
			}
		})
	}
}

// TestRemoteActorAcceptsEd25519: we sign to an actor with Ed25519 only when it
// has an Ed25519 Multikey and its generator implements RFC 9421 Ed25519
// (FEP-844e), as commonsd, Mitra and tootik say; a Multikey alone (Fedify)
// does not mean its server verifies HTTP signatures with it.
func TestRemoteActorAcceptsEd25519(t *testing.T) {
	const id = "https://remote.example/users/kim"
	key := fmt.Sprintf(`[{"id":%q,"type":"Multikey","controller":%q,"publicKeyMultibase":"z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"}]`, id+"#ed", id)
	gen := func(imps string) string { return `{"type":"Application","implements":` + imps + `}` }
	for _, tc := range []struct {
		name, am, generator string
		want                bool
	}{
		{"key and capability", key, gen(`[{"name":"RFC-9421: HTTP Message Signatures","href":"` + vocab.CapRFC9421 + `"},{"name":"RFC-9421 signatures using the Ed25519 algorithm","href":"` + vocab.CapRFC9421Ed25519 + `"}]`), true},
		{"capability as a bare IRI", key, gen(`["` + vocab.CapRFC9421Ed25519 + `"]`), true},
		{"key without generator (Fedify)", key, `null`, false},
		{"RSA RFC 9421 only", key, gen(`[{"href":"` + vocab.CapRFC9421 + `"}]`), false},
		{"capability without a key", `[]`, gen(`[{"href":"` + vocab.CapRFC9421Ed25519 + `"}]`), false},
		{"capability, key off-host", strings.Replace(key, "remote.example", "evil.example", 1), gen(`[{"href":"` + vocab.CapRFC9421Ed25519 + `"}]`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := fmt.Sprintf(`{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],
"id":%q,"type":"Person","inbox":%q,"publicKey":{"id":%q,"owner":%q,"publicKeyPem":"x"},"assertionMethod":%s,"generator":%s}`,
				id, id+"/inbox", id+"#main-key", id, tc.am, tc.generator)
			o, err := vocab.ParseDocument([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			if a := RemoteActor(o, "remote.example", t0); a.AcceptsEd25519 != tc.want {
				t.Fatalf("AcceptsEd25519 = %v, want %v (key %q)", a.AcceptsEd25519, tc.want, a.Ed25519KeyID)
			}
		})
	}
}
