package mail_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/mail"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/service"
)

var sample = service.Mail{To: "ada@example.org", Subject: "[Commons] bob mentioned you — café",
	Text: "bob mentioned you\n\nhttps://commons.test/notes/1\n", Unsubscribe: "https://commons.test/api/v1/notifications/unsubscribe?token=abc.def"}

// TestDeliverOverSMTP: a real SMTP conversation in each TLS mode, with and
// without authentication; the message's headers (sender, recipient, encoded
// subject, List-Unsubscribe with the one-click POST, Auto-Submitted) and the
// unsubscribe line at the end of the text.
func TestDeliverOverSMTP(t *testing.T) {
	cases := []struct {
		mode, user, pass string
	}{
		{"none", "", ""},
		{"none", "mailer", "s3cret"},
		{"starttls", "mailer", "s3cret"},
		{"tls", "", ""},
		{"tls", "mailer", "s3cret"},
	}
	for _, c := range cases {
		t.Run(c.mode+"/auth="+c.user, func(t *testing.T) {
			srv := startSMTP(t, c.mode, c.user, c.pass)
			m := mail.New(config.SMTP{Host: "127.0.0.1", Port: srv.Port, TLS: c.mode, Username: c.user, Password: c.pass,
				From: "Commons <noreply@commons.test>"}, nil, nil)
			m.TLS = &tls.Config{RootCAs: srv.CertPool, MinVersion: tls.VersionTLS12}
			if err := m.RunSendJob(context.Background(), mail.SendJob{Mail: sample}); err != nil {
				t.Fatal(err)
			}
			got := srv.messages()
			if len(got) != 1 {
				t.Fatalf("%d messages", len(got))
			}
			r := got[0]
			h := r.Msg.Header
			subject, _ := new(mimeDecoder).DecodeHeader(h.Get("Subject"))
			if r.From != "noreply@commons.test" || len(r.To) != 1 || r.To[0] != "ada@example.org" || r.Authed != c.user ||
				r.TLS != (c.mode != "none") {
				t.Fatalf("envelope %+v", r)
			}
			if subject != sample.Subject || !strings.Contains(h.Get("From"), "noreply@commons.test") ||
				h.Get("List-Unsubscribe") != "<"+sample.Unsubscribe+">" ||
				h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" ||
				h.Get("Auto-Submitted") != "auto-generated" || h.Get("Message-Id") == "" || h.Get("Date") == "" {
				t.Fatalf("headers %v (subject %q)", h, subject)
			}
			body := decodeBody(t, r)
			if !strings.Contains(body, "bob mentioned you") || !strings.Contains(body, "Stop these e-mails: "+sample.Unsubscribe) {
				t.Fatalf("body %q", body)
			}
		})
	}
}

// TestSMTPFailures: a wrong password and a refused mailbox (5xx) give up for
// good; a temporary refusal (4xx) is retried by the queue.
func TestSMTPFailures(t *testing.T) {
	srv := startSMTP(t, "none", "mailer", "s3cret")
	cfg := config.SMTP{Host: "127.0.0.1", Port: srv.Port, TLS: "none", Username: "mailer", Password: "s3cret", From: "noreply@commons.test"}
	ctx := context.Background()
	cases := []struct {
		name      string
		edit      func(*config.SMTP, *service.Mail)
		permanent bool
	}{
		{"refused mailbox", func(_ *config.SMTP, m *service.Mail) { m.To = "gone@example.org"; srv.reject = "gone@example.org" }, true},
		{"temporary refusal", func(*config.SMTP, *service.Mail) { srv.failures = 1 }, false},
		{"nobody listening", func(c *config.SMTP, _ *service.Mail) { c.Port = 1 }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, msg := cfg, sample
			c.edit(&cfg, &msg)
			err := mail.New(cfg, nil, nil).RunSendJob(ctx, mail.SendJob{Mail: msg})
			if err == nil || queue.IsPermanent(err) != c.permanent {
				t.Fatalf("err %v, permanent %v, want permanent %v", err, queue.IsPermanent(err), c.permanent)
			}
		})
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("%d messages got through", n)
	}
}

// TestNotificationMailEndToEnd: an instance with SMTP configured. Ada asks for
// e-mail about follows; bob follows her; the notification is mailed through
// the job queue to the in-process server; the one-click List-Unsubscribe POST
// turns it off, and the next follow is not mailed.
func TestNotificationMailEndToEnd(t *testing.T) {
	srv := startSMTP(t, "none", "", "")
	inst := apptest.Start(t, func(c *config.Config) {
		c.SMTP = config.SMTP{Host: "127.0.0.1", Port: srv.Port, TLS: "none", From: "Seed Library <noreply@seeds.test>"}
	})
	ctx := context.Background()
	svc := inst.App.Svc
	if !svc.Mailer.Enabled() {
		t.Fatal("the mailer is not enabled with smtp.host set")
	}
	people := map[string]*models.Actor{}
	for _, n := range []string{"ada", "bob", "carl"} {
		u, err := svc.Accounts.Create(ctx, service.Registration{Username: n, Email: n + "@example.org", Password: "correct horse battery", Role: "member"})
		if err != nil {
			t.Fatal(err)
		}
		if people[n], err = svc.Accounts.ActorOf(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Notifications.SetSettings(ctx, people["ada"], service.NotificationPrefs{EmailKinds: []string{models.NotifyFollow}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Social.Follow(ctx, people["bob"], people["ada"], ""); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the mail arrives", func() bool { return len(srv.messages()) == 1 })
	r := srv.messages()[0]
	h := r.Msg.Header
	unsub := strings.Trim(h.Get("List-Unsubscribe"), "<>")
	if r.To[0] != "ada@example.org" || !strings.Contains(h.Get("Subject"), "bob followed you") ||
		!strings.HasPrefix(unsub, inst.URL+"/api/v1/notifications/unsubscribe?token=") ||
		h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("mail %+v %v", r, h)
	}
	if body := decodeBody(t, r); !strings.Contains(body, inst.URL+"/@bob") || !strings.Contains(body, unsub) {
		t.Fatalf("body %q", body)
	}
	// A browser opening the link is sent to the page with the button.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(unsub)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/notifications/unsubscribe?token=") {
		t.Fatalf("GET of the link: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The mail client's one-click POST (RFC 8058).
	resp, err = http.Post(unsub, "application/x-www-form-urlencoded", strings.NewReader(url.Values{"List-Unsubscribe": {"One-Click"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", resp.StatusCode)
	}
	set, err := svc.Notifications.Settings(ctx, people["ada"])
	if err != nil || len(set.EmailKinds) != 0 {
		t.Fatalf("after unsubscribing %+v %v", set, err)
	}
	if _, err := svc.Social.Follow(ctx, people["carl"], people["ada"], ""); err != nil {
		t.Fatal(err)
	}
	inst.WaitQueueIdle(t)
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("%d mails, want 1: the follow after unsubscribing was mailed", n)
	}
	if c, _ := svc.Notifications.UnreadCount(ctx, people["ada"]); c != 2 {
		t.Fatalf("unread %d, want 2 (the app still lists both)", c)
	}
}
