package fedpeer

import "net/http"

// Pledged is the answer to Pledge: the Offer's id and how the author's inbox
// answered the POST.
type Pledged struct {
	ID     string `json:"id"`
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// Pledge has alice pledge amount (a decimal string in major units) of
// currency to appeal (its Note's id), authored by author: a FEP-0837
// Offer{Agreement{stipulates: Commitment{satisfies: appeal#primary}}} signed
// by Fedify (the peer's sendPledge). The author answers Accept or Reject in
// alice's inbox.
func (p *Peer) Pledge(appeal, author, amount, currency, message string) (*Pledged, error) {
	var out Pledged
	err := p.call(http.MethodPost, "/_control/pledge", map[string]any{"appeal": appeal, "to": author, "amount": amount,
		"currency": currency, "message": message}, &out)
	return &out, err
}
