package teams

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Bot Framework endpoints; Options can point them elsewhere (a test server, a sovereign
// cloud).
const (
	DefaultOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	DefaultTokenURL          = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
)

const (
	// Issuer is the issuer of the tokens the Bot Framework channels send to a bot.
	Issuer = "https://api.botframework.com"
	// leeway is the clock skew allowed on exp and nbf (the Bot Framework uses 5 minutes).
	leeway = 5 * time.Minute
	// keysMaxAge is how long fetched signing keys are used before they are fetched again.
	keysMaxAge = 24 * time.Hour
	// keysMinRefresh bounds how often a token with an unknown key id can make the keys be
	// fetched again, so that made-up key ids cannot make us flood the metadata server.
	keysMinRefresh = 10 * time.Second
	// maxDoc bounds the metadata and key documents read.
	maxDoc = 1 << 20
)

// claims are the token claims the Bot Framework check needs.
type claims struct {
	Issuer     string   `json:"iss"`
	Audience   audience `json:"aud"`
	Expiry     *float64 `json:"exp"`
	NotBefore  *float64 `json:"nbf"`
	ServiceURL string   `json:"serviceurl"`
}

// audience is a JWT "aud": one string or a list of them.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("aud is neither a string nor a list of strings")
	}
	*a = many
	return nil
}

// ChannelTeams is the Bot Framework channel id of Microsoft Teams. The Bot Framework
// signs for every channel a bot is connected to (Web Chat, Direct Line, ...), and those
// let the sender choose from.aadObjectId; only Teams vouches for it, so only msteams
// activities signed by a key endorsed for msteams get in (issue 10.5).
const ChannelTeams = "msteams"

// verified is what a valid token vouches for: the serviceurl claim, checked against the
// activity once it is parsed.
type verified struct {
	serviceURL string
}

// verifier checks Bot Framework tokens: RS256 (or RS384/RS512) signature by a key of the
// OpenID metadata's jwks_uri endorsed for msteams, issuer, audience = the app id, expiry
// and not-before.
type verifier struct {
	appID string
	keys  *keySet
	now   func() time.Time
}

var hashes = map[string]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512}

