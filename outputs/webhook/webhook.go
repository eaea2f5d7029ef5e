// Package webhook tells another system that a run ended, by an HTTP POST of
// a small JSON document: a chat bridge or a ticket system that alerts the
// people on duty when the nightly run fails. It publishes the record of the
// run, never what the inputs hold.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"aktionsplan/pipeline"
)

// Timeout bounds one notification when ctx has no earlier deadline.
const Timeout = 10 * time.Second

// ErrRejected is wrapped by the error of Notify when the receiver answers
// with a status other than 2xx; redirects are not followed.
var ErrRejected = errors.New("webhook: notification rejected")

// payload is the JSON document that Notify sends.
type payload struct {
	RunID    string     `json:"run_id"`
	Status   string     `json:"status"`
	Trigger  string     `json:"trigger"`
	Start    time.Time  `json:"start"`
	End      *time.Time `json:"end"`
	Errors   int        `json:"errors"`
	Warnings int        `json:"warnings"`
	Message  string     `json:"message"`
	// ReportPath is relative to the output folder.
	ReportPath string `json:"report_path"`
}

// Notify posts the run r to url as JSON with Content-Type application/json:
//
//	{"run_id": "20260301T020000Z", "status": "failed", "trigger": "schedule",
//	 "start": "2026-03-01T02:00:00Z", "end": "2026-03-01T02:00:31Z",
//	 "errors": 0, "warnings": 0,
//	 "message": "Quelle https://… nicht erreichbar: HTTP 503 Service Unavailable",
//	 "report_path": "reports/20260301T020000Z.txt"}
//
// end is null for a run that has not ended. Only these fields are sent: the
// inputs, their names and hashes, stay out. A nil client means one with the
// default transport. The request gives up after Timeout, or earlier when
// ctx ends. Notify returns an error for a request that fails and one
// wrapping ErrRejected for an answer other than 2xx. Its errors name the
// receiver by scheme and host only: webhook URLs often carry their secret in
// the path.
func Notify(ctx context.Context, client *http.Client, url string, r pipeline.RunRecord) error {
	p := payload{RunID: r.ID, Status: r.Status, Trigger: r.Trigger, Start: r.Start, Errors: r.Errors,
		Warnings: r.Warnings, Message: r.Message, ReportPath: r.ReportPath}
	if !r.End.IsZero() {
		p.End = &r.End
	}
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook: %s: invalid URL", receiver(url))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "aktionsplan")
	resp, err := noRedirects(client).Do(req)
	if err != nil {
		return fmt.Errorf("webhook: POST %s: %w", receiver(url), unwrapURL(err))
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	io.CopyN(io.Discard, resp.Body, 4<<10) // lets the connection be reused
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%w: POST %s: HTTP %d %s%s", ErrRejected, receiver(url),
			resp.StatusCode, http.StatusText(resp.StatusCode), quote(answer))
	}
	return nil
}

// noRedirects returns a copy of client that does not follow redirects: a
// redirected POST becomes a GET whose success would hide the lost notice.
func noRedirects(client *http.Client) *http.Client {
	c := &http.Client{}
	if client != nil {
		*c = *client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// receiver names the receiver in messages: scheme and host, no path.
func receiver(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid webhook URL)"
	}
	return u.Scheme + "://" + u.Host
}

// unwrapURL drops the *url.Error around a request error, which names the
// whole URL.
func unwrapURL(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// quote returns the start of the receiver's answer for the message, on one
// line, or "" for none.
func quote(b []byte) string {
	s := strings.Join(strings.Fields(string(bytes.ToValidUTF8(b, nil))), " ")
	if s == "" {
		return ""
	}
	return fmt.Sprintf(": %q", s)
}
