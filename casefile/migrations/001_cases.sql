-- The cases and their records. IF NOT EXISTS: a database made before
-- versions were recorded already holds these tables.
CREATE TABLE IF NOT EXISTS cases (
	id             TEXT NOT NULL PRIMARY KEY,
	message_ref    TEXT NOT NULL,
	message_sha256 TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	sender_fax     TEXT NOT NULL DEFAULT '',
	sender_address TEXT NOT NULL DEFAULT '',
	created        TEXT NOT NULL,
	updated        TEXT NOT NULL
);

-- One record per case: what was read and found, as JSON.
CREATE TABLE IF NOT EXISTS case_records (
	case_id TEXT NOT NULL PRIMARY KEY,
	status  TEXT NOT NULL,
	record  TEXT NOT NULL,
	updated TEXT NOT NULL
);
