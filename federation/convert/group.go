package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

// A local community's Group actor, whole, as Update{Group} carries it: the same
// document its actor URL serves (Actor plus GroupExtras).
func init() {
	register(func(_ *Converter, g service.GroupObject) (*vocab.Object, error) {
		o := Actor(g.Group)
		GroupExtras(g.Group, g.Community, g.Members, o)
		return o, nil
	})
}
