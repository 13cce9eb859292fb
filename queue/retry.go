package queue

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// JitterFloor is the lowest fraction of the exponential step a jittered delay can
// fall to: delays are uniform in [JitterFloor·step, step]. Full jitter ([0, step])
// would make the 48-hour promise a matter of luck; this keeps the spread (retries of
// jobs that failed together scatter over 40 % of the step) and a guaranteed span.
const JitterFloor = 0.6

// RetryPolicy is exponential backoff with jitter: the delay after attempt n is
// uniform in [JitterFloor·s, s] with s = min(Max, Base·2^(n-1)).
type RetryPolicy struct {
	Base time.Duration
	Max  time.Duration
}

// Step is the un-jittered delay after attempt n (1-based).
func (p *RetryPolicy) Step(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := p.Base
	for i := 1; i < n; i++ {
		d *= 2
		if d >= p.Max || d <= 0 {
			return p.Max
		}
	}
	return min(d, p.Max)
}

// Backoff is the jittered delay after attempt n.
func (p *RetryPolicy) Backoff(n int) time.Duration {
	s := float64(p.Step(n))
	return time.Duration(s * (JitterFloor + (1-JitterFloor)*rand.Float64()))
}

// NextRetry implements river.ClientRetryPolicy.
func (p *RetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(p.Backoff(job.Attempt))
}

// RetrySpan returns the shortest and longest time from the first attempt to the
// last one of a job allowed maxAttempts attempts that fails every time (request
// durations left out).
func (p *RetryPolicy) RetrySpan(maxAttempts int) (lo, hi time.Duration) {
	for n := 1; n < maxAttempts; n++ {
		s := p.Step(n)
		lo += time.Duration(float64(s) * JitterFloor)
		hi += s
	}
	return lo, hi
}
