// Package crashpoint lets the crash tests kill rxintake at a named point of
// a cycle. It is for tests only: in a binary built without the build tag
// crashpoint (every build but the crash tests'), At does nothing and the
// environment is never read.
//
// Built with -tags crashpoint, the binary reads RXINTAKE_CRASHPOINT=NAME or
// NAME:N and sends itself SIGKILL the N-th time (default the first) it
// passes the point NAME. The points:
//
//	after-claim     a message is claimed on the ledger, its case opened
//	mid-ocr         a page is with an OCR worker
//	after-decision  a message's outcome is committed, the message not yet moved
//	mid-move        the server has moved the message; the ledger does not know
//	after-smtp      the SMTP server accepted a request; it is not marked sent
package crashpoint

// Env names the point to crash at, in a binary built with -tags crashpoint.
const Env = "RXINTAKE_CRASHPOINT"
