package httpsource_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"aktionsplan/sources/httpsource"
)

// The second fetch asks whether the file changed; the server answers 304 Not
// Modified, and the run reads the cached copy.
func ExampleSource_Input() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			fmt.Println("server: 304 Not Modified")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Println("server: 200 OK")
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, "code;jahr;betrag\nBOR;2025;1250,50\n")
	}))
	defer srv.Close()
	cache, err := os.MkdirTemp("", "cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(cache)

	in := httpsource.Source{URL: srv.URL + "/daten/mittelverwendung.csv", CacheDir: cache}.Input()
	for range 2 {
		rc, err := in.Open()
		if err != nil {
			log.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		fmt.Printf("%s: %d bytes\n", in.Name, len(b))
	}
	// Output:
	// server: 200 OK
	// mittelverwendung.csv: 34 bytes
	// server: 304 Not Modified
	// mittelverwendung.csv: 34 bytes
}
