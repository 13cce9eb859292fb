package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(func(_ *Converter, r service.Ref) (*vocab.Object, error) { return vocab.Ref(r.URI), nil })
	register(func(_ *Converter, t service.Tombstone) (*vocab.Object, error) {
		return &vocab.Object{ID: t.URI, Type: "Tombstone"}, nil
	})
}
