package federation

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
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
	MaxJSONDepth = vocab.MaxInboundDepth
	// InboxSlotsPerPeer is how many of the InboxConcurrency slots one client
	// address may hold once half of them are taken: a few busy or stalled
	// senders cannot make the others get 503. While more than half are free a
	// sender may use them (one relay, or a reverse proxy whose address is
	// every client's, keeps its throughput when nobody else is waiting).
	InboxSlotsPerPeer = 8
)

// InboxReadTimeout bounds how long a sender may take to send its body. The
// body is read before a processing slot is taken, so a slow sender holds only
// its own connection. (A variable for tests.)
var InboxReadTimeout = 10 * time.Second

// ProcessInbox is the job that turns stored inbound activities into service
// calls: the activities the inbox committed together (up to maxJobActivities,
// in arrival order) share one job, so the queue's per-job cost (fetching,
// completing: a few hundred µs of SQL on SQLite) is paid once per batch, not
// once per activity. ActivityID is a job of one (jobs written before batching,
// tests).
type ProcessInbox struct {
	ActivityID  string   `json:"activity_id,omitempty"`
	ActivityIDs []string `json:"activity_ids,omitempty"`
}

// ids are the job's activities in order.
func (j ProcessInbox) ids() []string {
	if j.ActivityID != "" {
		return append([]string{j.ActivityID}, j.ActivityIDs...)
	}
	return j.ActivityIDs
}

// Kind implements queue.Job.
func (ProcessInbox) Kind() string { return "inbox.process" }

// inbox accepts a signed activity: it reads the body (bounded in size and
// time), proves who sent it, checks that the sender speaks only for itself,
// stores it once (deduplicated by id) with its processing job, and answers 202.
// Nothing here is slow: the work happens in the job. The body is read before a
// processing slot is taken and before the database is touched.
func (f *Federation) inbox(c echo.Context) error {
	ctx := c.Request().Context()
	body, err := readInboxBody(c)
	if err != nil {
		return err
	}
	// The inbox's own user, from memory (the store's actor cache), before a
	// slot is taken: an inbox of nobody costs no slot.
	if name := c.Param("name"); name != "" {
		if _, err := f.svc.Actors.LocalByHandle(ctx, name); err != nil {
			return err
		}
	}
	release, ok := f.acquireInboxSlot(ctx, c.RealIP())
	if !ok {
		c.Response().Header().Set("Retry-After", "5")
		return errs.New(http.StatusServiceUnavailable, "inbox is busy; retry later")
	}
	defer release()
	// From here a row is on its way: the group commit may wait for it.
	coming := f.inboxBatch.announce()
	defer coming.withdraw()

	act, err := f.checkInbound(ctx, c.Request(), body)
	if err != nil {
		return err
	}
	// ActorURI is the verified signer (checkInbound refused any other actor);
	// the processing job acts only as this actor.
	row := models.Activity{ID: models.NewID(), URI: act.ID, Type: act.Type, ActorURI: act.Actor,
		ObjectURI: act.ObjectID(), Raw: string(body), State: models.ActivityPending, CreatedAt: f.svc.Now()}
	duplicate, err := f.inboxBatch.store(ctx, row, coming)
	if err != nil {
		return errs.Internal(err)
	}
	if duplicate {
		return c.JSONBlob(http.StatusAccepted, inboxAlreadyReceived)
	}
	return c.JSONBlob(http.StatusAccepted, inboxAccepted)
}

// The inbox's two answers, encoded once.
var (
	inboxAccepted        = []byte(`{"status":"accepted"}`)
	inboxAlreadyReceived = []byte(`{"status":"already received"}`)
)

