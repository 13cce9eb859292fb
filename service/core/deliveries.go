package core

import "time"

// Delivery job states (River's names); the queue's tests check they agree.
const (
	DeliveryPending   = "pending"
	DeliveryScheduled = "scheduled"
	DeliveryAvailable = "available"
	DeliveryRunning   = "running"
	DeliveryRetryable = "retryable"
	DeliveryCompleted = "completed"
	DeliveryCancelled = "cancelled"
	DeliveryDiscarded = "discarded"
)

// DeliveryStates lists every delivery state, in the order admin pages show them.
var DeliveryStates = []string{DeliveryAvailable, DeliveryScheduled, DeliveryRunning, DeliveryRetryable,
	DeliveryCompleted, DeliveryDiscarded, DeliveryCancelled, DeliveryPending}

// ValidDeliveryState reports whether s is one of DeliveryStates.
func ValidDeliveryState(s string) bool {
	for _, x := range DeliveryStates {
		if x == s {
			return true
		}
	}
	return false
}

// DeliveryFilter selects deliveries for admins.
type DeliveryFilter struct {
	State      string // one of DeliveryStates; empty: all
	Host       string // exact host[:port]; empty: all
	ActivityID string // empty: all
	Limit      int    // default 100, at most 1000
}

// DeliveryInfo is one delivery as admins see it.
type DeliveryInfo struct {
	JobID       int64      `json:"job_id"`
	ActivityID  string     `json:"activity_id"`
	ActorID     string     `json:"actor_id"`
	Inbox       string     `json:"inbox"`
	Host        string     `json:"host"`
	State       string     `json:"state"`
	Attempt     int        `json:"attempt"`
	MaxAttempts int        `json:"max_attempts"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	AttemptedAt *time.Time `json:"attempted_at,omitempty"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"` // unset once finished
	FinalizedAt *time.Time `json:"finalized_at,omitempty"`
}
