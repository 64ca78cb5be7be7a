package netns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Network is one test's bridge and the hosts on it.
type Network struct {
	Bridge  string       // the bridge device, in the test's own namespace
	Prefix  netip.Prefix // 10.231.N.0/24, N free on this machine
	Gateway netip.Addr   // the bridge's address: the test's own namespace, seen from the hosts
	Hosts   []*Host
}

// Host is one network namespace with one address on the bridge.
type Host struct {
	Name string     // the namespace's name, as `ip netns` knows it
	Addr netip.Addr // its address on the bridge, on its device eth0

	port string // its veth's end on the bridge
}

// cmdWithin bounds each ip command, so a wedged kernel call fails the test instead of
// hanging it.
const cmdWithin = 10 * time.Second

// next spreads the subnets that tests of one binary try, and the process id those of
// binaries running side by side.
var next atomic.Int64

// New makes a bridge with hosts namespaces on it and removes them when the test ends.
// Without root or iproute2 the test is skipped with one line saying which; in CI, whose
// .ci/run installs iproute2 and runs as root, that is a failure instead.
func New(t testing.TB, hosts int) *Network {
	t.Helper()
	if os.Geteuid() != 0 {
		unavailable(t, "netns: network namespaces need root (ip netns add); run the test as root, as CI does")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		unavailable(t, "netns: no ip command: install Debian's package iproute2")
	}
	if hosts < 1 || hosts > 250 {
		t.Fatalf("netns: %d hosts; a /24 bridge takes 1 to 250", hosts)
	}
	n := &Network{}
	if err := n.bridge(t); err != nil {
		if strings.Contains(err.Error(), "Operation not permitted") {
			unavailable(t, "netns: this machine does not let root make network devices ("+err.Error()+")")
		}
		t.Fatal(err)
	}
	for i := range hosts {
		h, err := n.host(t, i)
		if err != nil {
			t.Fatal(err)
		}
		n.Hosts = append(n.Hosts, h)
	}
	return n
}

// bridge claims a free 10.231.N.0/24: the bridge's name carries N, and creating a
// device whose name exists fails, so two tests never take the same N.
func (n *Network) bridge(t testing.TB) error {
	addrs, err := run("ip", "-o", "-4", "addr", "show")
	if err != nil {
		return err
	}
	start := int(next.Add(1)) + os.Getpid()
	for try := range 254 {
		third := (start+try)%254 + 1
		prefix := netip.MustParsePrefix("10.231." + strconv.Itoa(third) + ".0/24")
		if strings.Contains(addrs, " 10.231."+strconv.Itoa(third)+".") {
			continue
		}
		if routes, err := run("ip", "-4", "route", "show", prefix.String()); err != nil || routes != "" {
			continue
		}
		name := "mgtb" + strconv.Itoa(third)
		if _, err := run("ip", "link", "add", name, "type", "bridge"); err != nil {
			if strings.Contains(err.Error(), "File exists") {
				continue
			}
			return err
		}
		t.Cleanup(func() { cleanup(t, "ip", "link", "del", name) })
		n.Bridge, n.Prefix = name, prefix
		n.Gateway = prefix.Addr().Next()
		for _, args := range [][]string{
			{"addr", "add", n.Gateway.String() + "/24", "dev", name},
			{"link", "set", name, "up"},
		} {
			if _, err := run("ip", args...); err != nil {
				return err
			}
		}
		return nil
	}
	return errors.New("netns: no free 10.231.N.0/24 for a bridge")
}

// host makes namespace i with a veth pair: eth0 inside, the other end on the bridge.
// The namespace gets no default route, so nothing past the bridge is reachable.
func (n *Network) host(t testing.TB, i int) (*Host, error) {
	third := strings.TrimPrefix(n.Bridge, "mgtb")
	h := &Host{Name: "mgt" + third + "h" + strconv.Itoa(i), Addr: n.Gateway}
	for range i + 1 {
		h.Addr = h.Addr.Next()
	}
	if _, err := run("ip", "netns", "add", h.Name); err != nil {
		return nil, err
	}
	t.Cleanup(func() { cleanup(t, "ip", "netns", "del", h.Name) })
	outer := "mgt" + third + "v" + strconv.Itoa(i) // at most 15 bytes: "mgt254v249"
	h.port = outer
	for _, args := range [][]string{
		{"link", "add", outer, "type", "veth", "peer", "name", "eth0", "netns", h.Name},
		{"link", "set", outer, "master", n.Bridge, "up"},
		{"-n", h.Name, "addr", "add", h.Addr.String() + "/24", "dev", "eth0"},
		{"-n", h.Name, "link", "set", "eth0", "up"},
		{"-n", h.Name, "link", "set", "lo", "up"},
	} {
		if _, err := run("ip", args...); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// Disconnect takes the host off the bridge, as a pulled cable or a partition would:
// its packets are dropped, not refused, so a client sees time-outs rather than errors
// at once (Stop on a pgtest server gives the other kind). Connect puts it back.
func (h *Host) Disconnect() error {
	_, err := run("ip", "link", "set", h.port, "down")
	return err
}

// Connect puts a host taken off the bridge by Disconnect back on it.
func (h *Host) Connect() error {
	_, err := run("ip", "link", "set", h.port, "up")
	return err
}

// Command is a command that runs inside the host (through `ip netns exec`, which then
// execs it, so the process is the command itself and a signal to it reaches it).
func (h *Host) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", h.Name, name}, args...)...)
}

// Do runs f on a thread inside the host. Sockets that f opens stay in the host after it
// returns (a listener served by another goroutine keeps serving there); goroutines that
// f starts do not run in the host, so f opens its sockets itself.
func (h *Host) Do(f func() error) error {
	target, err := os.Open("/var/run/netns/" + h.Name)
	if err != nil {
		return fmt.Errorf("netns: %w", err)
	}
	defer target.Close()
	runtime.LockOSThread()
	own, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("netns: %w", err)
	}
	defer own.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("netns: entering %s: %w", h.Name, err)
	}
	defer func() {
		// A thread that cannot get back stays locked, and so ends with this goroutine
		// instead of running other code in the wrong namespace.
		if unix.Setns(int(own.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
	}()
	return f()
}

func run(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdWithin)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("netns: %s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return strings.TrimSpace(string(out)), nil
}

// cleanup undoes one step; a namespace's veth goes with the namespace, so its own
// deletion is all that is needed.
func cleanup(t testing.TB, name string, args ...string) {
	if _, err := run(name, args...); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}

func unavailable(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(reason)
	}
	t.Skip(reason)
}
