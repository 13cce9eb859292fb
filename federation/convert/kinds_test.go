package convert

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/service"
)

// TestEveryObjectKindHasAConverter reads service/core's source (where the
// service.Object kinds live; service re-exports them as aliases, so their
// reflected names are core.X) for every type with an ObjectID method and fails while one has
// no registered converter: a new kind cannot reach Publish unconverted.
func TestEveryObjectKindHasAConverter(t *testing.T) {
	dir := filepath.Join("..", "..", "service", "core")
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	for typ := range converters {
		registered[typ.String()] = true
	}
	kinds := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "ObjectID" {
				continue
			}
			name := "core."
			switch r := fn.Recv.List[0].Type.(type) {
			case *ast.StarExpr:
				name = "*" + name + r.X.(*ast.Ident).Name
			case *ast.Ident:
				name += r.Name
			}
			kinds++
			if !registered[name] {
				t.Errorf("object kind %s (%s) has no converter: add one with register in its own file", name, filepath.Base(path))
			}
		}
	}
	if kinds < len(converters) {
		t.Errorf("found %d object kinds in service/core, but %d converters are registered", kinds, len(converters))
	}
}

// TestRegisterRefusesASecondConverter: one kind, one converter.
func TestRegisterRefusesASecondConverter(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a second converter for service.Ref was accepted")
		}
	}()
	register(func(_ *Converter, r service.Ref) (*vocab.Object, error) { return nil, nil })
}
