// Package config reads the bot's YAML configuration: customers and their tiers (R1),
// closure days (R3.3), maintenance changes (R8.2), who may do what, channel mappings
// and the contacts of R7.3. It is strict: an unknown key or a bad value is an error
// naming the file, line and key, before anything runs.
package config
