package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/netns"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/smtptest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// replicaStore gives the database the replicas share: a PostgreSQL database on a server
// of this test's that listens on the gateway too, as the test reaches it and as the
// hosts do, and its password.
func replicaStore(t *testing.T, gateway string) (local, remote, password string) {
	t.Helper()
	srv := pgtest.Start(t, pgtest.Listen(gateway))
	dsn := srv.Database(t)
	return dsn, pgtest.WithHost(dsn, gateway), dsnPassword(dsn)
}

func hostOf(addr string) string {
	host, _, _ := net.SplitHostPort(addr)
	return host
}

func dsnPassword(dsn string) string {
	_, rest, _ := strings.Cut(dsn, "://")
	userinfo, _, _ := strings.Cut(rest, "@")
	_, pw, _ := strings.Cut(userinfo, ":")
	return pw
}

// acked is a request the replicas answered 200: ticket n, what it held, who took it.
type acked struct {
	n        int
	priority string
	escalate bool
	via      string
}

// TestReplicasOnTwoHosts_Issue16: two `bot serve` replicas, each in a network
// namespace of its own, share one PostgreSQL, a local Slack API and an SMTP server on
// the bridge's gateway. Clients send tickets to either replica at once: P1s (R7.1: the
// SDMs are told at once, in Slack and by mail) and escalations (R7: a post and a mail),
// sending a request that gets no 200 again to the other replica with the same event
// ids. Slack and the SMTP server take each message at once and answer it late; once the
// first replica has a P1 notice posted and not yet answered, it gets SIGKILL, and the
// clients go on with the survivor. The dead replica's leases are then ended (instead of
// waiting their 5 minutes: what the survivor does once a lease has run out is what is
// tested).
//
// Then: every acknowledged event is stored; each P1 and each escalation was decided
// once (one outbox row per destination), and every row is sent; each is in Slack
// exactly once, the survivor having found in the channel's history the posts the dead
// replica made (README: no duplicate window on Slack, SIGKILL mid-send included); each
// mail arrived once, or twice with the same Message-ID only when the first copy was in
// flight from the dead replica when it died (its data sent before the kill) and the
// second came from the survivor after the leases ended (README: mail's window). No log
// holds a secret.
func TestReplicasOnTwoHosts_Issue16(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a scheduler pass of the replicas (30 s)")
	}
	nw := netns.New(t, 2)
	gw := nw.Gateway.String()
	local, remote, password := replicaStore(t, gw)
	ctx, cancel := context.WithTimeout(context.Background(), 55*time.Second)
	defer cancel()

	const (
		token = "replica-api-token-5b1c"
		bot   = "xoxb-replica-bot-token-9f2e"
		hold  = 300 * time.Millisecond // Slack's and the SMTP server's late answers
	)
	slack := startLocalSlack(t, gw, hold)
	mail := smtptest.Start(t, smtptest.Listen(gw+":0"), smtptest.Hold(hold))
	cfg, err := filepath.Abs("testdata/replicas.yml")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"MAGDA_API_TOKEN": token, "SLACK_BOT_TOKEN": bot, "SLACK_API_URL": slack.URL,
		"SMTP_URL": "smtp://" + mail.Addr, "MAGDA_CONFIG": cfg}
	a := startReplica(ctx, t, "replica a", nw.Hosts[0], remote, vars)
	b := startReplica(ctx, t, "replica b", nw.Hosts[1], remote, vars)
	a.listening(t)
	b.listening(t)
	t0 := time.Now()
	aIP, bIP := nw.Hosts[0].Addr.String(), nw.Hosts[1].Addr.String()

	var (
		mu      sync.Mutex
		got     []acked
		senders sync.WaitGroup
		next    atomic.Int64
		stop    = make(chan struct{})
	)
	replicas := []*replica{a, b}
	client := &http.Client{Timeout: 10 * time.Second}
	time.Sleep(time.Second) // the created instants, whole seconds, after the replicas' first start
	for range 2 {
		senders.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
				}
				n := int(next.Add(1))
				req := acked{n: n, priority: "P3"}
				switch {
				case n%12 == 0 && time.Since(t0) < 25*time.Second: // decided by the pass at 30 s
					req.priority = "P1"
				case n%6 == 3:
					req.escalate = true
				}
				body := ticketEvents(n, req.priority, req.escalate, time.Now().Truncate(time.Second))
				for try := 0; ; try++ {
					r := replicas[(n+try)%2]
					code, _, reply := post(ctx, client, r.base, token, body)
					if code == http.StatusOK {
						req.via = r.name
						mu.Lock()
						got = append(got, req)
						mu.Unlock()
						break
					}
					if code != 0 {
						t.Errorf("ticket %d to %s: %d %s; want 200, or no answer from the killed replica", n, r.name, code, reply)
						return
					}
					if ctx.Err() != nil {
						t.Errorf("ticket %d: no replica took it (%s)", n, reply)
						return
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}

	// The kill: replica a has a P1 notice posted to Slack, its answer not yet read, and
	// when it comes within 3 s, a mail taken by the SMTP server and not yet answered too.
	var firstP1 time.Time
	for {
		p1 := slices.Contains(slack.postsInFlight(aIP), "p1_reported")
		if p1 && firstP1.IsZero() {
			firstP1 = time.Now()
		}
		if p1 && (mail.Holding(aIP) > 0 || time.Since(firstP1) > 3*time.Second) {
			break
		}
		if ctx.Err() != nil {
			close(stop)
			senders.Wait()
			t.Fatalf("replica a never had a P1 notice in flight (%d posts in all)", len(slack.posted()))
		}
		time.Sleep(time.Millisecond)
	}
	inFlight := slack.postsInFlight(aIP)
	killAt := time.Now()
	a.kill()
	<-a.done
	t.Logf("replica a killed %s after start, with Slack posts in flight: %v", killAt.Sub(t0).Round(time.Millisecond), inFlight)
	time.Sleep(2 * time.Second) // the clients go on with the survivor
	close(stop)
	senders.Wait()
	if t.Failed() {
		return
	}

	// The dead replica's leases end now rather than in 5 minutes.
	released := execSQL(ctx, t, local, fmt.Sprintf(
		"UPDATE outbox SET claimed_until_ms = 0 WHERE state = 'pending' AND claimed_by LIKE '%%:%d:%%'", a.cmd.Process.Pid))
	leasesEnded := time.Now()
	if released == 0 {
		t.Fatal("the killed replica held no lease, yet it had a post in flight")
	}

	var p1s, escalations, viaA, viaB int
	for _, r := range got {
		if r.priority == "P1" {
			p1s++
		}
		if r.escalate {
			escalations++
		}
		if r.via == a.name {
			viaA++
		} else {
			viaB++
		}
	}
	rows := 2 * (p1s + escalations) // each to C0SDM and by mail
	st := readStore(t, local)
	var ds []storage.Delivery
	for {
		ds, err = st.Deliveries(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, d := range ds {
			if d.State == storage.StateSent {
				sent++
			}
		}
		if len(ds) >= rows && sent == len(ds) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("%d of %d outbox rows sent, %d expected (%d P1s, %d escalations)", sent, len(ds), rows, p1s, escalations)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d tickets acknowledged (%d by a, %d by b), %d P1s and %d escalations, %d leases ended at %s",
		len(got), viaA, viaB, p1s, escalations, released, leasesEnded.Sub(t0).Round(time.Millisecond))
	if viaA == 0 || viaB == 0 {
		t.Errorf("replica a took %d requests and b %d; want both to have taken some", viaA, viaB)
	}

	// Every acknowledged event is stored.
	for _, r := range got {
		key := fmt.Sprintf("REP-%d", r.n)
		evs, err := st.Events(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{key + "-c"}
		if r.escalate {
			want = append(want, key+"-e")
		}
		var ids []string
		for _, e := range evs {
			ids = append(ids, e.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("%s, acknowledged by %s: stored events %v, want %v", key, r.via, ids, want)
		}
	}

	// Each notice decided once: one row per destination, for exactly these tickets.
	want := map[string]bool{}
	for _, r := range got {
		key := fmt.Sprintf("REP-%d", r.n)
		if r.priority == "P1" {
			want[key+" p1_reported slack"], want[key+" p1_reported mail"] = true, true
		}
		if r.escalate {
			want[key+" escalation slack"], want[key+" escalation mail"] = true, true
		}
	}
	decided := map[string]int{}
	for _, d := range ds {
		decided[d.Ticket+" "+d.Kind+" "+d.Platform]++
	}
	for k := range want {
		if decided[k] != 1 {
			t.Errorf("%s: %d outbox rows, want 1", k, decided[k])
		}
	}
	for k, n := range decided {
		if !want[k] {
			t.Errorf("%s: %d outbox rows, for no notice the test sent", k, n)
		}
	}

	// Slack: each row's message posted once, and the row holds its ts.
	posts := map[string][]slackPosted{}
	for _, p := range slack.posted() {
		posts[p.Key] = append(posts[p.Key], p)
	}
	mails := map[string][]smtptest.Message{}
	for _, m := range mail.Messages() {
		mails[m.ID] = append(mails[m.ID], m)
	}
	// The mails the dead replica had sent and the server had not yet answered at the
	// kill: it never learnt they were taken, so the survivor sends them again.
	var heldAtKill []string
	for _, m := range mail.Messages() {
		if hostOf(m.Remote) == aIP && !m.Received.After(killAt) && m.Answered.After(killAt) {
			heldAtKill = append(heldAtKill, m.ID)
		}
	}
	var slackRows, aPosts, repeats int
	for _, d := range ds {
		key := fmt.Sprintf("%d.%s.%s.%d", d.ID, d.Ticket, d.Kind, d.Slot)
		switch d.Platform {
		case "slack":
			slackRows++
			ps := posts[key]
			if len(ps) != 1 {
				t.Errorf("%s posted to Slack %d times; want once", key, len(ps))
				continue
			}
			if ps[0].Channel != "C0SDM" || d.Ref != ps[0].TS {
				t.Errorf("%s: posted to %s as %s, the row's ref %q", key, ps[0].Channel, ps[0].TS, d.Ref)
			}
			if ps[0].From == aIP {
				aPosts++
			}
		case "mail":
			ms := mails["<"+key+"@example.test>"]
			switch {
			case len(ms) == 1:
			case len(ms) == 2 && hostOf(ms[0].Remote) == aIP && !ms[0].Received.After(killAt) &&
				hostOf(ms[1].Remote) == bIP && ms[1].Received.After(leasesEnded):
				repeats++ // in flight from the killed replica: the README's window
			default:
				var seen []string
				for _, m := range ms {
					seen = append(seen, fmt.Sprintf("from %s at %s", m.Remote, m.Received.Sub(t0).Round(time.Millisecond)))
				}
				t.Errorf("mail %s arrived %d times (%v); want once, or a second time only after a copy in flight at the kill (%s)",
					key, len(ms), seen, killAt.Sub(t0).Round(time.Millisecond))
			}
		}
	}
	for _, id := range heldAtKill {
		if len(mails[id]) != 2 {
			t.Errorf("mail %s, unanswered when its sender died, arrived %d times; want again from the survivor", id, len(mails[id]))
		}
	}
	if n := len(posts); n != slackRows {
		t.Errorf("%d notices in Slack, %d Slack rows in the outbox", n, slackRows)
	}
	if len(mails) != rows-slackRows {
		t.Errorf("%d distinct mails, %d mail rows in the outbox", len(mails), rows-slackRows)
	}
	if slack.lookups(bIP) == 0 {
		t.Error("the survivor never looked in Slack's history for the dead replica's posts")
	}
	t.Logf("%d Slack posts (%d by a), %d mails unanswered at the kill, %d repeated (the mail window), %d history reads by b",
		slackRows, aPosts, len(heldAtKill), repeats, slack.lookups(bIP))

	noSecrets(t, a.name, a.log.String(), token, bot, password)
	noSecrets(t, b.name, b.log.String(), token, bot, password)
}
