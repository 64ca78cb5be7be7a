// Package jira owns what Jira Service Management sends the bot: it verifies webhooks
// (X-Hub-Signature) and maps them to the contract's generic ticket events (sla.Event).
// It knows nothing of storage or chat: Handler takes a small Store, and cmd/bot mounts
// it on POST /webhooks/jira.
//
// # Webhook events
//
// Register one webhook (Jira settings, System, WebHooks) with a secret, for the events
// "Issue created", "Issue updated" and "Comment created". Every other webhook event is
// acknowledged (200) and ignored; so is the comment that jira:issue_updated carries,
// since comment_created maps it. An edited comment (comment_updated) changes nothing.
//
//   - jira:issue_created gives `created` at fields.created (else the timestamp), by the
//     reporter, with the customer, kind, priority (none for a connection request, R2.3),
//     environment, TNI motivation (R4.2) and source (R3.1) described below.
//   - jira:issue_updated gives, at the webhook's timestamp (else fields.updated) and by
//     its user, the events of each status change of the changelog, `priority_changed`
//     (reason "changed in Jira", R4.1) for a change between priorities that map
//     differently, and one `escalated` (level 0: the next step, R7) when the change
//     adds an escalation label or enters an escalation status (described below).
//     Changelog items are matched on fieldId ("status", "priority", "labels"), since the
//     field name is localized ("Prioriteit"), and on the name when fieldId is absent.
//   - comment_created: a public comment (jsdPublic true) by an agent gives one `updated`
//     at the comment's creation (else the timestamp): sla counts an update as the first
//     response when none was given yet (R5.1), and as a progress update always (R5.3),
//     so no separate `responded` is needed. An agent is any author who is not the
//     customer; the customer is a portal-only account (accountType "customer") or the
//     issue's reporter when the payload carries it (Jira Cloud's comment payloads do
//     not). A public comment by the customer on an issue in a waiting-for-customer
//     status gives `resumed` (R3.4). Internal notes (jsdPublic false or absent) give
//     nothing.
//
// A status change from one status to another gives, in this order: `responded` when it
// leaves an initial status for a non-initial one (the first move, R5.1); `resumed` when
// it leaves a waiting status for a non-waiting one; `reopened` when it leaves a done
// status for a non-done one (R5.2); `paused` with reason customer or third_party when it
// enters a waiting status (R3.4); `resolved` when it enters a done status from a
// non-done one. So "Waiting for support" → "Waiting for customer" is responded + paused,
// "Waiting for customer" → "In Progress" is resumed, "In Progress" → "Resolved" is
// resolved and "Resolved" → "In Progress" is reopened. A status in no list is ordinary
// work: "In Progress", "Work in progress" and "In behandeling" need no entry.
//
// Escalation (R7, escalation): a labels item whose toString holds one of
// escalation.labels that its fromString did not (both are space-separated label lists),
// or a status item that enters one of escalation.statuses from a status not listed
// there, escalates the ticket one step. One change gives at most one `escalated`, its
// reason naming the signal (escalated in Jira (label "escalatie")), however many
// signals it carries: a label and a status at once would otherwise skip a line. An
// escalation status is ordinary work for the clocks, as "In Progress" is: entering it
// neither pauses nor resolves, but what the ticket leaves still counts (waiting for the
// customer → Escalated is resumed + escalated, so the clocks do not stay paused), and
// leaving it gives only what the next status means. Defaults: labels escalated,
// escalatie, geescaleerd, geëscaleerd; statuses Escalated, Geëscaleerd.
//
// Event ids are deterministic, so a redelivery is recognised even without the delivery
// header: "jira:issue_created:KEY", "jira:issue_updated:KEY:CHANGELOG-ID:N" (N counts
// the events of one delivery from 0) and "jira:comment_created:KEY:COMMENT-ID". Keys
// are checked and upper-cased by sla.ParseKey. Times are read as UTC instants, from the
// places named above and nowhere else; an instant outside the years the service calendar
// counts (sla.CheckInstant: 2000-2100) is refused, naming the field it came from, rather
// than passed over for the next place.
//
// A body that is not JSON, lacks an issue key, or whose customer, kind, priority,
// environment or channel on creation (or new priority on update) maps to nothing is
// refused with a one-line reason (400) and changes nothing. So is one whose events
// sla.Event.Check refuses (a display name with a control character, say): every event
// passes the contract's own check before it is stored. Values from the webhook are
// quoted and cut to 80 bytes in a reason.
//
// # Mapping defaults (DefaultMapping)
//
// Names match without regard to case. Statuses (statuses):
//   - initial: Waiting for support, Open, New, To Do, Wachten op ondersteuning, Nieuw, Te doen
//   - waiting_customer: Waiting for customer, Wachten op klant, Wachten op afnemer
//   - waiting_third_party: Waiting for third party, Pending, Wachten op derde partij,
//     Wachten op derden
//   - done: Resolved, Done, Closed, Canceled, Cancelled, Declined, Opgelost, Gesloten,
//     Afgehandeld, Geannuleerd
//
// Priorities (priorities), covering the default schemes of Jira Cloud and JSM (Highest,
// High, Medium, Low, Lowest), JSM's ITSM names (Critical, High, Medium, Low) and Jira
// Server / Data Center (Blocker, Critical, Major, Minor, Trivial), each reaching every
// one of P1..P4: P1 Highest, Critical, Blocker, P1, Hoogste, Kritiek, Blokkerend; P2
// High, Major, P2, Hoog, Groot, Belangrijk; P3 Medium, Minor, P3, Gemiddeld, Normaal,
// Klein; P4 Low, Lowest, Trivial, P4, Laag, Laagste, Triviaal.
//
// Kinds (kinds), matched on the request type's name, then on the issue type's name:
//   - incident: Report an incident, Report a system problem, Incident, [System] Incident,
//     Incidentmelding, Incident melden, Storing melden
//   - question: Ask a question, Get IT help, Question, Vraag, Ondersteuningsvraag,
//     Een vraag stellen
//   - connection: Connection request, New service request, Service request,
//     [System] Service request, Aansluitingsaanvraag, Aansluiting aanvragen
//
// The request type is read from request_type_field, customfield_10010 ("Customer
// Request Type" on Jira Cloud).
//
// Customer (customer): id_field is unset; organization_field is customfield_10002 (JSM
// "Organizations"); organizations (organization name → customer id) is empty, so an
// organization is taken only when its name is a configured customer id. An issue whose
// customer is not found, or is not a configured customer, is refused.
//
// Environment (env): field and motivation_field are unset, so every ticket is on prod
// and has no motivation; set them to the custom fields of the site. Values: prod Prod,
// Production, Productie; tni TNI, Test, Test en integratie, Test & integratie. An empty
// field means prod; any other value is refused.
//
// Source (source): field is unset. The value of field, when set and filled in, is
// looked up in the lists; otherwise the request type's name is (so the request type
// linked to the mail channel can say mail); an issue with a request type that matches
// no list came through the portal; an issue without a request type was made in Jira
// itself by an agent and gets without_request_type, phone. Lists: portal Portal,
// Portaal, Customer portal, Klantenportaal; mail Email, E-mail, Mail, Emailed request,
// Email request, E-mailaanvraag; phone Phone, Telefoon, Phone call; chat Chat, Slack,
// Teams.
package jira
