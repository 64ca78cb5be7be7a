// Package netns gives a test hosts of its own: Linux network namespaces joined by a
// bridge in a private /24, each with one address, and the test's own namespace on the
// bridge too, where servers such as PostgreSQL listen for them. Nothing is routed beyond
// the bridge, so a host reaches its peers, the test and its own loopback only. It needs
// root and iproute2; everything it makes goes when the test ends.
package netns
