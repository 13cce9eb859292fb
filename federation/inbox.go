package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/queue"
	"github.com/labstack/echo/v4"
)

// Inbox limits. An activity is small; anything larger or deeper is hostile.
const (
	MaxInboxBody = 1 << 20
	MaxJSONDepth = 32
)

// ProcessInbox is the job that turns a stored inbound activity into service calls.
type ProcessInbox struct {
	ActivityID string `json:"activity_id"`
}

// Kind implements queue.Job.
func (ProcessInbox) Kind() string { return "inbox.process" }

// inbox accepts a signed activity: it proves who sent it, checks that the sender
// speaks only for itself, stores it once (deduplicated by id) with its processing
// job, and answers 202. Nothing here is slow: the work happens in the job.
func (f *Federation) inbox(c echo.Context) error {
	ctx := c.Request().Context()
	if name := c.Param("name"); name != "" {
		if _, err := f.svc.Actors.LocalByHandle(ctx, name); err != nil {
			return err
		}
	}
	release, ok := f.inboxSlots.acquire(ctx, 250*time.Millisecond)
	if !ok {
		c.Response().Header().Set("Retry-After", "5")
		return errs.New(http.StatusServiceUnavailable, "inbox is busy; retry later")
	}
	defer release()

	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxInboxBody+1))
	if err != nil {
		return errs.BadRequest("could not read the body")
	}
	if len(body) > MaxInboxBody {
		return errs.New(http.StatusRequestEntityTooLarge, "activity is larger than %d bytes", MaxInboxBody)
	}
	act, err := f.checkInbound(ctx, c.Request(), body)
	if err != nil {
		return err
	}
	row := models.Activity{ID: models.NewID(), URI: act.ID, Type: act.Type, ActorURI: act.Actor,
		ObjectURI: act.ObjectID(), Raw: string(body), State: models.ActivityPending, CreatedAt: f.svc.Now()}
	duplicate, err := f.inboxBatch.store(ctx, row)
	if err != nil {
		return errs.Internal(err)
	}
	if duplicate {
		return c.JSON(http.StatusAccepted, map[string]string{"status": "already received"})
	}
	return c.JSON(http.StatusAccepted, map[string]string{"status": "accepted"})
}

// checkInbound verifies everything the activity claims before we store it.
func (f *Federation) checkInbound(ctx context.Context, r *http.Request, body []byte) (*vocab.Object, error) {
	if d := jsonDepth(body); d < 0 {
		return nil, errs.BadRequest("body is not valid JSON")
	} else if d > MaxJSONDepth {
		return nil, errs.BadRequest("JSON is nested deeper than %d levels", MaxJSONDepth)
	}
	act, err := peekActivity(body)
	if err != nil {
		return nil, errs.BadRequest("not an ActivityStreams document: %s", err)
	}
	if !act.IsActivity() || act.Actor == "" {
		return nil, errs.BadRequest("a %s is not an activity", act.Type)
	}
	actorHost := hostOf(act.Actor)
	if actorHost == "" {
		return nil, errs.BadRequest("actor is not an http(s) URL")
	}
	if !f.policy.Allowed(actorHost) {
		return nil, errs.Forbidden("domain %s is blocked here", actorHost)
	}
	if strings.EqualFold(actorHost, f.cfg.PublicHost()) {
		return nil, errs.Forbidden("activity claims an actor of this instance")
	}
	key, err := f.verifier.Verify(ctx, r, body)
	if err != nil {
		return nil, errs.Wrap(http.StatusUnauthorized, err, "signature: %s", signing.ClientMessage(err))
	}
	if key.Owner != act.Actor {
		return nil, errs.Unauthorized("signature: key %s belongs to %s, not to the activity's actor", key.ID, key.Owner)
	}
	if hostOf(act.ID) != actorHost {
		return nil, errs.BadRequest("activity id %s is not on the actor's host %s", act.ID, actorHost)
	}
	// An embedded object that claims another host would let a sender speak for
	// someone else: for authored content that is refused; an Announce or Like of
	// someone else's object is fine, its object is re-fetched from its origin.
	if obj := act.Object; obj != nil && !obj.IsIRIOnly() && obj.ID != "" && hostOf(obj.ID) != actorHost {
		switch act.Type {
		case "Create", "Update", "Delete", "Offer":
			return nil, errs.BadRequest("object id %s is not on the actor's host %s", obj.ID, actorHost)
		}
	}
	return act, nil
}

// jsonDepth returns the deepest nesting of a JSON document, or -1 if invalid.
func jsonDepth(b []byte) int {
	dec := json.NewDecoder(bytes.NewReader(b))
	depth, max := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return max
		}
		if err != nil {
			return -1
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
				if depth > max {
					max = depth
				}
				if max > MaxJSONDepth {
					return max
				}
			default:
				depth--
			}
		}
	}
}

// hostOf is the lower-case host[:port] of an http(s) URL, or "".
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return strings.ToLower(u.Host)
}

// slots bounds concurrent inbox requests: past the bound a sender waits briefly,
// then gets 503 with Retry-After instead of a timeout, so actor GETs stay fast.
type slots chan struct{}

func (s slots) acquire(ctx context.Context, wait time.Duration) (func(), bool) {
	select {
	case s <- struct{}{}:
		return func() { <-s }, true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s <- struct{}{}:
		return func() { <-s }, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

var _ queue.Job = ProcessInbox{}
