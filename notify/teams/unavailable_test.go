package teams

import (
	"errors"
	"net/http"
	"testing"
)

// TestInstallUnavailable503_Issue16: an install whose conversation reference the store
// cannot take now gets 503 with Retry-After and saves nothing; any other store error
// stays 500; once the store is back the same install is 200 and saved.
func TestInstallUnavailable503_Issue16(t *testing.T) {
	e := newEnv(t)
	errDown := errors.New("store down")
	e.bot.o.Unavailable = func(err error) bool { return errors.Is(err, errDown) }
	install := e.channelMessage("i1", teamChan, "")
	delete(install, "text")
	delete(install, "entities")
	install["type"] = "installationUpdate"
	install["action"] = "add"
	install["conversation"] = map[string]any{"id": teamChan, "isGroup": true, "conversationType": "channel", "tenantId": tenantID}

	e.refs.err = errDown
	w := e.serve(e.bf.bearer(), install)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "5" {
		t.Fatalf("store down: %d Retry-After %q %q; want 503 and 5", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
	e.refs.err = errors.New("a bug")
	if w := e.serve(e.bf.bearer(), install); w.Code != http.StatusInternalServerError || w.Header().Get("Retry-After") != "" {
		t.Fatalf("another error: %d Retry-After %q; want 500 without it", w.Code, w.Header().Get("Retry-After"))
	}
	if n := e.refs.count(); n != 0 {
		t.Fatalf("%d references saved while the store failed", n)
	}
	e.refs.err = nil
	if w := e.serve(e.bf.bearer(), install); w.Code != http.StatusOK || e.refs.count() != 1 {
		t.Fatalf("store back: %d, %d saves; want 200 and 1", w.Code, e.refs.count())
	}
}
