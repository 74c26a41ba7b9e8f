-- IF NOT EXISTS: a database made before versions were recorded already
-- holds these tables.

-- One row per email: n is 1 for the request, 2 for its reminder. The
-- message itself is kept apart, in notify_messages.
CREATE TABLE IF NOT EXISTS notify_outbox (
	case_id      TEXT    NOT NULL,
	n            INTEGER NOT NULL,
	kind         TEXT    NOT NULL,
	office       TEXT    NOT NULL,
	rcpt         TEXT    NOT NULL,
	message_id   TEXT    NOT NULL UNIQUE,
	rules        TEXT    NOT NULL,
	state        TEXT    NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt TEXT    NOT NULL DEFAULT '',
	last_error   TEXT    NOT NULL DEFAULT '',
	uncertain    INTEGER NOT NULL DEFAULT 0,
	resends      INTEGER NOT NULL DEFAULT 0,
	first_try    TEXT    NOT NULL DEFAULT '',
	sent_at      TEXT    NOT NULL DEFAULT '',
	created      TEXT    NOT NULL,
	updated      TEXT    NOT NULL,
	PRIMARY KEY (case_id, n)
);
CREATE INDEX IF NOT EXISTS notify_outbox_state ON notify_outbox (state, next_attempt);

-- The composed messages. (PostgreSQL spells BLOB as BYTEA.)
CREATE TABLE IF NOT EXISTS notify_messages (
	case_id TEXT    NOT NULL,
	n       INTEGER NOT NULL,
	request TEXT    NOT NULL,
	message BLOB    NOT NULL,
	PRIMARY KEY (case_id, n)
);

-- The cases notify follows. match_key is a hash of the patient's name,
-- birth date and the prescriber's surname: no PHI in the clear.
CREATE TABLE IF NOT EXISTS notify_cases (
	case_id       TEXT NOT NULL PRIMARY KEY,
	office        TEXT NOT NULL,
	match_key     TEXT NOT NULL DEFAULT '',
	state         TEXT NOT NULL,
	superseded_by TEXT NOT NULL DEFAULT '',
	created       TEXT NOT NULL,
	updated       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notify_cases_match ON notify_cases (match_key, state);

-- Audit events decided inside a decision's transaction, written to the
-- trail by the next delivery run. (PostgreSQL spells the key
-- seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY.)
CREATE TABLE IF NOT EXISTS notify_events (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	case_id TEXT NOT NULL,
	event   TEXT NOT NULL,
	detail  TEXT NOT NULL,
	created TEXT NOT NULL
);
