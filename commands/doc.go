// Package commands is the platform-neutral command set of the /magda bot: Parse turns a
// command text (Dutch or English) into a Command, and a Handler answers it with a Reply
// built from the ticket store and the sla engine.
//
// No chat platform type reaches this package: notify/slack, notify/teams and `bot ask`
// render the neutral Reply (Block Kit, Adaptive Cards, terminal text) and turn button
// clicks and form submissions back into Commands with ActionCommand and FormCommand.
package commands
