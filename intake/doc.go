// Package intake owns the mailbox: IMAP, what counts as new, claiming a
// message on the ledger, filing it after its outcome is committed.
package intake
