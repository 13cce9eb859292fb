package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

func init() { register(follow) }

// follow is a Follow activity as the object of an Accept, a Reject or an Undo.
func follow(_ *Converter, f service.FollowObject) (*vocab.Object, error) {
	return &vocab.Object{ID: f.Follow.URI, Type: service.TypeFollow, Actor: f.Follower.URI, Object: vocab.Ref(f.Target.URI)}, nil
}
