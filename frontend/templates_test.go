package frontend

import (
	"sync"
	"testing"

	"github.com/commonsd/commonsd/config"
)

// TestTemplatesParse parses every page, as start-up did before pages were
// parsed on first render (lazyPage): a broken template fails here, not on the
// first visitor of that page. Each page is asked for twice at once, as two
// first visitors would (run with -race).
func TestTemplatesParse(t *testing.T) {
	w := New(config.Config{}, nil, nil)
	if len(w.pages) < 2 {
		t.Fatalf("only %d pages found in templates/", len(w.pages))
	}
	var wg sync.WaitGroup
	for name, p := range w.pages {
		for range 2 {
			wg.Go(func() {
				tmpl, err := p.template()
				if err != nil {
					t.Errorf("%s: %v", name, err)
					return
				}
				if tmpl.Lookup("layout") == nil {
					t.Errorf("%s: no layout template", name)
				}
			})
		}
	}
	wg.Wait()
}