// verify checks the Authorization header's token; the error says why it was refused.
func (v *verifier) verify(ctx context.Context, header string) (verified, error) {
	if v.appID == "" { // unlike msbotbuilder-go, no app id never means "no check"
		return verified{}, errors.New("no app id to check the audience against")
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return verified{}, errors.New("no bearer token")
	}
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return verified{}, errors.New("token is not a JWT")
	}
	var head struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := decodePart(parts[0], &head); err != nil {
		return verified{}, fmt.Errorf("token header: %w", err)
	}
	hash, ok := hashes[head.Alg]
	if !ok {
		return verified{}, fmt.Errorf("signing algorithm %q not allowed", head.Alg)
	}
	var c claims
	if err := decodePart(parts[1], &c); err != nil {
		return verified{}, fmt.Errorf("token claims: %w", err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return verified{}, errors.New("token signature is not base64url")
	}
	key, err := v.keys.key(ctx, head.Kid)
	if err != nil {
		return verified{}, err
	}
	h := hash.New()
	h.Write([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(key.pub, hash, h.Sum(nil), sig); err != nil {
		return verified{}, errors.New("bad token signature")
	}
	now := v.now()
	switch {
	case c.Issuer != Issuer:
		return verified{}, fmt.Errorf("issuer %q is not %s", c.Issuer, Issuer)
	case !slices.Contains(c.Audience, v.appID):
		return verified{}, errors.New("token is not for this bot (audience)")
	case c.Expiry == nil:
		return verified{}, errors.New("token has no expiry")
	case now.After(unix(*c.Expiry).Add(leeway)):
		return verified{}, errors.New("token expired")
	case c.NotBefore != nil && now.Before(unix(*c.NotBefore).Add(-leeway)):
		return verified{}, errors.New("token not valid yet")
	case !slices.Contains(key.endorsements, ChannelTeams):
		// A key without endorsements is no exception: it vouches for no channel.
		return verified{}, fmt.Errorf("signing key %q is not endorsed for %s", head.Kid, ChannelTeams)
	}
	return verified{serviceURL: c.ServiceURL}, nil
}

// check holds the activity to what the token vouches for and to whom the bot serves:
// the token's service URL, the msteams channel (a missing channelId is no exception),
// and, when tenants is not empty, an Azure AD tenant of that list. Every tenant id the
// activity names (channelData.tenant.id, conversation.tenantId) must be in the list, and
// an activity that names none is refused then.
func (vd verified) check(a *activity, tenants []string) error {
	if vd.serviceURL == "" || vd.serviceURL != a.ServiceURL {
		return errors.New("serviceurl claim does not match the activity's serviceUrl")
	}
	if a.ChannelID != ChannelTeams {
		return fmt.Errorf("channelId %.64q is not %s", a.ChannelID, ChannelTeams)
	}
	if len(tenants) == 0 {
		return nil
	}
	named := a.tenants()
	if len(named) == 0 {
		return errors.New("activity names no tenant, and teams.tenants allows only some")
	}
	for _, id := range named {
		if !slices.ContainsFunc(tenants, func(t string) bool { return strings.EqualFold(t, id) }) {
			return fmt.Errorf("tenant %.64q is not in teams.tenants", id)
		}
	}
	return nil
}

func decodePart(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return errors.New("not base64url")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errors.New("not a JSON object")
	}
	return nil
}

func unix(f float64) time.Time { return time.Unix(int64(f), 0) }

// signingKey is an RSA public key of the key set with the channels it is endorsed for.
type signingKey struct {
	pub          *rsa.PublicKey
	endorsements []string
}

// keySet holds the Bot Framework signing keys, fetched through the OpenID metadata. Keys
// are cached for keysMaxAge and fetched again when a token names an unknown key id.
type keySet struct {
	metadataURL string
	client      *http.Client
	now         func() time.Time

	mu      sync.Mutex
	keys    map[string]signingKey
	fetched time.Time // when keys were fetched
	tried   time.Time // when a fetch was last tried
}

func (s *keySet) key(ctx context.Context, kid string) (signingKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	k, known := s.keys[kid]
	if known && now.Sub(s.fetched) < keysMaxAge {
		return k, nil
	}
	if !s.tried.IsZero() && now.Sub(s.tried) < keysMinRefresh {
		if known {
			return k, nil
		}
		return signingKey{}, fmt.Errorf("unknown signing key %q", kid)
	}
	s.tried = now
	if err := s.fetch(ctx); err != nil {
		if known { // a metadata outage does not stop tokens signed by a known key
			return k, nil
		}
		return signingKey{}, fmt.Errorf("signing keys: %w", err)
	}
	s.fetched = now
	if k, ok := s.keys[kid]; ok {
		return k, nil
	}
	return signingKey{}, fmt.Errorf("unknown signing key %q", kid)
}

// fetch reads the metadata, then the keys at its jwks_uri.
func (s *keySet) fetch(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := s.getJSON(ctx, s.metadataURL, &meta); err != nil {
		return fmt.Errorf("openid metadata: %w", err)
	}
	if meta.JWKSURI == "" {
		return errors.New("openid metadata has no jwks_uri")
	}
	var set struct {
		Keys []struct {
			Kty          string   `json:"kty"`
			Kid          string   `json:"kid"`
			N            string   `json:"n"`
			E            string   `json:"e"`
			Endorsements []string `json:"endorsements"`
		} `json:"keys"`
	}
	if err := s.getJSON(ctx, meta.JWKSURI, &set); err != nil {
		return fmt.Errorf("jwks: %w", err)
	}
	keys := make(map[string]signingKey)
	for _, k := range set.Keys {
		if k.Kty != "RSA" || k.Kid == "" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			continue
		}
		exp := int(new(big.Int).SetBytes(e).Int64())
		if exp < 3 {
			continue
		}
		keys[k.Kid] = signingKey{pub: &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exp}, endorsements: k.Endorsements}
	}
	if len(keys) == 0 {
		return errors.New("jwks has no RSA keys")
	}
	s.keys = keys
	return nil
}

func (s *keySet) getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxDoc))
	if err != nil {
		return err
	}
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	return nil
}