// readInboxBody reads at most MaxInboxBody bytes within InboxReadTimeout.
func readInboxBody(c echo.Context) ([]byte, error) {
	rc := http.NewResponseController(c.Response())
	// Not every ResponseWriter supports deadlines (tests' recorders): then the
	// server's own ReadTimeout is the bound.
	_ = rc.SetReadDeadline(time.Now().Add(InboxReadTimeout))
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxInboxBody+1))
	if err != nil {
		// The deadline stays: net/http reads what is left of the body before
		// it answers, and must not wait for a stalled sender.
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return nil, errs.New(http.StatusRequestTimeout, "the body did not arrive within %s", InboxReadTimeout)
		}
		return nil, errs.BadRequest("could not read the body")
	}
	if len(body) > MaxInboxBody {
		return nil, errs.New(http.StatusRequestEntityTooLarge, "activity is larger than %d bytes", MaxInboxBody)
	}
	_ = rc.SetReadDeadline(time.Time{})
	return body, nil
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// checkInbound verifies everything the activity claims before we store it. It
// returns the one reading of the body (vocab.ParseInbound) that the processing
// job will also act on.
func (f *Federation) checkInbound(ctx context.Context, r *http.Request, body []byte) (*vocab.Object, error) {
	act, err := vocab.ParseInbound(body)
	if err != nil {
		return nil, parseRefusal(err)
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
	f.countInbound(key)
	if key.Owner != act.Actor {
		return nil, errs.Unauthorized("signature: key %s belongs to %s, not to the activity's actor", key.ID, key.Owner)
	}
	if err := checkClaims(act, key.Owner); err != nil {
		return nil, err
	}
	return act, nil
}

// parseRefusal turns a ParseInbound error into a 400 with its reason.
func parseRefusal(err error) error {
	switch {
	case errors.Is(err, vocab.ErrRefused):
		return errs.BadRequest("%s", err.Error())
	case errors.Is(err, vocab.ErrTooLarge):
		return errs.New(http.StatusRequestEntityTooLarge, "activity is too large")
	case errors.Is(err, vocab.ErrInvalidJSON):
		return errs.BadRequest("body is not valid JSON")
	}
	return errs.BadRequest("not an ActivityStreams document: %s", strings.TrimPrefix(err.Error(), "vocab: "))
}

// checkClaims checks that signer, the verified owner of the signing key,
// speaks only for itself in act: the actor is the signer, the activity's id is
// on the signer's host, and what it creates, changes, deletes or undoes is its
// own. It is a pure function of the parsed activity, shared by the inbox and
// the fuzz tests. What the object names (a Follow's target, a Like's note) is
// checked by the service; an Announce's object is re-fetched from its origin.
func checkClaims(act *vocab.Object, signer string) error {
	if act.Actor != signer {
		return errs.Unauthorized("signature: key belongs to %s, not to the activity's actor", signer)
	}
	actorHost := hostOf(signer)
	if actorHost == "" {
		return errs.BadRequest("actor is not an http(s) URL")
	}
	if hostOf(act.ID) != actorHost {
		return errs.BadRequest("activity id %s is not on the actor's host %s", act.ID, actorHost)
	}
	obj := act.Object
	if obj == nil {
		return nil
	}
	embedded := !obj.IsIRIOnly()
	switch act.Type {
	case "Create", "Update", "Delete", "Offer":
		// Authored content: an embedded copy claiming another host would let a
		// sender speak for someone else.
		if embedded && hostOf(obj.ID) != actorHost {
			return errs.BadRequest("object id %s is not on the actor's host %s", obj.ID, actorHost)
		}
	}
	switch act.Type {
	case "Delete", "Undo":
		// Only what the sender made can be deleted or undone by it (a Delete of
		// the actor itself included). A community's moderation arrives as the
		// Group's Announce{Delete}, handled apart.
		if hostOf(obj.ID) != actorHost {
			return errs.BadRequest("object id %s is not on the actor's host %s", obj.ID, actorHost)
		}
	case "Update":
		if obj.IsActor() && obj.ID != signer {
			return errs.Forbidden("an actor may update only itself")
		}
	}
	if !embedded {
		return nil
	}
	switch act.Type {
	case "Create", "Update", "Delete", "Undo", "Offer":
		// An embedded activity (Undo's, or one created) must be the sender's
		// own. On a content object "actor" is no authorship term (Mobilizon
		// names an event's organiser with it; attributedTo is checked below).
		if (obj.IsActivity() || act.Type == "Undo") && obj.Actor != "" && obj.Actor != signer {
			return errs.Forbidden("the embedded %s names %s as its actor, not the sender", obj.Type, obj.Actor)
		}
	}
	switch act.Type {
	case "Create", "Update", "Offer":
		if err := checkAttribution(obj, signer); err != nil {
			return err
		}
	}
	switch act.Type {
	case "Create", "Update":
		if !obj.IsActor() {
			for _, a := range obj.AttributedTo {
				if hostOf(a) != actorHost {
					return errs.Forbidden("the object is attributed to %s, on another host", a)
				}
			}
		}
	}
	return nil
}

// checkAttribution: an object created or offered is the sender's own. A note
// must say whose it is — without attributedTo, any account of the sender's host
// could store a note under the id of another's, which the real one, arriving
// later, would find taken — and its first attributedTo is the sender. Checked
// at the door for an embedded object and after the fetch for one by reference
// (authoredObject).
func checkAttribution(o *vocab.Object, sender string) error {
	if noteTypes[o.Type] && len(o.AttributedTo) == 0 {
		return errs.BadRequest("the %s has no attributedTo: whose it is cannot be checked", o.Type)
	}
	if !o.IsActor() && len(o.AttributedTo) > 0 && o.AttributedTo[0] != sender {
		return errs.Forbidden("the object is attributed to %s, not to the sender", o.AttributedTo[0])
	}
	return nil
}

// hostOf is the lower-case host[:port] of an http(s) URL, or "".
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return strings.ToLower(u.Host)
}

// acquireInboxSlot takes one of the instance's inbox slots and one of the
// client address's share of them.
func (f *Federation) acquireInboxSlot(ctx context.Context, peer string) (func(), bool) {
	if !f.inboxPeers.acquire(peer, 2*len(f.inboxSlots) >= cap(f.inboxSlots)) {
		return nil, false
	}
	release, ok := f.inboxSlots.acquire(ctx, 250*time.Millisecond)
	if !ok {
		f.inboxPeers.release(peer)
		return nil, false
	}
	return func() { release(); f.inboxPeers.release(peer) }, true
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

// peerSlots counts the inbox slots each client address holds. The zero value
// is ready to use.
type peerSlots struct {
	mu   sync.Mutex
	held map[string]int
}

// acquire counts one more slot for peer; under contention (busy) a peer that
// already holds its share gets none.
func (p *peerSlots) acquire(peer string, busy bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.held == nil {
		p.held = map[string]int{}
	}
	if busy && p.held[peer] >= InboxSlotsPerPeer {
		return false
	}
	p.held[peer]++
	return true
}

func (p *peerSlots) release(peer string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.held[peer] <= 1 {
		delete(p.held, peer)
	} else {
		p.held[peer]--
	}
}

var _ queue.Job = ProcessInbox{}
