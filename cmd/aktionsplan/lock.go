package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// errBusy is returned when another process works in the same output folder.
var errBusy = errors.New("Ausgabeordner belegt")

// lockOut takes the lock of an output folder for as long as this process
// runs or serves it: a second run, serve or rollback on the same folder
// refuses instead of cleaning up or overwriting the first one's work. The
// lock is an flock on OUT/.lock, so the kernel releases it when the process
// dies. The returned function releases it.
func lockOut(out string) (func(), error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(out, ".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s: ein anderer Lauf oder der Dienst (serve) arbeitet gerade darin "+
				"(Sperre %s); hier wurde nichts geändert. Bitte warten, bis er fertig ist, und dann erneut "+
				"starten; bei laufendem Dienst einen Lauf mit POST /api/runs starten", errBusy, out, path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
