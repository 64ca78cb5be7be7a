// Package teams is the one package that knows Microsoft Teams: it verifies what the Bot
// Framework posts to /api/messages (its own JWT check against the OpenID metadata's
// keys, for the msteams channel and the configured tenants only), turns messages, @mentions and card submits into commands for the platform-neutral
// commands package, renders its Replies as Adaptive Cards, and posts them through the
// Bot Connector REST API, as replies and as proactive notices within Teams' rate limits.
//
// Nothing of Teams leaves this package: callers give and get commands types, and the
// conversation references it needs are kept behind the small References interface.
package teams
