-- The retention purges of the trail (purge.go): each removed the entries up
-- to through_seq, a checkpointed entry whose hash the first entry kept
-- chains to. Append-only, like the trail (trailGuards).
CREATE TABLE IF NOT EXISTS audit_purge (
	id          INTEGER PRIMARY KEY,
	through_seq INTEGER NOT NULL,
	hash        TEXT    NOT NULL,
	at          TEXT    NOT NULL,
	entries     INTEGER NOT NULL,
	checkpoint  TEXT    NOT NULL
);
