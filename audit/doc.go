// Package audit owns the append-only, hash-chained audit trail the office
// manager reviews (the audit_trail table: one typed method per event), its
// checkpoints (audit_checkpoint, and checkpoint files outside the
// database), its verification and its export.
package audit
