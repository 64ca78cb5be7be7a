// Package review counts a customer's service review (R1.2) for a period from the
// tickets' event logs, and renders it as text, JSON, CSV, XLSX, HTML and a trend chart.
// Counting is pure like sla: it takes the tickets, their events and `now`, and never
// reads the wall clock or a store; renderers only write to the io.Writer given.
package review
