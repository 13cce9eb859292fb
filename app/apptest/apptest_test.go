package apptest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app"
)

// idleProbe is a job kind no process works.
type idleProbe struct{}

func (idleProbe) Kind() string { return "apptest.idle_probe" }

// fatalTB records the first Fatalf and stops the waiting goroutine.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f)
}

func waitOutcome(tb testing.TB, timeout time.Duration, inst *Instance) (msg string) {
	f := &fatalTB{TB: tb}
	defer func() {
		if r := recover(); r != nil {
			if r != f {
				panic(r)
			}
			msg = f.msg
		}
	}()
	waitIdle(f, timeout, inst)
	return ""
}

// TestWaitQueueIdle: the wait returns on an idle queue, fails the test while a job
// is available (a web-role process never works it), and counts a job scheduled
// within the horizon but not one scheduled later.
func TestWaitQueueIdle(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		schedule string // SQL setting the probe's state, "" for no probe
		busy     bool
	}{
		{"no jobs", "", false},
		{"available", "state = 'available'", true},
		{"scheduled soon", "state = 'scheduled', scheduled_at = %s", true},
		{"scheduled in an hour", "state = 'scheduled', scheduled_at = %s", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst := StartRole(t, app.RoleWeb)
			if tc.schedule != "" {
				if err := inst.App.Queue.Insert(ctx, idleProbe{}); err != nil {
					t.Fatal(err)
				}
				at := time.Now().UTC().Add(time.Second)
				if strings.Contains(tc.name, "hour") {
					at = at.Add(time.Hour)
				}
				set := tc.schedule
				if strings.Contains(set, "%s") {
					ts := "'" + at.Format("2006-01-02 15:04:05.000") + "'"
					if inst.App.Store.Driver == "postgres" {
						ts += "::timestamptz"
					}
					set = fmt.Sprintf(set, ts)
				}
				if err := inst.App.Store.DB.Exec("UPDATE river_job SET " + set + " WHERE kind = 'apptest.idle_probe'").Error; err != nil {
					t.Fatal(err)
				}
			}
			msg := waitOutcome(t, 300*time.Millisecond, inst)
			if tc.busy && !strings.Contains(msg, "not idle") {
				t.Fatalf("busy queue: wait returned (%q)", msg)
			}
			if !tc.busy && msg != "" {
				t.Fatalf("idle queue: %s", msg)
			}
		})
	}
}
