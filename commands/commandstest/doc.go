// Package commandstest gives tests of commands and of the chat adapters an in-memory
// commands.Store, as net/http/httptest gives them a server: an event log whose tickets
// the real sla engine replays, which records what it was asked and what was appended.
//
// It imports only the standard library and sla, never commands, so that commands' own
// internal tests can use it without an import cycle; no production code imports it.
package commandstest
