// Package audit owns rxintake's database: the ledger of messages and cases
// and the append-only, hash-chained audit trail the office manager reviews.
package audit
