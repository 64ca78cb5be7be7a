package statuspage

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// The Statuspage v2 public API, as documented for every page at /api (only the fields
// the bot uses).
type (
	summary struct {
		Page       page        `json:"page"`
		Components []component `json:"components"`
		Incidents  []incident  `json:"incidents"`
		Scheduled  []incident  `json:"scheduled_maintenances"`
	}
	incidents struct {
		Incidents []incident `json:"incidents"`
	}
	maintenances struct {
		Scheduled []incident `json:"scheduled_maintenances"`
	}
	page struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	}
	component struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Status string `json:"status"` // operational, degraded_performance, partial_outage, major_outage, under_maintenance
		Group  bool   `json:"group"`
	}
	// incident is an incident or a scheduled maintenance: the API gives both one shape.
	incident struct {
		ID             string     `json:"id"`
		Name           string     `json:"name"`
		Status         string     `json:"status"`
		Impact         string     `json:"impact"`
		Shortlink      string     `json:"shortlink"`
		UpdatedAt      time.Time  `json:"updated_at"`
		ScheduledFor   *time.Time `json:"scheduled_for"`
		ScheduledUntil *time.Time `json:"scheduled_until"`
	}
)

// maxBody bounds one answer of the page.
const maxBody = 4 << 20

// get reads one endpoint of the page at base into v.
func get(ctx context.Context, c *http.Client, base, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return fmt.Errorf("%s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(v); err != nil {
		return fmt.Errorf("%s: not the Statuspage v2 format: %v", path, err)
	}
	return nil
}
