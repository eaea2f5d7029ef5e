package httpserve_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"aktionsplan/outputs/httpserve"
	"aktionsplan/outputs/release"
	"aktionsplan/pipeline"
)

// A release published into OUT is at once downloadable under
// /data/current/, with the SHA-256 of its manifest as ETag. Go's client asks
// for gzip and unpacks it, so the ETag is that of the gzipped form.
func Example() {
	out, err := os.MkdirTemp("", "httpserve-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(out)

	pub, err := release.New(out, "2026-03-01")
	if err != nil {
		log.Fatal(err)
	}
	w, _ := pub.Create("kennzahlen.csv")
	io.WriteString(w, "code,jahr,einwohner\nBOR,2025,13000\n")
	w.Close()
	if _, err := pub.Commit(pipeline.Manifest{RunID: "nightly", Time: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)}); err != nil {
		log.Fatal(err)
	}

	srv, err := httpserve.New(httpserve.Config{Out: out})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/data/current/kennzahlen.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status)
	fmt.Println("Content-Type:", resp.Header.Get("Content-Type"))
	fmt.Println("ETag:", resp.Header.Get("ETag"))
	fmt.Println("Content-Location:", resp.Header.Get("Content-Location"))
	fmt.Print(string(body))
	// Output:
	// 200 OK
	// Content-Type: text/csv; charset=utf-8
	// ETag: "882784321f2503eb2e905a1f8adbf9c798321d28a278a248d7c89dc3af26b932-gzip"
	// Content-Location: /data/releases/2026-03-01/kennzahlen.csv
	// code,jahr,einwohner
	// BOR,2025,13000
}
