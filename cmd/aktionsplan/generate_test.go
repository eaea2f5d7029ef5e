package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aktionsplan/examples/synth"
	"aktionsplan/outputs/release"
)

func TestGenerateThenRunPublishes(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "generate", "--areas", "30", "--fund-rows", "500", "--out", dir)
	if code != exitOK {
		t.Fatalf("generate: exit %d\n%s\n%s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	config := lines[len(lines)-1]
	if config != filepath.Join(dir, synth.ConfigFile) {
		t.Fatalf("last line %q, want the config path", config)
	}
	out := t.TempDir()
	code, stdout, stderr = runCmd(t, "2026-11-25T04:30:00Z", "run", "--verbose", "--config", config, "--out", out)
	if code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "30 Aktionsräume im Register, 500 Maßnahmen, 150 Kennzahlen-Zeilen") {
		t.Errorf("summary:\n%s", stdout)
	}
	for _, step := range []string{"Dauer der Schritte:", "Lesen mittelverwendung.csv", "500 Zeilen", "Verknüpfen", "30 Aktionsräume",
		"Schreiben kennzahlen", "davon kennzahlen.xlsx", "davon mittelverwendung.csv", "Veröffentlichen", "Gesamt"} {
		if !strings.Contains(stdout, step) {
			t.Errorf("--verbose prints no %q:\n%s", step, stdout)
		}
	}
	if strings.Contains(stdout, "Warnung") {
		t.Errorf("a small set has no warnings:\n%s", stdout)
	}
	if err := release.Verify(out); err != nil {
		t.Fatal(err)
	}
	// Reading the inputs one after another changes the times, not the files.
	serial := t.TempDir()
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--serial", "--verbose", "--config", config, "--out", serial); code != exitOK ||
		!strings.Contains(stdout, "Lesen mittelverwendung.csv") {
		t.Fatalf("run --serial: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, name := range []string{"mittelverwendung.csv", "mittelverwendung_summen.xlsx", "kennzahlen.csv", "aktionsraeume.geojson"} {
		a, errA := os.ReadFile(filepath.Join(out, "current", name))
		b, errB := os.ReadFile(filepath.Join(serial, "current", name))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between a run and a serial run (%v, %v)", name, errA, errB)
		}
	}

	again := t.TempDir()
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "generate", "--areas", "30", "--fund-rows", "500", "--out", again); code != exitOK {
		t.Fatalf("generate again: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, name := range []string{synth.RegisterFile, synth.AreasFile, synth.KeyFiguresFile, synth.FundUsageFile, synth.ConfigFile} {
		a, errA := os.ReadFile(filepath.Join(dir, name))
		b, errB := os.ReadFile(filepath.Join(again, name))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same flags (%v, %v)", name, errA, errB)
		}
	}
}

func TestGenerateRejectsBadSizes(t *testing.T) {
	for _, args := range [][]string{
		{"generate", "--areas", "0", "--fund-rows", "10", "--out", t.TempDir()},
		{"generate", "--areas", "10", "--fund-rows", "0", "--out", t.TempDir()},
		{"generate", "--areas", "10", "--fund-rows", "10"},
	} {
		if code, _, _ := runCmd(t, "2026-11-25T04:30:00Z", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
