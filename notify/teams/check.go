package teams

import (
	"context"
	"net/http"
	"time"
)

// CheckToken fetches a token for appID from tokenURL ("": the Bot Framework's public
// cloud) with the client credentials, as the bot does before it posts, for `bot check`:
// a wrong password or tenant shows now, not at the first reminder. The token itself is
// dropped, never shown.
func CheckToken(ctx context.Context, appID, password, tokenURL string) error {
	if tokenURL == "" {
		tokenURL = DefaultTokenURL
	}
	c := &connector{appID: appID, password: password, tokenURL: tokenURL, client: http.DefaultClient, now: time.Now}
	_, err := c.accessToken(ctx)
	return err
}
