package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// envSinkProcess makes the test binary a sink process (TestMain) serving that
// many hosts instead of running benchmarks.
const envSinkProcess = "BENCH_SINK_PROCESS"

// TestMain runs the benchmarks, or, re-executed by startSinkProcess, the sinks
// of another process: a delivery benchmark whose sinks share its process counts
// their CPU as the sender's (they cost about as much as the sending itself).
func TestMain(m *testing.M) {
	if v := os.Getenv(envSinkProcess); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := serveSinkProcess(n); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// sinkStats is what a sink process has counted since its last reset.
type sinkStats struct {
	Total, Ed25519, Unsigned int64
	FirstBad                 string
}

// serveSinkProcess serves n sinks and a control port, writes the control
// address and the hosts as one JSON line on stdout, and returns when stdin
// closes (the parent is gone).
func serveSinkProcess(n int) error {
	s, stop, err := newSinks(n, nil)
	if err != nil {
		return err
	}
	defer stop()
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(sinkStats{s.total.Load(), s.ed25519.Load(), s.unsigned.Load(), s.describeBad()})
	})
	mux.HandleFunc("POST /reset", func(w http.ResponseWriter, _ *http.Request) { s.reset() })
	go http.Serve(ctl, mux)
	if err := json.NewEncoder(os.Stdout).Encode(map[string]any{"control": ctl.Addr().String(), "hosts": s.hosts}); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}

// sinkProcess is the parent's handle on a sink process.
type sinkProcess struct {
	hosts   []string
	control string
	pid     int
}

// startSinkProcess re-executes the test binary as a sink process of n hosts.
func startSinkProcess(b *testing.B, n int) *sinkProcess {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envSinkProcess+"="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	var hello struct {
		Control string
		Hosts   []string
	}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &hello)
	}
	if err != nil || len(hello.Hosts) != n {
		b.Fatalf("sink process: %v (%d hosts)", err, len(hello.Hosts))
	}
	return &sinkProcess{hosts: hello.Hosts, control: hello.Control, pid: cmd.Process.Pid}
}

func (p *sinkProcess) stats(b *testing.B) sinkStats {
	b.Helper()
	resp, err := http.Get("http://" + p.control + "/stats")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var st sinkStats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		b.Fatal(err)
	}
	return st
}

func (p *sinkProcess) reset(b *testing.B) {
	b.Helper()
	resp, err := http.Post("http://"+p.control+"/reset", "", nil)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
}

// cpuSeconds is the CPU time the sink process has used (utime + stime of
// /proc/PID/stat, in clock ticks of 1/100 s).
func (p *sinkProcess) cpuSeconds(b *testing.B) float64 {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid))
	if err != nil {
		b.Fatal(err)
	}
	// The command name, in parentheses, may hold spaces: count after its ')'.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100
}
