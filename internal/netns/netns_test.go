package netns

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sys/unix"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
)

// listen opens a TCP listener inside h that answers each connection with one line.
func listen(t *testing.T, h *Host, addr string) net.Listener {
	t.Helper()
	var ln net.Listener
	if err := h.Do(func() (err error) { ln, err = net.Listen("tcp", addr); return err }); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(c, "hello from %s\n", h.Name)
			c.Close()
		}
	}()
	return ln
}

func dial(h *Host, addr string) (string, error) {
	var line string
	err := h.Do(func() error {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Second))
		line, err = bufio.NewReader(c).ReadString('\n')
		return err
	})
	return strings.TrimSpace(line), err
}

// TestHostsConnect: two hosts on one bridge reach each other by address, a server on
// the test's own loopback is not on theirs, and a process started in a host sees its
// own address and nothing of the machine's devices.
func TestHostsConnect(t *testing.T) {
	n := New(t, 2)
	a, b := n.Hosts[0], n.Hosts[1]
	if !n.Prefix.Contains(a.Addr) || !n.Prefix.Contains(b.Addr) || a.Addr == b.Addr || a.Addr == n.Gateway {
		t.Fatalf("addresses %s, %s, gateway %s in %s", a.Addr, b.Addr, n.Gateway, n.Prefix)
	}
	ln := listen(t, a, netip.AddrPortFrom(a.Addr, 0).String())
	got, err := dial(b, ln.Addr().String())
	if err != nil {
		t.Fatalf("%s to %s: %v", b.Name, ln.Addr(), err)
	}
	if want := "hello from " + a.Name; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}

	// The test's own loopback is not the hosts': a replica must be given the gateway.
	local, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	if _, err := dial(b, local.Addr().String()); err == nil {
		t.Fatalf("%s reached the test's loopback %s", b.Name, local.Addr())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := a.Command(ctx, "ip", "-o", "addr", "show").CombinedOutput()
	if err != nil {
		t.Fatalf("ip addr in %s: %v: %s", a.Name, err, out)
	}
	if !strings.Contains(string(out), " "+a.Addr.String()+"/24") || strings.Contains(string(out), n.Bridge) {
		t.Fatalf("a process in %s sees:\n%s", a.Name, out)
	}
}

// TestHostReachesPostgres: a process (this test binary again, TestChildQuery) in a host
// connects to the test's PostgreSQL at the gateway over the veth, writes a row, and the
// server saw it come from the host's address.
func TestHostReachesPostgres(t *testing.T) {
	n := New(t, 1)
	h := n.Hosts[0]
	srv := pgtest.Start(t, pgtest.Listen(n.Gateway.String()))
	dsn := srv.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE seen (client inet)"); err != nil {
		t.Fatal(err)
	}

	cmd := h.Command(ctx, os.Args[0], "-test.run=^TestChildQuery$", "-test.v")
	cmd.Env = append(os.Environ(), childDSN+"="+pgtest.WithHost(dsn, n.Gateway.String()))
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "--- PASS: TestChildQuery") {
		t.Fatalf("child in %s: %v\n%s", h.Name, err, out)
	}
	var client string
	if err := conn.QueryRow(ctx, "SELECT host(client) FROM seen").Scan(&client); err != nil {
		t.Fatal(err)
	}
	if client != h.Addr.String() {
		t.Fatalf("the server saw the child come from %s, want %s", client, h.Addr)
	}
}

const childDSN = "MAGDA_NETNS_CHILD_DSN"

// TestChildQuery is the process TestHostReachesPostgres starts inside a host; run on its
// own it has nothing to do.
func TestChildQuery(t *testing.T) {
	dsn := os.Getenv(childDSN)
	if dsn == "" {
		t.Skip("run by TestHostReachesPostgres inside a namespace")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "INSERT INTO seen SELECT inet_client_addr()"); err != nil {
		t.Fatal(err)
	}
}

// TestCommandIsTheProcess: the process Command starts is the command itself, inside the
// host's namespace, so the replica tests' SIGKILL reaches the bot and not a wrapper.
func TestCommandIsTheProcess(t *testing.T) {
	n := New(t, 1)
	h := n.Hosts[0]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := h.Command(ctx, "sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := strconv.Itoa(cmd.Process.Pid)
	var comm []byte
	for range 100 { // ip execs the command a moment after the fork
		if comm, _ = os.ReadFile("/proc/" + pid + "/comm"); strings.TrimSpace(string(comm)) == "sleep" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := strings.TrimSpace(string(comm)); got != "sleep" {
		t.Errorf("the started process is %q, not the command", got)
	}
	var in, want unix.Stat_t
	if err := unix.Stat("/proc/"+pid+"/ns/net", &in); err != nil {
		t.Fatal(err)
	}
	if err := unix.Stat("/var/run/netns/"+h.Name, &want); err != nil {
		t.Fatal(err)
	}
	if in.Ino != want.Ino {
		t.Errorf("the process is not in %s's namespace", h.Name)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("after SIGKILL: %v, want killed", err)
	}
}

// TestDisconnect: a host taken off the bridge is not reached (the dial times out, as in
// a partition) and is reached again once it is back.
func TestDisconnect(t *testing.T) {
	n := New(t, 2)
	a, b := n.Hosts[0], n.Hosts[1]
	addr := listen(t, a, netip.AddrPortFrom(a.Addr, 0).String()).Addr().String()
	if _, err := dial(b, addr); err != nil {
		t.Fatalf("before: %v", err)
	}
	if err := a.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if _, err := dial(b, addr); err == nil {
		t.Fatal("reached a disconnected host")
	} else if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Errorf("dialing a disconnected host: %v, want a time-out", err)
	}
	if err := a.Connect(); err != nil {
		t.Fatal(err)
	}
	var err error
	for range 20 { // the link comes back up a moment after the command
		if _, err = dial(b, addr); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("after Connect: %v", err)
}
