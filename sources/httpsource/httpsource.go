// Package httpsource fetches an input over HTTP, the transport for tables
// that another office publishes on a web server or a file share with an
// HTTP front. The download is complete and within its size limit before the
// run reads the first byte, and it is kept in a cache folder so that the
// next run asks the server with a conditional GET and gets the same bytes
// when nothing changed.
package httpsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"aktionsplan/pipeline"
)

// Defaults for the zero values of Source.
const (
	DefaultTimeout  = 30 * time.Second
	DefaultMaxBytes = 100 << 20
	DefaultRetries  = 3
	DefaultBackoff  = time.Second
)

// maxWait bounds one wait between attempts, however many retries there are.
const maxWait = time.Minute

var (
	// ErrFetch is wrapped by the error of Open when the source cannot be
	// fetched: the server is unreachable or answers with an error status,
	// the response is too large, or the credentials are not set.
	ErrFetch = errors.New("httpsource: source cannot be fetched")
	// ErrTooLarge is wrapped, besides ErrFetch, when the response is larger
	// than MaxBytes.
	ErrTooLarge = errors.New("httpsource: response larger than the limit")
	// ErrSource is returned by Check, and by Open, for a Source that makes no
	// sense, such as a URL that is not http or https.
	ErrSource = errors.New("httpsource: invalid source")
)

// Source is an input on a web server. The zero values of Timeout, MaxBytes,
// Retries and Backoff mean their defaults.
type Source struct {
	// URL of the file, http or https. Its last path element names the input.
	URL string
	// Timeout bounds one attempt, the whole download included.
	Timeout time.Duration
	// MaxBytes is the largest body accepted, after any content decoding.
	MaxBytes int64
	// Retries is how often a failed attempt is repeated: after network
	// errors and after the statuses 408, 429 and 5xx, which may pass. Other
	// statuses are final. A negative value means no retries.
	Retries int
	// Backoff is the wait before the first retry; it doubles for each one.
	Backoff time.Duration
	// AuthHeader is the request header that carries the credentials, such as
	// "Authorization"; it is "Authorization" when only AuthEnv is set. It is
	// not sent on a redirect to another host.
	AuthHeader string
	// AuthEnv names the environment variable that holds the header's value,
	// such as "Bearer …". It is read at every fetch, so that the value never
	// stands in a config file; an unset or empty variable fails the fetch.
	AuthEnv string
	// CacheDir keeps the last body and its validators (ETag, Last-Modified)
	// for the conditional GET of the next fetch. Empty means no cache: every
	// fetch downloads the whole file into a temporary file, which Close
	// removes.
	CacheDir string
	// Client sends the requests; nil means a client with the default
	// transport, which honours the proxy environment variables.
	Client *http.Client
}

// Input returns the input whose Open fetches the source. Its name is the last
// path element of the URL, such as "mittelverwendung.xlsx", and so is the
// Name of the opened file.
//
// Open sends a conditional GET when the cache holds an earlier body. On 304
// Not Modified it returns the cached body; on 200 OK it writes the body to a
// temporary file in the cache folder, syncs it and renames it into the cache
// with its validators, then returns it. A source that cannot be fetched is an
// error wrapping ErrFetch, whose message names the URL (without password or
// token) and the reason in German, for the staff who read the run report; it
// never holds the credentials. Errors of the cache folder (disk full) do not
// wrap ErrFetch.
func (s Source) Input() pipeline.Input {
	return pipeline.Input{Name: s.name(), Open: func() (io.ReadCloser, error) { return s.fetch() }}
}

// Check reports whether the source makes sense, for checking a configuration
// early. The error wraps ErrSource.
func (s Source) Check() error {
	_, err := s.parse()
	return err
}

