package convert

import (
	"fmt"
	"reflect"
	"time"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

// Converter turns our values into ActivityStreams objects. It carries what a
// converter needs to know about this instance.
type Converter struct {
	urls service.URLs
	now  func() time.Time
}

// New returns a converter for the instance at urls; now stamps activities
// published without a time of their own.
func New(urls service.URLs, now func() time.Time) *Converter {
	return &Converter{urls: urls, now: now}
}

type convertFunc func(c *Converter, o service.Object) (*vocab.Object, error)

// converters maps each object kind's Go type to its one converter.
var converters = map[reflect.Type]convertFunc{}

// register installs fn as the converter of the object kind T. Each converter file
// calls it from init(); a second registration of one kind is a programming error.
func register[T service.Object](fn func(c *Converter, o T) (*vocab.Object, error)) {
	t := reflect.TypeFor[T]()
	if _, dup := converters[t]; dup {
		panic("convert: two converters for " + t.String())
	}
	converters[t] = func(c *Converter, o service.Object) (*vocab.Object, error) { return fn(c, o.(T)) }
}

// Object converts an activity's object with the converter of its kind.
func (c *Converter) Object(o service.Object) (*vocab.Object, error) {
	if o == nil {
		return nil, fmt.Errorf("convert: activity without an object")
	}
	fn, ok := converters[reflect.TypeOf(o)]
	if !ok {
		return nil, fmt.Errorf("convert: no converter for object kind %T", o)
	}
	return fn(c, o)
}
