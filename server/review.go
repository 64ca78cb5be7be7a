package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ReviewPath is where the signed report pages and downloads are served.
const ReviewPath = "/review/"

// Signer makes and checks the report links (issue 11): HMAC-SHA256 over the path, the
// language and the expiry, so a link names nothing guessable and no part of it can be
// changed without the key.
type Signer struct{ Key []byte }

func (s Signer) mac(path, lang string, exp int64) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte(path + "\n" + lang + "\n" + strconv.FormatInt(exp, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// Link gives the signed path of one customer's report ("all" for every customer) for
// a period key in a format (html, csv, xlsx, json, png, svg), valid until exp.
func (s Signer) Link(customer, period, format, lang string, exp time.Time) string {
	path := ReviewPath + url.PathEscape(customer) + "/" + url.PathEscape(period) + "." + format
	q := url.Values{"lang": {lang}, "exp": {strconv.FormatInt(exp.Unix(), 10)}}
	q.Set("sig", s.mac(path, lang, exp.Unix()))
	return path + "?" + q.Encode()
}

// verify checks a request's signature (in constant time) and then its expiry.
func (s Signer) verify(r *http.Request, now time.Time) (reason string, ok bool) {
	q := r.URL.Query()
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	if err != nil || len(s.Key) == 0 {
		return "link not signed", false
	}
	want := s.mac(r.URL.EscapedPath(), q.Get("lang"), exp)
	if !hmac.Equal([]byte(want), []byte(q.Get("sig"))) {
		return "link altered or not signed", false
	}
	if now.Unix() > exp {
		return "link expired", false
	}
	return "", true
}

// ReviewRender renders a customer's ("all": every customer's) report for a period key
// in a format and language; an error of kind invalid is the link's fault (404).
type ReviewRender func(ctx context.Context, customer, period, format, lang string) (body []byte, contentType string, err error)

// Review serves the signed report links: 403 with one line when a link is altered or
// expired, before anything is read. Pages are private (no caching, no referrer) and
// their Content-Security-Policy lets the browser fetch nothing at all.
func Review(s Signer, render ReviewRender, now func() time.Time, log Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reason, ok := s.verify(r, now()); !ok {
			log.Warn("request refused", "route", ReviewPath, "status", http.StatusForbidden, "reason", reason)
			http.Error(w, reason, http.StatusForbidden)
			return
		}
		rest := strings.TrimPrefix(r.URL.Path, ReviewPath)
		customer, file, ok := strings.Cut(rest, "/")
		dot := strings.LastIndexByte(file, '.')
		if !ok || dot < 0 {
			http.Error(w, "no such report", http.StatusNotFound)
			return
		}
		body, ctype, err := render(r.Context(), customer, file[:dot], file[dot+1:], r.URL.Query().Get("lang"))
		if err != nil {
			log.Warn("review not rendered", "error", err)
			http.Error(w, "no such report", http.StatusNotFound)
			return
		}
		h := w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Cache-Control", "private, no-store")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'")
		if !strings.HasPrefix(ctype, "text/html") && !strings.HasPrefix(ctype, "image/") {
			h.Set("Content-Disposition", `attachment; filename="review-`+customer+"-"+file+`"`)
		}
		w.Write(body)
	})
}

// Logger is the part of slog.Logger the review handler uses.
type Logger interface {
	Warn(msg string, args ...any)
}
