package convert

import (
	"strconv"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// Collection is a paged OrderedCollection's front document: its size and, unless
// its list is hidden, a link to its first page.
func Collection(id string, total int, hidden bool) *vocab.Object {
	o := &vocab.Object{ID: id, Type: "OrderedCollection", TotalItems: &total}
	if !hidden {
		o.First = id + "?page=1"
	}
	return o
}

// CollectionPage is page num (from 1) of size items of a collection of total.
func CollectionPage(id string, total, num, size int, items []*vocab.Object) *vocab.Object {
	o := &vocab.Object{ID: id + "?page=" + strconv.Itoa(num), Type: "OrderedCollectionPage", PartOf: id,
		TotalItems: &total, Items: items}
	if num*size < total {
		o.Next = id + "?page=" + strconv.Itoa(num+1)
	}
	if num > 1 {
		o.Prev = id + "?page=" + strconv.Itoa(num-1)
	}
	if o.Items == nil {
		o.Items = []*vocab.Object{}
	}
	return o
}

// OrderedCollection is a whole (unpaged) collection of items.
func OrderedCollection(id string, items []*vocab.Object) *vocab.Object {
	n := len(items)
	if items == nil {
		items = []*vocab.Object{}
	}
	return &vocab.Object{ID: id, Type: "OrderedCollection", TotalItems: &n, Items: items}
}

// OutboxItems are stored activities of ours (as published, models.Activity.Raw)
// as the items of an outbox page. Each is read once, by the strict reader every
// other document we hold goes through (vocab.ParseDocument: one tokenizer pass,
// duplicate and case-folded names refused, no go-fed overlay re-reading the
// map). A row that does not read is left out rather than failing the page: the
// outbox is a courtesy listing and every item stays fetchable at its id.
func OutboxItems(raws []string) []*vocab.Object {
	out := make([]*vocab.Object, 0, len(raws))
	for _, raw := range raws {
		if o, err := vocab.ParseDocument([]byte(raw)); err == nil {
			out = append(out, o)
		}
	}
	return out
}

// ActorRefs are actors as a collection's items, by id.
func ActorRefs(actors []models.Actor) []*vocab.Object {
	out := make([]*vocab.Object, len(actors))
	for i := range actors {
		out[i] = vocab.Ref(actors[i].URI)
	}
	return out
}
