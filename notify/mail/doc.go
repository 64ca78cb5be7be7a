// Package mail sends the bot's mail (escalations to MAGDA Service Delivery, R7; the P1
// notice to the SDM, R7.1) through an SMTP server given as SMTP_URL, with STARTTLS
// required whenever credentials are given (tls=required|opportunistic|none). It knows
// nothing of tickets: callers give it a Message.
package mail