// parse checks the source and returns its URL.
func (s Source) parse() (*url.URL, error) {
	u, err := url.Parse(s.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSource, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%w: %s: the URL must start with http:// or https://", ErrSource, redact(u))
	case u.Host == "":
		return nil, fmt.Errorf("%w: %s: the URL names no host", ErrSource, redact(u))
	case s.Timeout < 0 || s.MaxBytes < 0 || s.Backoff < 0:
		return nil, fmt.Errorf("%w: %s: timeout, size limit and backoff must not be negative", ErrSource, redact(u))
	case s.AuthHeader != "" && s.AuthEnv == "":
		return nil, fmt.Errorf("%w: %s: header %s needs the environment variable that holds its value", ErrSource, redact(u), s.AuthHeader)
	case s.AuthHeader != "" && !isToken(s.AuthHeader):
		return nil, fmt.Errorf("%w: %s: %q is not a header name", ErrSource, redact(u), s.AuthHeader)
	}
	return u, nil
}

// name is the last path element of the URL, or its host for a URL without a
// path.
func (s Source) name() string {
	u, err := url.Parse(s.URL)
	if err != nil {
		return s.URL
	}
	if b := path.Base(u.Path); b != "/" && b != "." {
		return b
	}
	return u.Host
}

// fetch makes the attempts of one Open.
func (s Source) fetch() (io.ReadCloser, error) {
	u, err := s.parse()
	if err != nil {
		return nil, err
	}
	where := redact(u)
	f := &fetcher{src: s, url: u, where: where, name: s.name(), cache: newCache(s.CacheDir, s.URL, where)}
	if err := f.auth(); err != nil {
		return nil, err
	}
	f.client = s.client(f.header)
	retries, wait := s.Retries, s.Backoff
	if retries == 0 {
		retries = DefaultRetries
	}
	if wait == 0 {
		wait = DefaultBackoff
	}
	for attempt := 1; ; attempt++ {
		body, err := f.attempt()
		var fail *attemptError
		if !errors.As(err, &fail) {
			return body, err
		}
		if !fail.retry || attempt > retries {
			return nil, f.failed(fail, attempt)
		}
		time.Sleep(wait)
		wait = min(2*wait, max(maxWait, s.Backoff))
	}
}

// client returns the client to send with: Client, or a new one, whose
// redirects to another host or scheme drop the credentials. Go's own rule
// keeps Authorization for a subdomain and sends any other header on.
func (s Source) client(header string) *http.Client {
	c := &http.Client{}
	if s.Client != nil {
		*c = *s.Client
	}
	if header == "" {
		return c
	}
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
			req.Header.Del(header)
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return c
}

// fetcher is one Open of a source.
type fetcher struct {
	src    Source
	url    *url.URL
	where  string // the URL for messages
	name   string
	cache  cache
	client *http.Client
	// header and value are the credentials, if any.
	header, value string
}

// auth reads the credentials from the environment.
func (f *fetcher) auth() error {
	if f.src.AuthEnv == "" {
		return nil
	}
	f.header = f.src.AuthHeader
	if f.header == "" {
		f.header = "Authorization"
	}
	f.value = os.Getenv(f.src.AuthEnv)
	if f.value == "" {
		return &fetchError{where: f.where, err: errCredentials,
			msg: fmt.Sprintf("nicht abrufbar: die Umgebungsvariable %s mit dem Zugangsschlüssel (Header %s) ist nicht gesetzt", f.src.AuthEnv, f.header)}
	}
	return nil
}

var errCredentials = errors.New("credentials not set")

// attempt sends one request and returns the body, or an *attemptError for a
// failure of the source, or another error for one of the cache.
func (f *fetcher) attempt() (io.ReadCloser, error) {
	timeout := f.src.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSource, err)
	}
	req.Header.Set("User-Agent", "aktionsplan")
	if f.header != "" {
		req.Header.Set(f.header, f.value)
	}
	cached, haveCache := f.cache.validators()
	if haveCache {
		if cached.ETag != "" {
			req.Header.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			req.Header.Set("If-Modified-Since", cached.LastModified)
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.networkError(err, timeout)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && haveCache:
		return f.cache.open(f.name)
	case resp.StatusCode == http.StatusOK:
		return f.store(resp, timeout)
	}
	io.CopyN(io.Discard, resp.Body, 4<<10) // lets the connection be reused
	code := resp.StatusCode
	return nil, &attemptError{retry: code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests,
		msg: fmt.Sprintf("HTTP %d %s", code, http.StatusText(code)), err: fmt.Errorf("status %d", code)}
}

