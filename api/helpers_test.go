package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

const goodPassword = "correct horse battery"

// start runs an instance whose login rate limit does not get in the tests' way.
func start(t *testing.T, opts ...apptest.Option) *apptest.Instance {
	t.Helper()
	relaxed := func(c *config.Config) { c.Security.LoginAttemptsPerMinute = 1000 }
	return apptest.Start(t, append([]apptest.Option{relaxed}, opts...)...)
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T, dst any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, dst); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errorMessage returns the {"error": ...} message, failing when the body is not one.
func (r response) errorMessage(t *testing.T) string {
	t.Helper()
	var e map[string]string
	r.json(t, &e)
	if _, ok := e["error"]; !ok || len(e) != 1 {
		t.Fatalf("not an error body: %s", r.Body)
	}
	return e["error"]
}

// call sends a request: body is a string (sent raw as JSON) or a value to marshal.
func call(t *testing.T, inst *apptest.Instance, method, path, token string, body any) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, inst.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, inst, req)
}

func send(t *testing.T, inst *apptest.Instance, req *http.Request) response {
	t.Helper()
	resp, err := inst.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstOpenAPI(t, req, resp.StatusCode, resp.Header, b)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func expect(t *testing.T, r response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
}

// createUser makes an approved account directly through the service.
func createUser(t *testing.T, inst *apptest.Instance, username, role string) *models.User {
	t.Helper()
	u, err := inst.App.Svc.Accounts.Create(context.Background(), service.Registration{
		Username: username, Email: username + "@example.org", Password: goodPassword, Role: role})
	if err != nil {
		t.Fatalf("create %s: %v", username, err)
	}
	return u
}

// login returns a fresh bearer token.
func login(t *testing.T, inst *apptest.Instance, username string) string {
	t.Helper()
	r := call(t, inst, "POST", "/api/v1/auth/token", "", map[string]string{"username": username, "password": goodPassword})
	expect(t, r, http.StatusCreated)
	var out struct{ Token string }
	r.json(t, &out)
	if out.Token == "" {
		t.Fatalf("no token in %s", r.Body)
	}
	return out.Token
}

// userWithToken creates an approved user and logs them in.
func userWithToken(t *testing.T, inst *apptest.Instance, username, role string) string {
	t.Helper()
	createUser(t, inst, username, role)
	return login(t, inst, username)
}
