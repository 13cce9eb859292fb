package fetch

import "testing"

// TestKeyDocumentReading: a stand-alone key document is read strictly, by exact
// member names; anything else is not a key document (and then goes through the
// strict reading of actor documents).
func TestKeyDocumentReading(t *testing.T) {
	const pem = `"-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"`
	cases := []struct {
		name, doc string
		want      keyDoc
		ok        bool
	}{
		{"key document", `{"id":"https://a.example/k","owner":"https://a.example/u","publicKeyPem":` + pem + `}`,
			keyDoc{ID: "https://a.example/k", Owner: "https://a.example/u", PEM: "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"}, true},
		{"an actor is not one", `{"id":"https://a.example/u","type":"Person","publicKey":{"id":"https://a.example/u#k","owner":"https://a.example/u","publicKeyPem":` + pem + `}}`, keyDoc{}, false},
		{"owner in another case", `{"id":"https://a.example/k","Owner":"https://evil.example/u","publicKeyPem":` + pem + `}`, keyDoc{}, false},
		{"two owners", `{"id":"https://a.example/k","owner":"https://a.example/u","owner":"https://evil.example/u","publicKeyPem":` + pem + `}`, keyDoc{}, false},
		{"keys differing in case", `{"id":"https://a.example/k","owner":"https://a.example/u","OWNER":"https://evil.example/u","publicKeyPem":` + pem + `}`, keyDoc{}, false},
		{"id of the wrong kind", `{"id":7,"owner":"https://a.example/u","publicKeyPem":` + pem + `}`, keyDoc{}, false},
		{"no key", `{"id":"https://a.example/k","owner":"https://a.example/u"}`, keyDoc{}, false},
		{"not JSON", `{"id":`, keyDoc{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := keyDocument([]byte(tc.doc))
			if ok != tc.ok || got != tc.want {
				t.Errorf("got %+v %v, want %+v %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
