// Command startup measures `commonsd serve` from the outside: it builds the binary,
// initialises a database with a first run, then starts the server again on that
// existing database and reports the time from exec to a 200 from /readyz, the CPU
// the server used until then (utime+stime from /proc/PID/stat, 10 ms ticks: the
// number to compare on a loaded machine, where wall-clock time is noise), and the
// resident memory (VmRSS from /proc/PID/status) after the server has idled.
//
//	go run ./bench/cmd/startup                       # SQLite in a temp data dir
//	go run ./bench/cmd/startup -driver postgres -dsn 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// Targets: start to ready ≤ 1 s, idle RSS ≤ 40 MB on SQLite.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/commonsd/commonsd/store/storetest"
	_ "github.com/jackc/pgx/v5/stdlib"
)

var addr string

func main() {
	driver := flag.String("driver", "sqlite", "sqlite or postgres")
	dsn := flag.String("dsn", os.Getenv("COMMONSD_TEST_POSTGRES_DSN"), "PostgreSQL DSN (a fresh schema is made in it)")
	idle := flag.Duration("idle", 3*time.Second, "idle time before reading RSS")
	runs := flag.Int("runs", 3, "measured starts")
	prebuilt := flag.String("bin", "", "a commonsd binary to measure (default: build ./cmd/commonsd stripped)")
	flag.Parse()

	dir, err := os.MkdirTemp("", "commonsd-startup-")
	check(err)
	defer os.RemoveAll(dir)
	bin := *prebuilt
	if bin == "" {
		bin = filepath.Join(dir, "commonsd")
		build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd/commonsd")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		check(build.Run())
	}
	if fi, err := os.Stat(bin); err == nil {
		fmt.Printf("binary: %.1f MB (stripped)\n", float64(fi.Size())/1e6)
	}

	env := []string{"COMMONSD_DATA_DIR=" + filepath.Join(dir, "data"), "COMMONSD_LOG_LEVEL=warn",
		"COMMONSD_DATABASE_DRIVER=" + *driver}
	if *driver == "postgres" {
		if *dsn == "" {
			log.Fatal("-dsn or COMMONSD_TEST_POSTGRES_DSN is required for postgres")
		}
		schema := fmt.Sprintf("startup_%d", time.Now().UnixNano())
		db, err := sql.Open("pgx", *dsn)
		check(err)
		_, err = db.Exec("CREATE SCHEMA " + schema)
		check(err)
		defer db.Exec("DROP SCHEMA " + schema + " CASCADE")
		env = append(env, "COMMONSD_DATABASE_DSN="+storetest.WithSearchPath(*dsn, schema))
	} else {
		env = append(env, "COMMONSD_DATABASE_DSN="+filepath.Join(dir, "data", "commonsd.db"))
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr = ln.Addr().String()
	ln.Close()
	first, firstCPU, _, _ := start(bin, env, 0) // creates and migrates the database
	fmt.Printf("%s first start (empty database): ready in %v (%d ms CPU)\n", *driver, first.Round(time.Millisecond), firstCPU)
	var worst time.Duration
	var maxRSS, maxCPU int
	for i := range *runs {
		d, cpu, rss, hwm := start(bin, env, *idle)
		fmt.Printf("%s start %d (existing database): ready in %v (%d ms CPU); after %v idle VmRSS %.1f MB (VmHWM %.1f MB)\n",
			*driver, i+1, d.Round(time.Millisecond), cpu, *idle, float64(rss)/1024, float64(hwm)/1024)
		worst, maxRSS, maxCPU = max(worst, d), max(maxRSS, rss), max(maxCPU, cpu)
	}
	fmt.Printf("RESULT driver=%s ready_max_ms=%d idle_rss_max_mb=%.1f ready_cpu_max_ms=%d\n", *driver, worst.Milliseconds(), float64(maxRSS)/1024, maxCPU)
}

// start runs serve until /readyz answers 200, idles, reads its memory (kB) and stops it.
// It returns the time to ready, the CPU milliseconds used until then, VmRSS and VmHWM.
// The address stays the same across runs: the public URL is the instance's identity.
func start(bin string, env []string, idle time.Duration) (time.Duration, int, int, int) {
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(append(os.Environ(), env...), "COMMONSD_SERVER_LISTEN="+addr, "COMMONSD_SERVER_PUBLIC_URL=http://"+addr)
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	check(cmd.Start())
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	c := &http.Client{Timeout: time.Second}
	var ready time.Duration
	var cpu int
	for {
		if resp, err := c.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				ready = time.Since(t0)
				cpu = cpuMillis(cmd.Process.Pid)
				break
			}
		}
		if time.Since(t0) > 30*time.Second {
			log.Fatal("not ready after 30 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if idle == 0 {
		return ready, cpu, 0, 0
	}
	time.Sleep(idle)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	check(err)
	fmt.Printf("  RssAnon %d kB, RssFile %d kB (the binary's mapped pages)\n", field(status, "RssAnon:"), field(status, "RssFile:"))
	return ready, cpu, field(status, "VmRSS:"), field(status, "VmHWM:")
}

// cpuMillis is the user+system CPU time of pid so far, from /proc/PID/stat
// (fields 14 and 15, in clock ticks of 10 ms on Linux).
func cpuMillis(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	var utime, stime int
	fmt.Sscanf(f[11], "%d", &utime) // field 14
	fmt.Sscanf(f[12], "%d", &stime) // field 15
	return (utime + stime) * 10
}

func field(status []byte, name string) int {
	for _, l := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(l, name); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	return 0
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
