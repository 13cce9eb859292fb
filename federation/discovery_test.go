package federation_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/service"
)

func get(t *testing.T, c *http.Client, u, accept string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func newUser(t *testing.T, inst *apptest.Instance, name string) {
	t.Helper()
	_, err := inst.App.Svc.Accounts.Create(context.Background(), service.Registration{Username: name, Email: name + "@example.org", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
}

// TestWebFinger checks the JRD the way Mastodon's WebFinger resolver reads it: the
// subject's acct must match, and the self link must be an ActivityPub document.
func TestWebFinger(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	wf := inst.URL + "/.well-known/webfinger?resource="
	cases := []struct {
		name, resource string
		status         int
		self           string
	}{
		{"acct", "acct:ada@" + inst.Host, 200, inst.ActorURL("ada")},
		{"acct case-insensitive", "acct:ADA@" + inst.Host, 200, inst.ActorURL("ada")},
		{"actor url", inst.ActorURL("ada"), 200, inst.ActorURL("ada")},
		{"profile url", inst.URL + "/@ada", 200, inst.ActorURL("ada")},
		{"instance actor by origin (FEP-d556)", inst.URL + "/", 200, inst.URL + "/actor"},
		{"instance actor by acct", "acct:" + inst.Host + "@" + inst.Host, 200, inst.URL + "/actor"},
		{"unknown user", "acct:nobody@" + inst.Host, 404, ""},
		{"other host", "acct:ada@elsewhere.example", 404, ""},
		{"malformed acct", "acct:ada", 400, ""},
		{"not a uri", "ada", 400, ""},
		{"missing", "", 400, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := get(t, inst.Client, wf+url.QueryEscape(c.resource), "application/jrd+json")
			if resp.StatusCode != c.status {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if c.status != 200 {
				var e map[string]string
				if json.Unmarshal(body, &e) != nil || e["error"] == "" {
					t.Fatalf("error without reason: %s", body)
				}
				return
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/jrd+json") {
				t.Fatalf("content type %q", ct)
			}
			var doc struct {
				Subject string
				Links   []struct{ Rel, Type, Href, Template string }
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(doc.Subject, "acct:") || !strings.HasSuffix(doc.Subject, "@"+inst.Host) {
				t.Fatalf("subject %q", doc.Subject)
			}
			var self, subscribe string
			for _, l := range doc.Links {
				if l.Rel == "self" && (l.Type == "application/activity+json" || strings.Contains(l.Type, "activitystreams")) {
					self = l.Href
				}
				if l.Rel == "http://ostatus.org/schema/1.0/subscribe" {
					subscribe = l.Template
				}
			}
			if self != c.self {
				t.Fatalf("self %q, want %q", self, c.self)
			}
			if !strings.Contains(subscribe, "{uri}") {
				t.Fatalf("no subscribe template: %s", body)
			}
		})
	}
}

func TestHostMetaAndNodeInfo(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	resp, body := get(t, inst.Client, inst.URL+"/.well-known/host-meta", "")
	var xrd struct {
		Links []struct {
			Rel      string `xml:"rel,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Link"`
	}
	if resp.StatusCode != 200 || xml.Unmarshal(body, &xrd) != nil || len(xrd.Links) != 1 ||
		xrd.Links[0].Template != inst.URL+"/.well-known/webfinger?resource={uri}" {
		t.Fatalf("host-meta %d %s", resp.StatusCode, body)
	}

	resp, body = get(t, inst.Client, inst.URL+"/.well-known/nodeinfo", "")
	var idx struct{ Links []struct{ Rel, Href string } }
	if resp.StatusCode != 200 || json.Unmarshal(body, &idx) != nil || len(idx.Links) != 1 ||
		idx.Links[0].Rel != "http://nodeinfo.diaspora.software/ns/schema/2.1" {
		t.Fatalf("nodeinfo index %s", body)
	}
	resp, body = get(t, inst.Client, idx.Links[0].Href, "")
	var ni struct {
		Version   string
		Software  struct{ Name, Version string }
		Protocols []string
		Usage     struct {
			Users struct{ Total int }
		}
		OpenRegistrations bool
		Metadata          map[string]any
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &ni) != nil {
		t.Fatalf("nodeinfo %d %s", resp.StatusCode, body)
	}
	if ni.Version != "2.1" || ni.Software.Name != "commonsd" || ni.Software.Version == "" ||
		len(ni.Protocols) != 1 || ni.Protocols[0] != "activitypub" || ni.Usage.Users.Total != 1 ||
		!ni.OpenRegistrations || ni.Metadata["nodeName"] == nil {
		t.Fatalf("nodeinfo content: %s", body)
	}
}
