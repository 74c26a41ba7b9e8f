// Package intake owns the mailbox: IMAP, what counts as new, claiming a
// message on the ledger, filing it after its outcome is committed. The
// ledger (tables ledger and ledger_highwater) is intake's own; the case each
// claim opens is the case store's (casefile), opened in the claim's
// transaction.
//
// A Worker runs one cycle at a time (RunCycle, under a flock on
// data_dir/rxintake.lock). A cycle logs in (implicit TLS, STARTTLS, or
// plaintext to a loopback host only; certificates verified), selects the
// intake folder and
//
//   - finishes what the ledger says is unfinished under the folder's
//     UIDVALIDITY: files decided messages, retries failed ones that are due,
//     and redoes attempts that died with their process;
//   - takes the messages above the ledger's high-water UID, oldest first,
//     with BODY.PEEK[] (never relying on or touching \Seen). Each is claimed
//     on the ledger, opening its case, after reading its header only and
//     before any other work; its MIME parts are walked inside a counted
//     attempt; what of its sender our mail server verified is judged by
//     intake.authserv_id and intake.fax_senders (Sender); its original is
//     stored under data_dir/originals by SHA-256; auto-replies, bounces,
//     list mail, our own messages and empty ones go to review without
//     processing; the rest go to the Processor. The outcome is committed,
//     and only then is the message moved to its folder.
//
// A message above limits.bytes_per_message is not fetched whole and goes to
// review. A temporary failure is retried on later cycles with exponential
// backoff, up to Options.MaxAttempts, then goes to review; a permanent one
// goes to review at once. When UIDVALIDITY changes, the ledger recognises
// messages it has seen by Message-ID and SHA-256, so none is processed twice.
//
// Logs above debug name messages by case id, UID and audit.MessageIDHash only.
package intake
