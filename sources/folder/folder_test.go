package folder

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// file is one file of a test folder, modified age before base.
type file struct {
	name string
	age  time.Duration
}

var base = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// folder creates the files in a new folder; each holds its own name.
func folder(t *testing.T, files ...file) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if strings.HasSuffix(f.name, "/") {
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(p, []byte(f.name), 0o644); err != nil {
			t.Fatal(err)
		}
		mt := base.Add(-f.age)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestInputChoosesNewest(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		files   []file
		want    string
	}{
		{"newest by time", "mittelverwendung_*.xlsx", []file{
			{"mittelverwendung_2026-03.xlsx", 48 * time.Hour},
			{"mittelverwendung_2026-01.xlsx", time.Hour},
			{"mittelverwendung_2026-02.xlsx", 24 * time.Hour},
		}, "mittelverwendung_2026-01.xlsx"},
		{"same time: greater name", "mittelverwendung_*.xlsx", []file{
			{"mittelverwendung_2026-02.xlsx", 0},
			{"mittelverwendung_2026-03.xlsx", 0},
			{"mittelverwendung_2026-01.xlsx", 0},
		}, "mittelverwendung_2026-03.xlsx"},
		{"other names ignored", "mittelverwendung_*.xlsx", []file{
			{"mittelverwendung_alt.xlsx", time.Hour},
			{"kennzahlen_neu.xlsx", 0},
			{"mittelverwendung_neu.csv", 0},
		}, "mittelverwendung_alt.xlsx"},
		{"office lock and owner files ignored", "*.xlsx", []file{
			{"mittelverwendung.xlsx", time.Hour},
			{"~$mittelverwendung.xlsx", 0},
			{".~lock.mittelverwendung.xlsx#", 0},
			{".versteckt.xlsx", 0},
		}, "mittelverwendung.xlsx"},
		{"folders ignored", "*.xlsx", []file{
			{"mittelverwendung.xlsx", time.Hour},
			{"archiv.xlsx/", 0},
		}, "mittelverwendung.xlsx"},
		{"character class", "kennzahlen_202[56].csv", []file{
			{"kennzahlen_2025.csv", time.Hour},
			{"kennzahlen_2027.csv", 0},
		}, "kennzahlen_2025.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := folder(t, tt.files...)
			in := Input(dir, tt.pattern)
			if in.Name != tt.pattern {
				t.Errorf("Name = %q, want the pattern %q", in.Name, tt.pattern)
			}
			rc, err := in.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			named, ok := rc.(interface{ Name() string })
			if !ok {
				t.Fatalf("%T has no Name method", rc)
			}
			if got := filepath.Base(named.Name()); got != tt.want {
				t.Errorf("opened %q, want %q", got, tt.want)
			}
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("content %q, want that of %q", b, tt.want)
			}
		})
	}
}

func TestInputNoMatch(t *testing.T) {
	tests := []struct {
		name  string
		files []file
	}{
		{"empty folder", nil},
		{"only other names", []file{{"kennzahlen.xlsx", 0}}},
		{"only an owner file", []file{{"~$mittelverwendung_2026.xlsx", 0}}},
		{"only a folder", []file{{"mittelverwendung_2026.xlsx/", 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := folder(t, tt.files...)
			_, err := Input(dir, "mittelverwendung_*.xlsx").Open()
			if !errors.Is(err, ErrNoMatch) || !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("err = %v, want ErrNoMatch and fs.ErrNotExist", err)
			}
			want := "keine Datei passt zu „mittelverwendung_*.xlsx“ in " + dir
			if err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		})
	}
}

func TestInputMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "eingang")
	_, err := Input(dir, "*.xlsx").Open()
	var pathErr *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pathErr) || pathErr.Path != dir {
		t.Fatalf("err = %v, want a missing-path error naming %s", err, dir)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		pattern string
		ok      bool
	}{
		{"mittelverwendung_*.xlsx", true},
		{"kennzahlen_20[0-9][0-9].csv", true},
		{"register.csv", true},
		{"", false},
		{"eingang/*.xlsx", false},
		{"kennzahlen_[.csv", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			err := Check(tt.pattern)
			if tt.ok && err != nil {
				t.Errorf("Check = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, ErrPattern) {
				t.Errorf("Check = %v, want ErrPattern", err)
			}
			if !tt.ok {
				if _, err := Input(t.TempDir(), tt.pattern).Open(); !errors.Is(err, ErrPattern) {
					t.Errorf("Open = %v, want ErrPattern", err)
				}
			}
		})
	}
}
