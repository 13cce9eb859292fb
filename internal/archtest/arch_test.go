package archtest

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/commonsd/commonsd"

// allowed lists, for every package of the module (path relative to the module),
// the module packages its non-test files may import. Arrows point down only:
// cmd → app → {api, frontend, federation, queue, server} → service → store →
// models, with config, errs, content and version usable from anywhere below.
// Inside the domain: service (the facade) → service/communities →
// service/social → service/accounts → service/core, service/governance →
// service/core, and service/admin → service/core.
// api and frontend see only the service (never the store, the queue or the
// federation edge). Keep README.md's table equal (TestReadmeTableMatches).
var allowed = map[string][]string{
	"cmd/commonsd":          {"app", "service", "config", "errs", "version"},
	"app":                   {"api", "frontend", "federation", "mail", "queue", "server", "service", "store", "config"},
	"app/apptest":           {"app", "config", "store/storetest"},
	"api":                   {"service", "models", "config", "errs", "content", "version"},
	"frontend":              {"service", "models", "config", "errs", "content", "version"},
	"federation":            {"federation/convert", "federation/fetch", "federation/signing", "federation/vocab", "queue", "service", "store", "models", "config", "errs", "content", "version"},
	"federation/convert":    {"federation/vocab", "service", "models", "content"},
	"federation/fetch":      {"federation/convert", "federation/signing", "federation/vocab", "service", "store", "models", "config", "errs", "content", "version"},
	"federation/signing":    {"errs"},
	"federation/vocab":      {"errs"},
	"queue":                 {"service", "store", "config"},
	"mail":                  {"queue", "service", "store", "config", "errs"},
	"server":                {"config", "errs", "version"},
	"service":               {"service/core", "service/accounts", "service/social", "service/communities", "service/governance", "service/admin", "service/notifications", "store", "models", "config", "errs", "content", "version", "service/search", "service/userdata", "service/economy", "service/moderation"},
	"service/core":          {"store", "models", "errs"},
	"service/accounts":      {"service/core", "store", "models", "config", "errs", "content", "version"},
	"service/social":        {"service/notifications", "service/accounts", "service/core", "store", "models", "config", "errs", "content", "version"},
	"service/communities":   {"service/social", "service/notifications", "service/accounts", "service/core", "store", "models", "config", "errs", "content", "version"},
	"service/governance":    {"service/core", "store", "models", "errs", "content"},
	"service/admin":         {"service/core", "store", "models", "config", "errs"},
	"service/notifications": {"service/core", "store", "models", "errs"},
	"service/servicetest":   {"service", "store", "config", "errs", "service/core"},
	"store":                 {"models", "config", "errs"},
	"store/storetest":       {"store", "models"},
	"models":                {},
	"config":                {},
	"errs":                  {},
	"content":               {},
	"version":               {},
	"internal/archtest":     {},
	"internal/fixtures":     {},
	"internal/fedpeer":      {},
	"bench":                 {},
	"bench/loadgen":         {},
	"bench/cmd/startup":     {"store/storetest"},
	"bench/cmd/load":        {"bench/loadgen", "federation/signing", "models", "store", "store/storetest"},
	"service/search":        {"service/core", "store", "models", "config", "errs"},
	"service/userdata":      {"service/accounts", "service/core", "store", "models", "errs"},
	"service/economy":       {"service/communities", "service/social", "service/accounts", "service/core", "store", "models", "config", "errs", "content"},
	"service/moderation":    {"service/social", "service/accounts", "service/admin", "service/core", "store", "models", "errs"},
}

// testHelpers may be imported by any package's tests (they start instances,
// open test databases, find fixtures, run the Fedify peer).
var testHelpers = []string{"app/apptest", "store/storetest", "service/servicetest", "internal/fixtures", "internal/fedpeer"}

// testExtra are further imports of a package's tests (black-box tests that
// drive a whole instance, benchmarks).
var testExtra = map[string][]string{
	"federation": {"app"},
	"frontend":   {"federation/signing"}, // a fake remote server signs its messages
	// domain tests drive the wired facade, as its callers do
	"service/core":          {"service"},
	"service/accounts":      {"service"},
	"service/social":        {"service"},
	"service/communities":   {"service"},
	"service/governance":    {"service"},
	"service/admin":         {"service"},
	"service/notifications": {"service", "models"},
	"mail":                  {"app", "service", "models"},
	"bench":                 {"app", "bench/loadgen", "federation/signing", "models", "service", "store"},
	"service/search":        {"service"},
	"service/userdata":      {"service"},
	"service/economy":       {"service"},
	"service/moderation":    {"service"},
}

// thirdParty confines heavy or layer-defining libraries to their home in
// non-test code (prefix → packages that may import it): the database to the
// store, River to the queue, HTTP routing to the HTTP layers, and go-fed's
// streams (475k generated lines) to one package, which keeps the others'
// builds fast.
var thirdParty = map[string][]string{
	"gorm.io/":                            {"store"},
	"github.com/riverqueue/":              {"queue"},
	"github.com/go-fed/activity":          {"federation/vocab"},
	"github.com/go-fed/httpsig":           {"federation/signing"},
	"github.com/labstack/echo":            {"app", "api", "frontend", "federation", "server"},
	"github.com/libtnb/sqlite":            {"store"},
	"modernc.org/sqlite":                  {"store"},
	"github.com/jackc/pgx":                {"store", "store/storetest", "bench/cmd/startup", "bench/cmd/load"},
	"github.com/go-gormigrate/gormigrate": {"store"},
	"github.com/wneessen/go-mail":         {"mail"},
}

