package httpserve

import (
	"bytes"
	_ "embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"aktionsplan/outputs/release"
	"aktionsplan/pipeline"
)

//go:embed page.html.tmpl
var pageTemplate string

var startPage = template.Must(template.New("page").Parse(pageTemplate))

// pageRuns is how many runs the status page lists, pageReleases how many
// releases.
const (
	pageRuns     = 10
	pageReleases = 50
)

// releasePage is the page that every release carries (package page); the
// server's home is the one of the current release.
const releasePage = "index.html"

// pageCSP lets the start page load nothing but itself: the style is inline.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// pageView is what the start page shows; every text is final, so the
// template only places and escapes it.
type pageView struct {
	Title     string
	Release   string // id of the current release; "" when none
	Published string
	Note      string
	Files     []fileLine
	Manifest  string // link to manifest.json
	// ReleasePage links the release page of the current release, if it
	// has one.
	ReleasePage string
	Problem     string // why the release or the runs cannot be shown
	Runs        []runLine
	Releases    []releaseLine
	// MoreReleases counts the releases beyond those listed.
	MoreReleases string
	Generated    string
}

type releaseLine struct {
	ID, Published, Files, Size, Href, Link string
	Current                                bool
}

type fileLine struct {
	Name, Rows, Size, Href, Permalink string
}

type runLine struct {
	ID, Start, Trigger, Status, Class, Errors, Warnings, Message, Href string
}

// home sends browsers to the release page of the current release, whose
// relative links to the files of the release work from there; before a
// release has a page, it answers the status page. The redirect is not
// cached: it follows the current release.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if s.hasPage() {
		w.Header().Set("Cache-Control", "no-cache")
		http.Redirect(w, r, "/data/current/"+releasePage, http.StatusFound)
		return
	}
	s.page(w, r)
}

// hasPage reports whether the current release has a release page.
func (s *Server) hasPage() bool {
	id, err := release.Current(s.c.Out)
	if err != nil {
		return false
	}
	root, err := os.OpenRoot(s.releases)
	if err != nil {
		return false
	}
	defer root.Close()
	fi, err := root.Stat(id + "/" + releasePage)
	return err == nil && fi.Mode().IsRegular()
}

// page answers the status page. Parts that cannot be read are replaced by a
// note and logged; the page itself still answers 200.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	v := pageView{Title: s.c.Title, Generated: s.formatTime(s.c.Now())}
	s.addRelease(r, &v)
	s.addReleases(r, &v)
	s.addRuns(r, &v)
	var b bytes.Buffer
	if err := startPage.Execute(&b, v); err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Cache-Control", "no-cache")
	w.Write(b.Bytes())
}

// addRelease fills in the files of the current release.
func (s *Server) addRelease(r *http.Request, v *pageView) {
	id, err := release.Current(s.c.Out)
	if errors.Is(err, release.ErrNoRelease) {
		return
	}
	var m pipeline.Manifest
	if err == nil {
		var root *os.Root
		if root, err = os.OpenRoot(s.releases); err == nil {
			m, err = readManifest(root, id)
			root.Close()
		}
	}
	if err != nil {
		s.c.Logger.Error("current release not readable", "path", r.URL.Path, "err", err)
		v.Problem = "Die aktuelle Veröffentlichung kann gerade nicht gelesen werden."
		return
	}
	v.Release, v.Published, v.Note = id, s.formatTime(m.Time), m.Note
	for _, f := range m.Files {
		if !validName(f.Name) {
			continue
		}
		v.Files = append(v.Files, fileLine{
			Name: f.Name, Rows: pipeline.GermanInt(f.Rows), Size: formatSize(f.Bytes),
			Href:      "/data/current/" + url.PathEscape(f.Name),
			Permalink: "/data/releases/" + id + "/" + url.PathEscape(f.Name),
		})
	}
	v.Manifest = "/data/releases/" + id + "/" + manifestName
	if s.hasPage() {
		v.ReleasePage = "/data/current/" + releasePage
	}
}

