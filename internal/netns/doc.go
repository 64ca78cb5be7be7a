// Package netns gives a test hosts of its own: Linux network namespaces joined by a
// bridge in a private /24, each with one address, and the test's own namespace on the
// bridge too, where servers such as PostgreSQL listen for them. Nothing is routed beyond
// the bridge, so a host reaches its peers, the test and its own loopback only. It needs
// root and iproute2; everything it makes goes when the test ends.
//
// Two replicas on two hosts sharing the test's PostgreSQL:
//
//	n := netns.New(t, 2)
//	srv := pgtest.Start(t, pgtest.Listen(n.Gateway.String()))
//	dsn := pgtest.WithHost(srv.Database(t), n.Gateway.String())
//	bot := n.Hosts[0].Command(ctx, botBinary, "serve") // with MAGDA_DB=dsn
//
// The servers the replicas call (a local Slack API, SMTP) listen on n.Gateway too, since
// the test's 127.0.0.1 is not the hosts' loopback.
package netns
