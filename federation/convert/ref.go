package convert

import (
	"fmt"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(func(_ *Converter, r service.Ref) (*vocab.Object, error) { return vocab.Ref(r.URI), nil })
	// A Flag's object is an array of ids, which vocab.Object's one Object
	// cannot hold: Activity writes it as Extra["object"]; this converter only
	// checks there is something to report.
	register(func(_ *Converter, f service.FlagObject) (*vocab.Object, error) {
		if len(f.URIs) == 0 {
			return nil, fmt.Errorf("a Flag without objects")
		}
		return vocab.Ref(f.URIs[0]), nil
	})
	register(func(_ *Converter, t service.Tombstone) (*vocab.Object, error) {
		return &vocab.Object{ID: t.URI, Type: "Tombstone"}, nil
	})
}
