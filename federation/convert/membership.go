package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

func init() { register(membership) }

// membership is the Join that asked for a membership, as the object of the
// Group's Accept or Reject.
func membership(_ *Converter, m service.MembershipObject) (*vocab.Object, error) {
	return &vocab.Object{ID: m.Membership.URI, Type: service.TypeJoin, Actor: m.Member.URI, Object: vocab.Ref(m.Group.URI)}, nil
}
