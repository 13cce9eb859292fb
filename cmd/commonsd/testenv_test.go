package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/config"
)

// testPrefix is the prefix of the variables tests read; the configuration loader
// ignores it and refuses every other unknown variable of ours.
const testPrefix = "COMMONSD_" + "TEST_"

var envNameRE = regexp.MustCompile(`\bCOMMONSD_[A-Z0-9_]*[A-Z0-9]\b`)

// notDocs name variables on purpose: the loader's own tests (a misspelt key) and
// this file.
var notDocs = map[string]bool{"config/config_test.go": true, "cmd/commonsd/testenv_test.go": true}

// documentedVariables returns every COMMONSD_ variable named in the repository's
// sources, scripts and documents.
func documentedVariables(t *testing.T) []string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == ".git" || n == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // a link (a developer's node_modules link) or a device
		}
		if rel, _ := filepath.Rel(root, path); notDocs[filepath.ToSlash(rel)] {
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".yaml", ".yml", ".sh", ".js", ".mjs", ".json", "":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range envNameRE.FindAllString(string(b), -1) {
			seen[m] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestCLIStartsWithEveryTestVariableSet: every COMMONSD_ variable the repository
// names is either a configuration key or a test variable with the COMMONSD_TEST_
// prefix, and the CLI's configuration loader starts (migrate succeeds) with all
// of the test variables set. A test variable without the prefix (such as the old
// COMMONSD_FIXTURES) makes the loader refuse to start, and fails here first.
func TestCLIStartsWithEveryTestVariableSet(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range config.Keys() {
		keys[config.EnvName(k)] = true
	}
	var testVars []string
	for _, v := range documentedVariables(t) {
		switch {
		case keys[v]:
		case strings.HasPrefix(v, testPrefix):
			testVars = append(testVars, v)
		default:
			t.Errorf("%s is neither a configuration key nor a test variable (%s…)", v, testPrefix)
		}
	}
	// The repository documents at least the database, driver and fixtures variables.
	if len(testVars) < 3 {
		t.Fatalf("found only %v: the scan is broken", testVars)
	}
	t.Logf("test variables: %v", testVars)

	useTempData(t)
	for _, v := range testVars {
		t.Setenv(v, "set-by-"+t.Name())
	}
	if out, stderr, err := cli(t, "migrate"); err != nil || !strings.Contains(out, "migrations applied") {
		t.Fatalf("migrate with the test variables set: %v\n%s%s", err, out, stderr)
	}
}
