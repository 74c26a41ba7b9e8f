-- How far each place that receives checkpoints off the machine has got
-- (Trail.Deliver): the last checkpoint record it took, and its failures.
CREATE TABLE IF NOT EXISTS audit_checkpoint_delivery (
	sink          TEXT    NOT NULL PRIMARY KEY,
	sent_through  INTEGER NOT NULL DEFAULT 0,
	sent_at       TEXT    NOT NULL DEFAULT '',
	failing_since TEXT    NOT NULL DEFAULT '',
	failures      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT    NOT NULL DEFAULT ''
);
