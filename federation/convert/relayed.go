package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

func init() { register(relayed) }

// relayed is an activity a Group re-publishes (FEP-1b12). Only what we parsed is
// re-serialised: it keeps its id, actor and object, and readers re-fetch from the
// origin anyway. The stored JSON is a peer's, already read strictly by the inbox:
// it is read again the same way (vocab.ParseDocument), without go-fed.
func relayed(_ *Converter, r service.RelayedActivity) (*vocab.Object, error) {
	in, err := vocab.ParseDocument([]byte(r.JSON))
	if err != nil {
		return nil, err
	}
	return &vocab.Object{ID: in.ID, Type: in.Type, Actor: in.Actor, Object: in.Object,
		To: in.To, CC: in.CC, Audience: in.Audience, Published: in.Published}, nil
}
