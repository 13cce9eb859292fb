package queue

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/store/storetest"
)

var benchKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

func rsaSign(body []byte) {
	sum := sha256.Sum256(body)
	if _, err := rsa.SignPKCS1v15(nil, benchKey, crypto.SHA256, sum[:]); err != nil {
		panic(err)
	}
}

// signingPoster does what a real delivery costs: one RSA-2048 signature, one POST.
type signingPoster struct{ *httpPoster }

func (p signingPoster) Post(ctx context.Context, actorID, inbox string, body []byte) (int, time.Duration, error) {
	rsaSign(body)
	return p.httpPoster.Post(ctx, actorID, inbox, body)
}

func BenchmarkRSASign(b *testing.B) {
	body := []byte(`{"id":"https://local.example/activities/1","type":"Create"}`)
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			rsaSign(body)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signs/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rsaSign(body)
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signs/s")
	})
}

// BenchmarkFanOut: per iteration, 1 000 inboxes on 1 000 hosts enqueued in one
// transaction and delivered (signed + POSTed to a loopback sink).
func BenchmarkFanOut(b *testing.B) {
	for _, driver := range storetest.Drivers(b) {
		b.Run(driver, func(b *testing.B) {
			ctx := context.Background()
			st := openStore(b, driver)
			s := startSink(b, "127.0.0.1:0", nil)
			p := signingPoster{newPoster(func(inbox string) string { return s.url("/" + strings.TrimPrefix(inbox, "http://")) })}
			opts := fastOptions()
			opts.Workers = 32
			if w, err := strconv.Atoi(os.Getenv("QUEUE_BENCH_WORKERS")); err == nil {
				opts.Workers = w
			}
			if d, err := time.ParseDuration(os.Getenv("QUEUE_BENCH_POLL")); err == nil {
				opts.FetchPollInterval, opts.FetchCooldown = d, d/2
			}
			q := startQueue(b, st, opts, activities{}, p)
			inboxes := make([]string, 1000)
			for i := range inboxes {
				inboxes[i] = fmt.Sprintf("http://h%03d.example/inbox", i)
			}
			done := int64(0)
			i := 0
			for b.Loop() {
				i++
				if _, err := q.FanOut(ctx, nil, fmt.Sprintf("act-%d", i), "actor", inboxes); err != nil {
					b.Fatal(err)
				}
				done += 1000
				waitCounts(b, q, 5*time.Minute, func(c map[string]int64) bool { return c[StateCompleted] >= done })
			}
			b.ReportMetric(float64(done)/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}