type pkgImports struct {
	code map[string][]string // import → files
	test map[string][]string
}

// moduleRoot finds the directory of go.mod above the working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// scan parses the import clauses of every .go file of the module, by package
// directory (testdata, node_modules and hidden directories skipped).
func scan(t *testing.T, root string) map[string]*pkgImports {
	t.Helper()
	out := map[string]*pkgImports{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		p := out[rel]
		if p == nil {
			p = &pkgImports{code: map[string][]string{}, test: map[string][]string{}}
			out[rel] = p
		}
		set := p.code
		if strings.HasSuffix(name, "_test.go") {
			set = p.test
		}
		for _, is := range f.Imports {
			imp, _ := strconv.Unquote(is.Path.Value)
			set[imp] = append(set[imp], name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func local(imp string) (string, bool) {
	if imp == module {
		return ".", true
	}
	rel, ok := strings.CutPrefix(imp, module+"/")
	return rel, ok
}

func setOf(lists ...[]string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, x := range l {
			m[x] = true
		}
	}
	return m
}

// TestImportArrows fails on any import edge between the module's packages that
// the table does not allow, on a package missing from the table, and on a
// confined third-party library imported elsewhere.
func TestImportArrows(t *testing.T) {
	pkgs := scan(t, moduleRoot(t))
	if len(pkgs) < 10 {
		t.Fatalf("found only %d packages: is the module root right?", len(pkgs))
	}
	var names []string
	for p := range pkgs {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		imps := pkgs[p]
		rules, ok := allowed[p]
		if !ok {
			t.Errorf("package %s is not in the allowed-imports table (internal/archtest and README.md)", p)
			continue
		}
		code := setOf(rules)
		tests := setOf(rules, testHelpers, testExtra[p], []string{p})
		check := func(set map[string][]string, ok map[string]bool, kind string) {
			for imp, files := range set {
				if rel, isLocal := local(imp); isLocal {
					if !ok[rel] {
						t.Errorf("%s: %s imports %s (%s), which the table does not allow", p, kind, rel, strings.Join(files, ", "))
					}
					continue
				}
				for prefix, homes := range thirdParty {
					if kind == "code" && strings.HasPrefix(imp, prefix) && !setOf(homes)[p] {
						t.Errorf("%s: %s imports %s (%s); only %v may", p, kind, imp, strings.Join(files, ", "), homes)
					}
				}
			}
		}
		check(imps.code, code, "code")
		check(imps.test, tests, "test")
	}
	for p := range allowed {
		if _, ok := pkgs[p]; !ok {
			t.Errorf("the table lists %s, which has no Go files", p)
		}
	}
}

// TestReadmeTableMatches keeps README.md's allowed-imports table equal to allowed.
// The README's table sits between the lines "<!-- arrows:begin -->" and
// "<!-- arrows:end -->", one row per package: | `pkg` | `a`, `b` |.
func TestReadmeTableMatches(t *testing.T) {
	f, err := os.Open(filepath.Join(moduleRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	readme := map[string][]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "<!-- arrows:begin -->":
			in = true
			continue
		case line == "<!-- arrows:end -->":
			in = false
		}
		if !in || !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 2 {
			t.Fatalf("README row %q: want | `package` | `import`, … |", line)
		}
		pkg := strings.Trim(strings.TrimSpace(cells[0]), "`")
		var imps []string
		for _, c := range strings.Split(cells[1], ",") {
			if c = strings.Trim(strings.TrimSpace(c), "`"); c != "" && c != "—" {
				imps = append(imps, c)
			}
		}
		readme[pkg] = imps
	}
	if len(readme) == 0 {
		t.Fatal("README.md has no allowed-imports table between <!-- arrows:begin --> and <!-- arrows:end -->")
	}
	for p, want := range allowed {
		got, ok := readme[p]
		if !ok {
			t.Errorf("README table lacks %s", p)
			continue
		}
		if a, b := strings.Join(sorted(want), ","), strings.Join(sorted(got), ","); a != b {
			t.Errorf("%s: README allows [%s], the test [%s]", p, b, a)
		}
	}
	for p := range readme {
		if _, ok := allowed[p]; !ok {
			t.Errorf("README table lists %s, the test does not", p)
		}
	}
}

func sorted(l []string) []string {
	out := append([]string(nil), l...)
	sort.Strings(out)
	return out
}

// TestHandlersDoNotReachStore: api and frontend import only the service, but the
// service's exported Store field would let a handler reach the database anyway.
// Any selector `<…>svc.Store` in their non-test code fails.
func TestHandlersDoNotReachStore(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	for _, dir := range []string{"api", "frontend"} {
		files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Store" {
					return true
				}
				var x string
				switch v := sel.X.(type) {
				case *ast.Ident:
					x = v.Name
				case *ast.SelectorExpr:
					x = v.Sel.Name
				}
				if x == "svc" {
					t.Errorf("%s: %s reaches the store through Service.Store: add a service method", dir, fset.Position(sel.Pos()))
				}
				return true
			})
		}
	}
}
