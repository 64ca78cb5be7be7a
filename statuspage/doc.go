// Package statuspage owns the MAGDA status page, an Atlassian Statuspage: it reads its
// public v2 API (summary, unresolved incidents, upcoming scheduled maintenances) on an
// interval, with a timeout and a backoff, keeps the last good answer and says since when
// the page has not been reachable (R6.2). Every scheduled maintenance on the page is an
// R8.2 window; they are kept through the Store it declares, so that one that is over
// still counts for its month's availability.
package statuspage
