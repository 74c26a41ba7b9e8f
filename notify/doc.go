// Package notify owns correction requests: the directory of offices,
// composing, the outbox, sending and follow-up.
//
// A request goes only to an address of the office directory (config
// `offices:`), found by the prescriber's NPI, the sending fax number, or the
// sender address of an email whose domain belongs to one office. An address
// read from a document, a From or a Reply-To is never used by itself.
//
// The life of a request:
//
//	Decided (inside the decision's transaction)
//	   -> queued -> sending -> sent -> (N business days) reminder -> (N) review
//	                  |   ^
//	                  v   |  4xx, network: again later, same Message-ID
//	                failed (5xx: the case goes to review)
//
// Exactly one request per case decision: Decided inserts it with the decision
// (a second call for the same case changes nothing), and delivery marks it
// 'sending' in its own commit before the SMTP transaction and 'sent' after.
// A row found 'sending' when delivery starts was interrupted by a crash: it
// is sent again once, and the audit trail records DuplicateSendSuspected; a
// second interruption holds it back and sends the case to review.
//
// Audit events of things decided inside the decision's transaction (queued,
// linked) wait in notify_events and are written to the trail by the next
// delivery run: the trail takes its own transaction, which SQLite would not
// grant while the decision holds the write lock.
package notify
