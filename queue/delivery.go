package queue

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/commonsd/commonsd/store"
	"github.com/riverqueue/river"
)

// KindDelivery is the job kind of Delivery.
const KindDelivery = "delivery"

// Delivery is one signed POST of one of our activities to one inbox.
type Delivery struct {
	ActivityID string `json:"activity_id"` // our activity id (ActivitySource key)
	ActorID    string `json:"actor_id"`    // the local actor who signs
	Inbox      string `json:"inbox"`       // target URL
	Host       string `json:"host"`        // Inbox's host[:port], for limits and filters
}

// Kind implements Job.
func (Delivery) Kind() string { return KindDelivery }

// InsertOpts makes deliveries unique by arguments: enqueueing the same activity to
// the same inbox again while one is pending or after it completed is a no-op.
func (Delivery) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ActivitySource gives the JSON of one of our stored activities.
type ActivitySource interface {
	ActivityJSON(ctx context.Context, id string) ([]byte, error)
}

// Poster signs body as actorID and POSTs it to inbox, returning the HTTP status
// (0 with err for a network error) and the Retry-After the server asked for, if any.
type Poster interface {
	Post(ctx context.Context, actorID, inbox string, body []byte) (status int, retryAfter time.Duration, err error)
}

// NewDelivery builds the job for one inbox; it fails on a URL without a host.
func NewDelivery(activityID, actorID, inbox string) (Delivery, error) {
	u, err := url.Parse(strings.TrimSpace(inbox))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return Delivery{}, fmt.Errorf("queue: bad inbox URL %q", inbox)
	}
	return Delivery{ActivityID: activityID, ActorID: actorID, Inbox: u.String(), Host: strings.ToLower(u.Host)}, nil
}

// fanOutBatch is the number of jobs per INSERT.
const fanOutBatch = 1000

// FanOut enqueues one Delivery per distinct inbox (callers pass a server's shared
// inbox instead of its actors' inboxes where one is advertised) inside tx, the
// transaction that stored the activity. Invalid URLs are logged and skipped. It
// returns the number of distinct inboxes enqueued.
func (q *Queue) FanOut(ctx context.Context, tx *store.Store, activityID, actorID string, inboxes []string) (int, error) {
	seen := make(map[string]struct{}, len(inboxes))
	params := make([]river.InsertManyParams, 0, min(len(inboxes), 4096))
	for _, in := range inboxes {
		d, err := NewDelivery(activityID, actorID, in)
		if err != nil {
			q.log.Warn("skipping inbox", "inbox", in, "activity", activityID)
			continue
		}
		if _, dup := seen[d.Inbox]; dup {
			continue
		}
		seen[d.Inbox] = struct{}{}
		params = append(params, river.InsertManyParams{Args: d})
	}
	if len(params) == 0 {
		return 0, nil
	}
	insert := func(tx *store.Store) error {
		sqlTx, ok := sqlTxOf(ctx, tx)
		if !ok {
			return errors.New("queue: FanOut needs a transaction")
		}
		for i := 0; i < len(params); i += fanOutBatch {
			if _, err := q.ins.InsertManyTx(ctx, sqlTx, params[i:min(i+fanOutBatch, len(params))]); err != nil {
				return fmt.Errorf("queue: fan out: %w", err)
			}
		}
		return nil
	}
	var err error
	if _, ok := sqlTxOf(ctx, tx); ok {
		err = insert(tx)
	} else {
		if tx == nil {
			tx = q.st
		}
		err = tx.Tx(ctx, insert)
	}
	if err != nil {
		return 0, err
	}
	return len(params), nil
}

// RegisterDelivery installs the delivery worker. Call it before Start.
func (q *Queue) RegisterDelivery(src ActivitySource, p Poster) error {
	return AddWorker(q, func(ctx context.Context, d Delivery) error { return q.deliver(ctx, src, p, d) })
}

// MaxRetryAfter caps how long a server's Retry-After can push a delivery back.
const MaxRetryAfter = 6 * time.Hour

// Delivery outcomes.
var (
	ErrHostDown = errors.New("host is down")
)

func (q *Queue) deliver(ctx context.Context, src ActivitySource, p Poster, d Delivery) error {
	host := d.Host
	if host == "" {
		nd, err := NewDelivery(d.ActivityID, d.ActorID, d.Inbox)
		if err != nil {
			return Permanent(err)
		}
		host = nd.Host
	}
	body, err := src.ActivityJSON(ctx, d.ActivityID)
	if errors.Is(err, store.ErrNotFound) {
		return Permanent(fmt.Errorf("activity %s: %w", d.ActivityID, err))
	}
	if err != nil {
		return err
	}
	release, err := q.hosts.acquire(ctx, host, q.opts.HostWait)
	switch {
	case errors.Is(err, errHostBusy):
		s := q.opts.HostBusySnooze
		return Snooze(s + rand.N(s/2+1))
	case err != nil:
		var dead *hostDeadError
		if errors.As(err, &dead) {
			return RetryAfter(time.Until(dead.until), fmt.Errorf("%w: %s (%d failures in a row)", ErrHostDown, host, dead.failures))
		}
		return err
	}
	status, retryAfter, err := p.Post(ctx, d.ActorID, d.Inbox, body)
	outcome := classify(status, err)
	release(outcome == outcomeHostFailure && ctx.Err() == nil)
	switch {
	case err != nil && status == 0:
		return fmt.Errorf("POST %s: %w", d.Inbox, err)
	case status >= 200 && status < 300:
		return nil
	case outcome == outcomePermanent:
		return Permanent(fmt.Errorf("POST %s: HTTP %d", d.Inbox, status))
	}
	err = fmt.Errorf("POST %s: HTTP %d", d.Inbox, status)
	if retryAfter > 0 && (status == 429 || status == 503) {
		return RetryAfter(min(retryAfter, MaxRetryAfter), err)
	}
	return err
}

type outcome int

const (
	outcomeOK outcome = iota
	outcomePermanent
	outcomeRetry       // the host answered but asks to come back later (408, 429)
	outcomeHostFailure // network error or 5xx: counts towards the dead-host skip
)

// classify: 2xx done; 408, 425, 429 and 5xx (but 501, 505) retry; other statuses
// (410 Gone, 400, 401, 403, 404, 422, 3xx since a POST is not redirected) are final.
func classify(status int, err error) outcome {
	switch {
	case status == 0:
		return outcomeHostFailure
	case status >= 200 && status < 300:
		return outcomeOK
	case status == 408 || status == 425 || status == 429:
		return outcomeRetry
	case status == 501 || status == 505:
		return outcomePermanent
	case status >= 500:
		return outcomeHostFailure
	}
	return outcomePermanent
}
