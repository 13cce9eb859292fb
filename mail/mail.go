// Package mail implements the service's Mailer port (core.Mailer) over SMTP.
//
// Send writes one River job per message in the caller's transaction (so a
// change that rolls back sends nothing, and a crash loses nothing); the job
// (SendJob, worker registered by app with Register) talks SMTP with
// github.com/wneessen/go-mail, a maintained client that covers STARTTLS,
// implicit TLS, SMTP AUTH discovery, MIME alternatives and RFC 2047 headers,
// which net/smtp leaves to the caller. A failure retries on the queue's
// backoff (30 s doubling to 6 h, queue.max_attempts); a permanent refusal by
// the server (a 5xx reply, e.g. an unknown mailbox) gives up at once.
//
// Every mail with an unsubscribe link carries List-Unsubscribe and
// List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058), so mail
// clients offer the one-click button, and Auto-Submitted: auto-generated
// (RFC 3834), so auto-responders stay quiet.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	gomail "github.com/wneessen/go-mail"
)

// SendJob is one message to send.
type SendJob struct {
	Mail service.Mail `json:"mail"`
}

// Kind implements service.Job.
func (SendJob) Kind() string { return "mail_send" }

// Mailer sends e-mail through the SMTP server of the configuration.
type Mailer struct {
	cfg  config.SMTP
	jobs service.Jobs
	log  *slog.Logger
	// TLS is the TLS configuration for starttls and tls (nil: the system's
	// roots, TLS 1.2 at least); tests trust their own certificate with it.
	TLS *tls.Config
}

var _ service.Mailer = (*Mailer)(nil)

// New builds the mailer of cfg; its messages are queued through jobs.
func New(cfg config.SMTP, jobs service.Jobs, log *slog.Logger) *Mailer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Mailer{cfg: cfg, jobs: jobs, log: log.With("component", "mail")}
}

// FromConfig is the Mailer of an instance: NoMailer when smtp.host is empty.
func FromConfig(cfg config.SMTP, jobs service.Jobs, log *slog.Logger) service.Mailer {
	if cfg.Host == "" {
		return service.NoMailer{}
	}
	return New(cfg, jobs, log)
}

// Register adds the mailer's job worker to the queue.
func Register(q *queue.Queue, m service.Mailer) error {
	if sm, ok := m.(*Mailer); ok {
		return queue.AddWorker(q, sm.RunSendJob)
	}
	return nil
}

// Enabled reports that SMTP is configured.
func (m *Mailer) Enabled() bool { return m.cfg.Host != "" }

// Send queues msg in tx (see the package comment).
func (m *Mailer) Send(ctx context.Context, tx *store.Store, msg service.Mail) error {
	if _, err := netmail.ParseAddress(msg.To); err != nil {
		return errs.Unprocessable("not an e-mail address: %q", msg.To)
	}
	if strings.TrimSpace(msg.Subject) == "" || msg.Text == "" {
		return errs.Unprocessable("a mail needs a subject and a text")
	}
	return m.jobs.Enqueue(ctx, tx, SendJob{Mail: msg})
}

// RunSendJob sends one queued message (the worker of SendJob).
func (m *Mailer) RunSendJob(ctx context.Context, job SendJob) error {
	err := m.Deliver(ctx, job.Mail)
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		m.log.Warn("mail refused for good", "to", job.Mail.To, "err", err)
		return queue.Permanent(err)
	}
	m.log.Info("mail not sent, will retry", "to", job.Mail.To, "attempt", queue.Attempt(ctx), "err", err)
	return err
}

// message builds the MIME message of msg.
func (m *Mailer) message(msg service.Mail) (*gomail.Msg, error) {
	g := gomail.NewMsg()
	if err := g.From(m.cfg.From); err != nil {
		return nil, fmt.Errorf("mail: from: %w", err)
	}
	if err := g.To(msg.To); err != nil {
		return nil, fmt.Errorf("mail: to: %w", err)
	}
	g.Subject(msg.Subject)
	g.SetMessageID()
	g.SetDate()
	g.SetGenHeader("Auto-Submitted", "auto-generated")
	text := msg.Text
	if msg.Unsubscribe != "" {
		g.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribe, "<"+msg.Unsubscribe+">")
		g.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
		text = strings.TrimRight(text, "\n") + "\n\n-- \nStop these e-mails: " + msg.Unsubscribe + "\n"
	}
	g.SetBodyString(gomail.TypeTextPlain, text)
	if msg.HTML != "" {
		g.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	return g, nil
}

// Deliver sends msg now, over one SMTP connection.
func (m *Mailer) Deliver(ctx context.Context, msg service.Mail) error {
	g, err := m.message(msg)
	if err != nil {
		return queue.Permanent(err)
	}
	tlsCfg := m.TLS
	if tlsCfg == nil {
		tlsCfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tlsCfg = tlsCfg.Clone()
	if tlsCfg.ServerName == "" {
		tlsCfg.ServerName = m.cfg.Host
	}
	opts := []gomail.Option{gomail.WithPort(m.cfg.Port), gomail.WithTimeout(30 * time.Second), gomail.WithTLSConfig(tlsCfg)}
	switch m.cfg.TLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if m.cfg.Username != "" {
		// Over TLS the strongest mechanism the server offers; in plain text
		// (a relay on this machine: config refuses another host) PLAIN, which
		// go-mail sends to localhost only.
		auth := gomail.SMTPAuthAutoDiscover
		if m.cfg.TLS == "none" {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(m.cfg.Username), gomail.WithPassword(m.cfg.Password))
	}
	c, err := gomail.NewClient(m.cfg.Host, opts...)
	if err != nil {
		return queue.Permanent(fmt.Errorf("mail: %w", err))
	}
	if err := c.DialAndSendWithContext(ctx, g); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return nil
}
