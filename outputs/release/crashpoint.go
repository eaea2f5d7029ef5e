package release

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"time"
)

// Crash points are a test hook: the crash tests of the command start a run
// as a subprocess and stop it at each named step of a publication, so that
// every write, sync, rename and the switch of current is hit exactly. Two
// environment variables, read once, turn it on; unset, as in production,
// each step costs a comparison.
//
//	AKTIONSPLAN_CRASH_AT=<step>  at <step> the process kills itself with SIGKILL
//	AKTIONSPLAN_CRASH_AT=trace   every step reached is written to standard
//	                             error as "crash point: <step>"; nothing is killed
//	AKTIONSPLAN_PAUSE_AT=<step>  at <step> "paused at <step>" is written to
//	                             standard error and the process waits for a
//	                             line or the end of standard input
//
// The steps, in the order a publication reaches them:
//
//	create:<file>   the file exists, empty, in the staging folder
//	flush:<file>    its bytes are handed to the kernel, not yet synced
//	sync:<file>     its bytes are on disk
//	close:<file>    it is closed
//	manifest        manifest.json is written, not yet synced
//	manifest-sync   manifest.json is on disk
//	staging-sync    the staging folder's entries are on disk
//	rename          the staging folder has its release name
//	releases-sync   releases/ is on disk with the new release
//	link            the temporary link to the new release exists
//	switch          current points at the new release, not yet synced
//	out-sync        the output folder is on disk: the publication is done
//	prune           Prune moved a release out of releases/, not yet removed
//
// Rollback passes link and switch too.
const (
	crashAtEnv = "AKTIONSPLAN_CRASH_AT"
	pauseAtEnv = "AKTIONSPLAN_PAUSE_AT"
	crashTrace = "trace"
)

var crashHook = sync.OnceValues(func() (crashAt, pauseAt string) {
	return os.Getenv(crashAtEnv), os.Getenv(pauseAtEnv)
})

// crashPoint is reached at the step name of a publication; see above.
func crashPoint(name string) {
	crashAt, pauseAt := crashHook()
	if crashAt == "" && pauseAt == "" {
		return
	}
	if crashAt == crashTrace {
		fmt.Fprintf(os.Stderr, "crash point: %s\n", name)
	}
	if name == pauseAt {
		fmt.Fprintf(os.Stderr, "paused at %s\n", name)
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	if name == crashAt {
		p, err := os.FindProcess(os.Getpid())
		if err == nil {
			p.Kill() // SIGKILL on Unix: no deferred call, no cleanup runs
		}
		// The signal may take a moment to land; nothing may run meanwhile.
		for {
			time.Sleep(time.Hour)
		}
	}
}
