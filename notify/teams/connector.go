package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/infracloudio/msbotbuilder-go/schema"
)

const (
	// tokenScope is the scope of the bot's tokens for the Bot Connector service.
	tokenScope = "https://api.botframework.com/.default"
	// attempts bounds the tries of one post; then the error goes back to the caller
	// (the outbox parks it, RetryAfter says for how long).
	attempts = 5
	// maxWait is the longest wait between tries; a longer Retry-After ends the tries.
	maxWait = time.Minute
	// firstBackoff doubles with each try that failed without a Retry-After.
	firstBackoff = time.Second
)

// connector posts activities to the Bot Connector REST API with the bot's token, within
// Teams' per-conversation rate limits, retrying 412, 429 and 5xx answers.
type connector struct {
	appID, password, tokenURL string
	client                    *http.Client
	now                       func() time.Time
	sleep                     func(ctx context.Context, d time.Duration) error
	jitter                    func(d time.Duration) time.Duration
	limits                    *limits

	mu      sync.Mutex
	token   string
	expires time.Time
}

// statusError is a Bot Connector (or token endpoint) answer other than success.
type statusError struct {
	op         string
	status     int
	code       string        // the error code of the answer's body, if any
	retryAfter time.Duration // Retry-After, or the backoff that would have come next
}

func (e *statusError) Error() string {
	s := fmt.Sprintf("%s: %d %s", e.op, e.status, http.StatusText(e.status))
	if e.code != "" {
		s += " (" + e.code + ")"
	}
	return s
}

// retryable: 412 and 429 and the server errors the Teams guidance says to retry.
func (e *statusError) retryable() bool {
	return e.status == http.StatusPreconditionFailed || e.status == http.StatusTooManyRequests || e.status >= 500
}

// RetryAfter reports whether err is Teams' rate limit (HTTP 429) that the tries did not
// outlast, and how long to wait before sending again: the last Retry-After, or the
// backoff the sender would have used next.
func RetryAfter(err error) (time.Duration, bool) {
	var se *statusError
	if errors.As(err, &se) && se.status == http.StatusTooManyRequests {
		return se.retryAfter, true
	}
	return 0, false
}

// activityURL is {serviceUrl}/v3/conversations/{conversation}/activities[/{replyTo}].
func activityURL(serviceURL, conversation, replyTo string) string {
	u := strings.TrimRight(serviceURL, "/") + "/v3/conversations/" + url.PathEscape(conversation) + "/activities"
	if replyTo != "" {
		u += "/" + url.PathEscape(replyTo)
	}
	return u
}

// post sends an activity to target, a URL in conversation, and gives the new
// activity's id. Only service URLs from verified activities ever get here, so the
// bot's token goes nowhere else.
func (c *connector) post(ctx context.Context, conversation, target string, act any) (string, error) {
	body, err := json.Marshal(act)
	if err != nil {
		return "", err
	}
	renewed := false
	for try := 1; ; try++ {
		if err := c.limits.wait(ctx, conversation, c.now, c.sleep); err != nil {
			return "", err
		}
		id, err := c.postOnce(ctx, target, body)
		var se *statusError
		if err == nil || !errors.As(err, &se) {
			return id, err
		}
		if se.status == http.StatusUnauthorized && !renewed {
			// A token revoked before its expiry: fetch a new one, once.
			c.dropToken()
			renewed = true
			continue
		}
		if !se.retryable() {
			return "", err
		}
		wait := se.retryAfter
		if wait <= 0 {
			wait = c.jitter(firstBackoff << (try - 1))
			se.retryAfter = wait
		}
		if try >= attempts || wait > maxWait {
			return "", fmt.Errorf("after %d tries: %w", try, err)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return "", err
		}
	}
}

func (c *connector) postOnce(ctx context.Context, target string, body []byte) (string, error) {
	token, err := c.accessToken(ctx)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("post activity: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxDoc))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.Unmarshal(b, &e)
		return "", &statusError{op: "post activity", status: resp.StatusCode, code: e.Error.Code,
			retryAfter: retryAfter(resp.Header.Get("Retry-After"), c.now())}
	}
	var rr schema.ResourceResponse
	_ = json.Unmarshal(b, &rr) // some answers have no body: no id then
	return rr.ID, nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// accessToken gives the bot's token for the connector, fetched with the client
// credentials and cached until shortly before it expires.
func (c *connector) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.token != "" && now.Before(c.expires) {
		return c.token, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.appID},
		"client_secret": {c.password},
		"scope":         {tokenScope},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("bot token: %w", err)
	}
	defer resp.Body.Close()
	var t struct {
		AccessToken string          `json:"access_token"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
		Error       string          `json:"error"`
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, maxDoc)).Decode(&t)
	if resp.StatusCode != http.StatusOK {
		// The answer's error code (invalid_client, ...) says enough; its description
		// may echo the request and is left out.
		return "", &statusError{op: "bot token", status: resp.StatusCode, code: t.Error}
	}
	if err != nil || t.AccessToken == "" {
		return "", errors.New("bot token: the token endpoint's answer has no access_token")
	}
	secs, _ := strconv.Atoi(strings.Trim(string(t.ExpiresIn), `"`))
	life := time.Duration(secs) * time.Second
	// Renew five minutes early, or halfway through a short-lived token.
	c.token, c.expires = t.AccessToken, now.Add(max(life-5*time.Minute, life/2))
	return c.token, nil
}

func (c *connector) dropToken() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.token = ""
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// jitter spreads a backoff over [d/2, d), as the Teams guidance asks, so that senders
// that failed together don't retry together.
func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}
