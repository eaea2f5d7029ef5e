package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"aktionsplan/outputs/release"
)

// held is a run of the binary whose standard input and error the test
// holds, so that it can be paused at a crash point (AKTIONSPLAN_PAUSE_AT)
// and let go again, or killed when it reports a crash point.
type held struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout bytes.Buffer
	// marked is closed when the run wrote the line it was started to
	// watch for; exited when it ended.
	marked, exited chan struct{}
	mu             sync.Mutex
	stderr         strings.Builder
	err            error
}

// start starts a run on new inputs, paused at step if it gets that far.
func (r *rig) start(step string) (h *held, sum string) {
	r.t.Helper()
	return r.spawn([]string{"AKTIONSPLAN_PAUSE_AT=" + step}, "paused at "+step)
}

// spawn starts a run on new inputs with the extra environment, watching
// its standard error for the line mark. It returns the SHA-256 of the key
// figures it reads.
func (r *rig) spawn(env []string, mark string) (h *held, sum string) {
	r.t.Helper()
	path, sum := r.variant()
	h = &held{marked: make(chan struct{}), exited: make(chan struct{})}
	h.cmd = r.command(path, env)
	h.cmd.Stdout = &h.stdout
	stdin, err := h.cmd.StdinPipe()
	if err != nil {
		r.t.Fatal(err)
	}
	stderr, err := h.cmd.StderrPipe()
	if err != nil {
		r.t.Fatal(err)
	}
	h.stdin = stdin
	if err := h.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { h.cmd.Process.Kill(); <-h.exited })
	go func() {
		sc := bufio.NewScanner(stderr)
		seen := false
		for sc.Scan() {
			h.mu.Lock()
			h.stderr.WriteString(sc.Text() + "\n")
			h.mu.Unlock()
			if sc.Text() == mark && !seen {
				seen = true
				close(h.marked)
			}
		}
		h.err = h.cmd.Wait()
		close(h.exited)
	}()
	return h, sum
}

// errText is what the run wrote to standard error so far.
func (h *held) errText() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stderr.String()
}

// exitCode waits for the run to end and returns its exit code.
func (h *held) exitCode() int {
	<-h.exited
	return h.cmd.ProcessState.ExitCode()
}

// wantRefused checks that h ended with the exit code and message of a
// folder in use, naming the folder.
func (r *rig) wantRefused(h *held) {
	r.t.Helper()
	if code := h.exitCode(); code != exitFailure {
		r.t.Fatalf("second run: exit %d, want %d\n%s%s", code, exitFailure, h.stdout.String(), h.errText())
	}
	msg := h.errText()
	for _, want := range []string{"Ausgabeordner belegt", r.out, filepath.Join(r.out, ".lock"), "Bitte warten"} {
		if !strings.Contains(msg, want) {
			r.t.Errorf("message of the refused run lacks %q:\n%s", want, msg)
		}
	}
	if h.stdout.Len() > 0 {
		r.t.Errorf("refused run wrote to standard output:\n%s", h.stdout.String())
	}
}

// releases counts the release folders.
func (r *rig) releases() int {
	r.t.Helper()
	infos, err := release.List(r.out)
	if err != nil {
		r.t.Fatal(err)
	}
	return len(infos)
}

// TestTwoRunsAtOnce starts two runs on the same output folder at the same
// moment. Both would pause in the middle of their publication: the one that
// gets the lock does, the other is refused at once; then the first goes on
// and publishes alone.
func TestTwoRunsAtOnce(t *testing.T) {
	r := newRig(t, 30)
	prev, n := r.current(), r.releases()
	a, sumA := r.start("manifest")
	b, sumB := r.start("manifest")

	var winner, loser *held
	var sum string
	select {
	case <-a.marked:
		winner, loser, sum = a, b, sumA
	case <-b.marked:
		winner, loser, sum = b, a, sumB
	case <-a.exited:
		winner, loser, sum = b, a, sumB
	case <-b.exited:
		winner, loser, sum = a, b, sumA
	}
	r.wantRefused(loser)
	select {
	case <-winner.marked:
	case <-winner.exited:
		t.Fatalf("both runs ended: exit %d\n%s", winner.exitCode(), winner.errText())
	}
	// While the winner is inside its publication, current is untouched.
	if err := release.Verify(r.out); err != nil || r.current() != prev {
		t.Fatalf("while one run publishes: current %s (%v), want %s", r.current(), err, prev)
	}
	winner.stdin.Close()
	if code := winner.exitCode(); code != exitOK || !strings.Contains(winner.stdout.String(), "Veröffentlicht") {
		t.Fatalf("first run: exit %d\n%s%s", code, winner.stdout.String(), winner.errText())
	}
	r.check()
	if r.figuresOfCurrent() != sum || r.releases() != n+1 {
		t.Fatalf("current has key figures %s, want %s; %d releases, want %d", r.figuresOfCurrent(), sum, r.releases(), n+1)
	}
	r.publish()
}

// TestLockHolderKilled holds a run just before the switch of current,
// refuses a second run meanwhile, then kills the first: the kernel releases
// its lock, current stays the previous release, and the next run cleans up
// and publishes.
func TestLockHolderKilled(t *testing.T) {
	r := newRig(t, 30)
	prev := r.current()
	first, _ := r.start("link")
	select {
	case <-first.marked:
	case <-first.exited:
		t.Fatalf("first run ended: exit %d\n%s", first.exitCode(), first.errText())
	}
	second, _ := r.start("link")
	r.wantRefused(second)

	first.cmd.Process.Kill()
	<-first.exited
	if !killed(first.cmd) {
		t.Fatalf("first run not killed: %v", first.err)
	}
	r.check()
	if cur := r.current(); cur != prev {
		t.Fatalf("after the kill current is %s, want %s", cur, prev)
	}
	if left := r.leftovers(); len(left) == 0 {
		t.Fatal("the killed run left no temporary link: was it paused before the switch?")
	}
	r.publish()
	if _, err := os.Stat(filepath.Join(r.out, ".lock")); err != nil {
		t.Fatal(err)
	}
}

// TestTwoRunsRace starts pairs of runs on one output folder without any
// hook, as two cron entries would: in each pair a run either publishes or
// is refused with the message of a folder in use, and the releases are
// those of the runs that succeeded, each complete.
func TestTwoRunsRace(t *testing.T) {
	r := newRig(t, 30)
	refused := 0
	const pairs = 5
	for range pairs {
		n := r.releases()
		a, sumA := r.spawn(nil, "")
		b, sumB := r.spawn(nil, "")
		ok := 0
		for _, h := range []*held{a, b} {
			switch code := h.exitCode(); code {
			case exitOK:
				ok++
			case exitFailure:
				r.wantRefused(h)
				refused++
			default:
				t.Fatalf("exit %d\n%s%s", code, h.stdout.String(), h.errText())
			}
		}
		r.check()
		if ok == 0 || r.releases() != n+ok {
			t.Fatalf("%d runs succeeded, releases went from %d to %d", ok, n, r.releases())
		}
		if cur := r.figuresOfCurrent(); cur != sumA && cur != sumB {
			t.Fatalf("current has key figures %s, from neither run", cur)
		}
	}
	t.Logf("%d pairs: %d runs refused, the others published one after the other", pairs, refused)
}
