// Package validate checks a prescription against the rules of docs/rules.md and
// the payer profiles of the configuration, and returns findings and a status.
package validate