// addReleases lists the releases, newest first, each linked to its page
// or, for releases without one, to its manifest.
func (s *Server) addReleases(r *http.Request, v *pageView) {
	infos, err := release.List(s.c.Out)
	if err != nil {
		s.c.Logger.Error("releases not readable", "path", r.URL.Path, "err", err)
		return
	}
	root, err := os.OpenRoot(s.releases)
	if err != nil {
		return
	}
	defer root.Close()
	for i, info := range infos {
		if i == pageReleases {
			v.MoreReleases = pipeline.GermanInt(len(infos) - pageReleases)
			break
		}
		if info.Err != nil || !validID(info.ID) {
			continue
		}
		l := releaseLine{ID: info.ID, Published: s.formatTime(info.Time), Files: pipeline.GermanInt(info.Files),
			Size: formatSize(info.Bytes), Current: info.Current,
			Href: "/data/releases/" + info.ID + "/" + manifestName, Link: "Manifest"}
		if fi, err := root.Stat(info.ID + "/" + releasePage); err == nil && fi.Mode().IsRegular() {
			l.Href, l.Link = "/data/releases/"+info.ID+"/"+releasePage, "Seite"
		}
		v.Releases = append(v.Releases, l)
	}
}

// addRuns fills in the last runs.
func (s *Server) addRuns(r *http.Request, v *pageView) {
	if s.c.History == nil {
		return
	}
	runs, err := s.c.History.List(r.Context(), pageRuns)
	if err != nil {
		s.c.Logger.Error("run history not readable", "path", r.URL.Path, "err", err)
		if v.Problem == "" {
			v.Problem = "Der Verlauf der Läufe kann gerade nicht gelesen werden."
		}
		return
	}
	for _, rec := range runs {
		st := statusLabels[rec.Status]
		if st.label == "" {
			st = statusLabel{rec.Status, "neutral"}
		}
		trigger := triggerLabels[rec.Trigger]
		if trigger == "" {
			trigger = rec.Trigger
		}
		v.Runs = append(v.Runs, runLine{
			ID: rec.ID, Start: s.formatTime(rec.Start), Trigger: trigger,
			Status: st.label, Class: st.class, Message: rec.Message,
			Errors: pipeline.GermanInt(rec.Errors), Warnings: pipeline.GermanInt(rec.Warnings),
			Href: "/api/runs/" + url.PathEscape(rec.ID),
		})
	}
}

type statusLabel struct{ label, class string }

var statusLabels = map[string]statusLabel{
	pipeline.StatusRunning:   {"läuft", "neutral"},
	pipeline.StatusPublished: {"veröffentlicht", "ok"},
	pipeline.StatusUnchanged: {"unverändert", "ok"},
	pipeline.StatusInvalid:   {"Eingaben fehlerhaft, nichts veröffentlicht", "bad"},
	pipeline.StatusFailed:    {"fehlgeschlagen", "bad"},
	pipeline.StatusSkipped:   {"übersprungen", "neutral"},
	pipeline.StatusRollback:  {"zurückgesetzt", "neutral"},
}

var triggerLabels = map[string]string{
	pipeline.TriggerSchedule: "Zeitplan",
	pipeline.TriggerManual:   "von Hand (HTTP)",
	pipeline.TriggerCLI:      "Kommandozeile",
}

// formatTime writes t in German, in Berlin time when the time zone
// database is there, else in UTC.
func (s *Server) formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.loc)
	if s.loc == time.UTC {
		return t.Format("02.01.2006, 15:04 UTC")
	}
	return t.Format("02.01.2006, 15:04 Uhr")
}

// formatSize writes a size in bytes as people read it: 532 Byte, 12,3 kB,
// 4,5 MB (decimal units).
func formatSize(n int64) string {
	const unit = 1000
	if n < unit {
		return strconv.FormatInt(n, 10) + " Byte"
	}
	v, suffix := float64(n)/unit, "kB"
	for _, u := range []string{"MB", "GB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, u
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1) + " " + suffix
}
