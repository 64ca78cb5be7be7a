// Package slack is the bot's one door to Slack, both ways: it verifies and parses what
// Slack sends (slash commands, button clicks, modal submissions, Events API events, over
// HTTP or Socket Mode), runs them through the platform-neutral commands package, renders
// the neutral commands.Reply as Block Kit and modals, and posts messages for notify.
//
// Nothing Slack-shaped leaves this package: callers hand it a commands.Handler and get
// back an http.Handler, a Socket Mode loop and a Sender.
package slack
