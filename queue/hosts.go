package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

var errHostBusy = errors.New("host busy")

type hostDeadError struct {
	until    time.Time
	failures int
}

func (e *hostDeadError) Error() string {
	return fmt.Sprintf("host down until %s after %d failures", e.until.Format(time.RFC3339), e.failures)
}

// hostLimiter bounds concurrent requests per remote host in this process and
// remembers hosts that keep failing. A job waits at most a bounded time for a slot,
// and at most `limit` jobs wait per host, so a slow host holds at most 2·limit of
// the process's workers and never stalls deliveries to other hosts.
type hostLimiter struct {
	limit   int
	deadN   int
	deadFor time.Duration
	mu      sync.Mutex
	hosts   map[string]*hostState
	now     func() time.Time
}

type hostState struct {
	slots     chan struct{}
	refs      int // holders and waiters
	waiters   int
	failures  int // consecutive
	deadUntil time.Time
}

func newHostLimiter(limit, deadN int, deadFor time.Duration) *hostLimiter {
	return &hostLimiter{limit: limit, deadN: deadN, deadFor: deadFor, hosts: map[string]*hostState{}, now: time.Now}
}

// acquire takes a slot for host, waiting up to wait. release(failed) returns it and
// records the outcome.
func (l *hostLimiter) acquire(ctx context.Context, host string, wait time.Duration) (release func(failed bool), err error) {
	l.mu.Lock()
	h := l.hosts[host]
	if h == nil {
		h = &hostState{slots: make(chan struct{}, l.limit)}
		l.hosts[host] = h
	}
	if l.now().Before(h.deadUntil) {
		err := &hostDeadError{until: h.deadUntil, failures: h.failures}
		l.mu.Unlock()
		return nil, err
	}
	h.refs++
	select {
	case h.slots <- struct{}{}:
		l.mu.Unlock()
		return l.releaser(host, h), nil
	default:
	}
	if h.waiters >= l.limit {
		l.put(host, h)
		l.mu.Unlock()
		return nil, errHostBusy
	}
	h.waiters++
	l.mu.Unlock()

	t := time.NewTimer(wait)
	defer t.Stop()
	var got bool
	select {
	case h.slots <- struct{}{}:
		got = true
	case <-t.C:
	case <-ctx.Done():
	}
	l.mu.Lock()
	h.waiters--
	if !got {
		l.put(host, h)
		l.mu.Unlock()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errHostBusy
	}
	l.mu.Unlock()
	return l.releaser(host, h), nil
}

func (l *hostLimiter) releaser(host string, h *hostState) func(bool) {
	var once sync.Once
	return func(failed bool) {
		once.Do(func() {
			<-h.slots
			l.mu.Lock()
			defer l.mu.Unlock()
			if failed {
				h.failures++
				if l.deadN > 0 && h.failures >= l.deadN {
					h.deadUntil = l.now().Add(l.deadFor)
				}
			} else {
				h.failures = 0
				h.deadUntil = time.Time{}
			}
			l.put(host, h)
		})
	}
}

// put drops a reference; an idle host without failures is forgotten. Caller holds mu.
func (l *hostLimiter) put(host string, h *hostState) {
	h.refs--
	if h.refs == 0 && h.failures == 0 {
		delete(l.hosts, host)
	}
}
