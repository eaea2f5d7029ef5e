package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"aktionsplan/outputs/release"
)

// The tests in this file and in lock_test.go run the real binary as
// subprocesses: a SIGKILL or a second process cannot be tested in-process.

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binary builds the command once for all tests of the package and returns
// its path. Without a go tool the test is skipped, unless
// AKTIONSPLAN_REQUIRE_TOOLS=1.
func binary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("AKTIONSPLAN_REQUIRE_TOOLS") == "1" {
			t.Fatalf("go tool needed to build the binary: %v", err)
		}
		t.Skipf("no go tool to build the binary: %v", err)
	}
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "aktionsplan-bin-"); buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "aktionsplan")
		out, err := exec.Command(goTool, "build", "-o", buildBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// rig is an output folder with a copy of the example whose key figures
// change from run to run, driven through the binary.
type rig struct {
	t      *testing.T
	bin    string
	config string
	out    string
	// tmp is the processes' TMPDIR. A run keeps its scratch files (the
	// GeoPackage's) in its staging folder, so a killed one leaves none
	// here: noScratch checks that.
	tmp string
	// figures is the example's key figures file; variant changes one cell.
	figures []byte
	// next numbers the variants, so that every run has new inputs.
	next int
}

// newRig copies the example, keeping keep releases, and publishes a first
// release.
func newRig(t *testing.T, keep int) *rig {
	t.Helper()
	config := exampleCopy(t)
	f, err := os.OpenFile(config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "\n[releases]\nkeep = %d\n", keep)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	figures, err := os.ReadFile(filepath.Join(filepath.Dir(config), "kennzahlen.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(figures, []byte(figureCell)) {
		t.Fatalf("the example's key figures lack %q", figureCell)
	}
	r := &rig{t: t, bin: binary(t), config: config, out: filepath.Join(t.TempDir(), "out"), tmp: t.TempDir(), figures: figures}
	r.publish()
	return r
}

// figureCell is the start of a row of the example's key figures; variant
// changes the number of inhabitants after it.
const figureCell = "Alt-Scharnhorst;2019;6420;"

// variant writes key figures that differ from all written before and
// returns the path and its SHA-256.
func (r *rig) variant() (path, sum string) {
	r.t.Helper()
	r.next++
	b := bytes.Replace(r.figures, []byte(figureCell), fmt.Appendf(nil, "Alt-Scharnhorst;2019;%d;", 7000+r.next), 1)
	path = filepath.Join(filepath.Dir(r.config), fmt.Sprintf("kennzahlen-%d.csv", r.next))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		r.t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return path, hex.EncodeToString(s[:])
}

// command returns a run of the binary on figures with the extra
// environment and flags.
func (r *rig) command(figures string, env []string, flags ...string) *exec.Cmd {
	args := append([]string{"run", "--config", r.config, "--out", r.out, "--key-figures", figures}, flags...)
	cmd := exec.Command(r.bin, args...)
	cmd.Env = append(append(os.Environ(), "TMPDIR="+r.tmp), env...)
	return cmd
}

// publish runs normally on new inputs and checks that it published them,
// cleaning up whatever an earlier process left.
func (r *rig) publish() {
	r.t.Helper()
	path, sum := r.variant()
	cmd := r.command(path, nil)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("normal run: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "Veröffentlicht") {
		r.t.Fatalf("normal run published nothing:\n%s%s", stdout.String(), stderr.String())
	}
	r.check()
	if got := r.figuresOfCurrent(); got != sum {
		r.t.Fatalf("after a normal run current has key figures %s, want %s", got, sum)
	}
	if left := r.leftovers(); len(left) > 0 {
		r.t.Fatalf("a normal run left %v", left)
	}
}

// current is the id of the current release.
func (r *rig) current() string {
	r.t.Helper()
	id, err := release.Current(r.out)
	if err != nil {
		r.t.Fatal(err)
	}
	return id
}

// check verifies the current release against its manifest and that no
// process holds the lock of the output folder.
func (r *rig) check() {
	r.t.Helper()
	if err := release.Verify(r.out); err != nil {
		r.t.Fatalf("current is not a complete release: %v", err)
	}
	if err := lockFree(r.out); err != nil {
		r.t.Fatal(err)
	}
}

// figuresOfCurrent is the SHA-256 of the key figures the current release
// was made from.
func (r *rig) figuresOfCurrent() string {
	r.t.Helper()
	m, err := release.ReadManifest(filepath.Join(r.out, "current"))
	if err != nil {
		r.t.Fatal(err)
	}
	for _, in := range m.Inputs {
		if in.Role == "key_figures" {
			return in.SHA256
		}
	}
	r.t.Fatalf("manifest of %s names no key figures", m.Release)
	return ""
}

// leftovers lists the hidden entries that a publication leaves while it
// works: staging folders, temporary links, releases half pruned.
func (r *rig) leftovers() []string {
	r.t.Helper()
	var left []string
	for _, dir := range []string{r.out, filepath.Join(r.out, "releases")} {
		es, err := os.ReadDir(dir)
		if err != nil {
			r.t.Fatal(err)
		}
		for _, e := range es {
			if strings.HasPrefix(e.Name(), ".") && e.Name() != ".lock" {
				left = append(left, filepath.Join(filepath.Base(dir), e.Name()))
			}
		}
	}
	return left
}

// noScratch fails the test if a run left anything in its TMPDIR.
func (r *rig) noScratch(run string) {
	r.t.Helper()
	es, err := os.ReadDir(r.tmp)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range es {
		r.t.Errorf("%s: the run left %s in TMPDIR", run, e.Name())
	}
}

// lockFree reports an error if a process holds the lock of out.
func lockFree(out string) error {
	f, err := os.Open(filepath.Join(out, ".lock"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return fmt.Errorf("lock of %s still held: %w", out, err)
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

// killed reports whether the process of a finished cmd died of SIGKILL.
func killed(cmd *exec.Cmd) bool {
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// crashSteps runs once with AKTIONSPLAN_CRASH_AT=trace and returns the
// crash points of a publication in the order they are reached.
func (r *rig) crashSteps() []string {
	r.t.Helper()
	path, _ := r.variant()
	cmd := r.command(path, []string{"AKTIONSPLAN_CRASH_AT=trace"}, "--force")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if out, err := cmd.Output(); err != nil {
		r.t.Fatalf("trace run: %v\n%s%s", err, out, stderr.String())
	}
	var steps []string
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		if step, ok := strings.CutPrefix(sc.Text(), "crash point: "); ok {
			steps = append(steps, step)
		}
	}
	return steps
}

// afterSwitch are the crash points after which current names the new
// release.
var afterSwitch = []string{"switch", "out-sync", "prune"}

// TestCrashAtEveryStep kills a run at every named step of its publication
// (AKTIONSPLAN_CRASH_AT): current is always a complete release, the
// previous one before the switch and the new one from the switch on; the
// lock is free; and the next run cleans up and publishes. The steps are
// shared out to a few output folders that run side by side.
func TestCrashAtEveryStep(t *testing.T) {
	t.Parallel()
	// keep = 1 makes every publication after the first prune, so pruning
	// is hit too.
	steps := newRig(t, 1).crashSteps()
	for _, want := range []string{"create:kennzahlen.csv", "sync:kennzahlen.csv", "manifest", "rename", "link", "switch", "out-sync", "prune"} {
		if !slices.Contains(steps, want) {
			t.Fatalf("trace lacks crash point %q: %v", want, steps)
		}
	}
	const shards = 4
	var before, after atomic.Int64
	t.Run("steps", func(t *testing.T) {
		for k := range shards {
			t.Run(strconv.Itoa(k), func(t *testing.T) {
				t.Parallel()
				r := newRig(t, 1)
				for i := k; i < len(steps); i += shards {
					if r.killAt(steps[i]) {
						after.Add(1)
					} else {
						before.Add(1)
					}
					r.afterKill(i/shards, true)
				}
				r.publish()
			})
		}
	})
	t.Logf("named crash points: %d killed (%d before the switch of current, %d after)", len(steps), before.Load(), after.Load())
}

// killAt runs on new inputs until the crash point step kills it, checks
// what it left and reports whether current is the new release.
func (r *rig) killAt(step string) (switched bool) {
	r.t.Helper()
	prev := r.current()
	path, sum := r.variant()
	cmd := r.command(path, []string{"AKTIONSPLAN_CRASH_AT=" + step})
	out, err := cmd.CombinedOutput()
	if !killed(cmd) {
		r.t.Fatalf("%s: the run was not killed (%v):\n%s", step, err, out)
	}
	r.check()
	r.noScratch("killed at " + step)
	cur := r.current()
	switch {
	case slices.Contains(afterSwitch, step):
		if cur == prev || r.figuresOfCurrent() != sum {
			r.t.Fatalf("killed at %s: current is %s, want the new release", step, cur)
		}
		return true
	case cur != prev:
		r.t.Fatalf("killed at %s: current is %s, want the previous %s", step, cur, prev)
	}
	return false
}

// TestCrashAtAnyMoment kills runs at moments spread over a run, as an
// operator or the OOM killer would, with the checks of
// TestCrashAtEveryStep: current is the previous or the new release, whole.
// Half the moments count from the start of the run; the other half from the
// moment it reports having written the manifest, spread over what is left
// of the run, so that the renames and the switch of current are hit under
// any load.
func TestCrashAtAnyMoment(t *testing.T) {
	t.Parallel()
	r := newRig(t, 1)
	full, tail := r.runDurations()
	const moments = 40
	var before, after, finished int
	for i := range moments {
		prev := r.current()
		h, sum := r.spawn([]string{"AKTIONSPLAN_CRASH_AT=trace"}, "crash point: "+tailMark)
		start := time.Now()
		if i%2 == 0 {
			time.Sleep(spread(full, i/2, moments/2) - time.Since(start))
		} else {
			select {
			case <-h.marked:
			case <-h.exited:
			}
			time.Sleep(spread(tail, i/2, moments/2))
		}
		h.cmd.Process.Kill()
		<-h.exited
		r.check()
		r.noScratch(fmt.Sprintf("run %d", i))
		cur := r.current()
		switch {
		case !killed(h.cmd):
			if h.err != nil {
				r.t.Fatalf("run %d: %v\n%s", i, h.err, h.errText())
			}
			finished++
		case cur != prev:
			after++
		default:
			before++
		}
		if cur != prev && r.figuresOfCurrent() != sum {
			t.Fatalf("run %d: current %s is neither the previous %s nor the new release", i, cur, prev)
		}
		// A run killed early may not have cleaned up yet.
		r.afterKill(i, false)
	}
	r.publish()
	t.Logf("timed kills (a run takes %v, %v of it after the manifest): %d killed before the switch of current, %d after, %d ended before the kill",
		full, tail, before, after, finished)
}

// tailMark is the crash point from which TestCrashAtAnyMoment times half
// its kills.
const tailMark = "manifest"

// spread is the i-th of n moments spread over 1.2 times d, so that some
// runs end before the kill.
func spread(d time.Duration, i, n int) time.Duration {
	return d * time.Duration(12*i+6) / time.Duration(10*n)
}

// afterKill checks, after the i-th kill of a run that got as far as
// publishing (past its cleanup), that the run killed before was cleaned up,
// leaving at most the leftover of the run killed now; every tenth time a
// normal run follows, which leaves nothing.
func (r *rig) afterKill(i int, published bool) {
	r.t.Helper()
	if left := r.leftovers(); published && len(left) > 1 {
		r.t.Fatalf("leftovers of more than one run: %v", left)
	}
	if i%10 == 9 {
		r.publish()
	}
}

// runDurations are the median of three traced runs from start to exit,
// and from the crash point tailMark to exit.
func (r *rig) runDurations() (full, tail time.Duration) {
	r.t.Helper()
	var fulls, tails []time.Duration
	for range 3 {
		h, _ := r.spawn([]string{"AKTIONSPLAN_CRASH_AT=trace"}, "crash point: "+tailMark)
		start := time.Now()
		var mark time.Time
		select {
		case <-h.marked:
			mark = time.Now()
		case <-h.exited:
		}
		if code := h.exitCode(); code != exitOK || mark.IsZero() {
			r.t.Fatalf("traced run: exit %d\n%s", code, h.errText())
		}
		fulls, tails = append(fulls, time.Since(start)), append(tails, time.Since(mark))
	}
	slices.Sort(fulls)
	slices.Sort(tails)
	return fulls[1], tails[1]
}
