// Package validate checks a prescription against the rules of RX-RULES.md and
// the payer profiles of the configuration, and returns findings and a status.
package validate