// store writes the body of a 200 response into the cache and returns it.
func (f *fetcher) store(resp *http.Response, timeout time.Duration) (io.ReadCloser, error) {
	limit := f.src.MaxBytes
	if limit == 0 {
		limit = DefaultMaxBytes
	}
	if resp.ContentLength > limit {
		return nil, f.tooLarge(limit)
	}
	body := &limitedReader{r: resp.Body, left: limit}
	v := validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	rc, err := f.cache.store(f.name, body, v)
	switch {
	case body.tooLarge:
		return nil, f.tooLarge(limit)
	case body.err != nil:
		return nil, f.networkError(body.err, timeout)
	}
	return rc, err
}

func (f *fetcher) tooLarge(limit int64) error {
	return &attemptError{msg: "liefert mehr als " + pipeline.GermanBytes(uint64(limit)) + ", die Grenze für diese Quelle (in der Konfiguration [http] max_bytes, sonst [limits] max_file_bytes)",
		err: ErrTooLarge, final: true}
}

// networkError describes a failed request or body read; both may pass.
func (f *fetcher) networkError(err error, timeout time.Duration) error {
	// The URL of a *url.Error may hold a token: we name the URL ourselves.
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	msg := err.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "keine vollständige Antwort innerhalb von " + timeout.String()
	}
	return &attemptError{retry: true, msg: msg, err: err}
}

// failed turns the last failed attempt into the error of Open.
func (f *fetcher) failed(a *attemptError, attempts int) error {
	msg := "nicht erreichbar: " + a.msg
	if a.final {
		msg = a.msg
	}
	if attempts > 1 {
		msg += fmt.Sprintf(" (%d Versuche)", attempts)
	}
	return &fetchError{where: f.where, msg: msg, err: a.err}
}

// attemptError is the failure of one attempt.
type attemptError struct {
	// retry is true for failures that may pass.
	retry bool
	// final is true for failures that are not about reaching the server.
	final bool
	msg   string
	err   error
}

func (e *attemptError) Error() string { return e.msg }

// fetchError is the error of Open for a source that cannot be fetched. Its
// message is German: it reaches the staff who read the run report.
type fetchError struct {
	where, msg string
	err        error
}

func (e *fetchError) Error() string   { return "Quelle " + e.where + " " + e.msg }
func (e *fetchError) Unwrap() []error { return []error{ErrFetch, e.err} }

// limitedReader reads at most left bytes and records why reading stopped.
type limitedReader struct {
	r        io.Reader
	left     int64
	tooLarge bool
	// err is an error of the connection, as opposed to one of the cache.
	err error
}

func (l *limitedReader) Read(p []byte) (int, error) {
	// Read one byte beyond the limit to tell a body of exactly the limit.
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if int64(n) > l.left {
		l.tooLarge = true
		return 0, ErrTooLarge
	}
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		l.err = err
	}
	return n, err
}

// redact returns the URL for messages: without password, and with the
// values of query parameters that look like credentials replaced.
func redact(u *url.URL) string {
	c := *u
	if q := c.Query(); len(q) > 0 {
		changed := false
		for k := range q {
			lk := strings.ToLower(k)
			for _, word := range []string{"key", "token", "secret", "pass", "auth", "sig", "credential"} {
				if strings.Contains(lk, word) {
					q[k] = []string{"xxxxx"}
					changed = true
					break
				}
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	return c.Redacted()
}

// isToken reports whether s is a valid header name (RFC 9110 token).
func isToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r))
	}) < 0
}
