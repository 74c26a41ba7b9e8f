// Package casefile owns the cases: the cases table (one case per message
// taken in: its id, where the message sits, who sent it, its status), each
// case's record (case_records: what was read of its documents and what the
// rules found), and the page images the record points to. It alone writes
// them; the ledger, notify and the review page change a case through its
// methods, inside their own transactions where the change must commit
// with theirs.
//
// A case's Status is the one status of rxintake: the outcome of a message
// (complete, needs-correction, needs-review) and what later stages make of
// it (corrected, not-a-prescription).
package casefile
