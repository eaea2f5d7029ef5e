package page_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"aktionsplan/outputs/page"
)

// chromium returns the path of a headless-capable Chromium, or skips the
// test when there is none, unless AKTIONSPLAN_REQUIRE_TOOLS=1.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("AKTIONSPLAN_REQUIRE_TOOLS") == "1" {
		t.Fatal("chromium not found (Debian package chromium)")
	}
	t.Skip("chromium not found (Debian package chromium)")
	return ""
}

// console matches what Chromium logs for a console message or an uncaught
// error of the page.
var console = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)

// TestChromiumRendersPage renders the page of the example in headless
// Chromium as a person would see it: a screenshot, no console message, and
// the DOM after rendering still holds the 13 areas and 13 fund bars.
func TestChromiumRendersPage(t *testing.T) {
	bin := chromium(t)
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, page.Name)
	if err := os.WriteFile(file, write(t, page.Page{}, loadRelease(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	run := func(args ...string) ([]byte, []byte) {
		flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--no-first-run", "--disable-extensions", "--disable-sync", "--disable-background-networking",
			"--disable-component-update", "--host-resolver-rules=MAP * ~NOTFOUND",
			"--user-data-dir=" + filepath.Join(dir, "profile")}
		cmd := exec.CommandContext(ctx, bin, append(append(flags, args...), "file://"+file)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, stderr.Bytes())
		}
		return stdout.Bytes(), stderr.Bytes()
	}
	shot := filepath.Join(dir, "page.png")
	_, log := run("--enable-logging=stderr", "--v=0", "--window-size=1280,2400", "--screenshot="+shot)
	for _, m := range console.FindAll(log, -1) {
		t.Errorf("console: %s", m)
	}
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 50_000 {
		t.Errorf("screenshot of %d bytes: blank or broken", len(png))
	}
	dom, _ := run("--dump-dom")
	for what, re := range map[string]string{"area paths": ` class="area `, "fund bars": `<g class="bars"`} {
		if n := bytes.Count(dom, []byte(re)); n != 13 {
			t.Errorf("rendered DOM has %d %s, want 13", n, what)
		}
	}
}
