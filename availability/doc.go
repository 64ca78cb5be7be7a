// Package availability counts the R6.1 figure from what is stored: it reads a month's
// outages from the store and the maintenance windows in force (the configuration's
// R8.1/R8.2 changes and the status page's scheduled maintenances) and hands them to the
// pure sla.MonthlyAvailability. It is what the commands, the scheduler, the metrics, the
// CLI and the service-review report call for "are we within 99.5 % this month?".
package availability
