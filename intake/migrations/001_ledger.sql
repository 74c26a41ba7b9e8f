-- The ledger of messages taken from mailboxes, keyed by where each sits.
-- IF NOT EXISTS: a database made before versions were recorded already
-- holds these tables.
CREATE TABLE IF NOT EXISTS ledger (
	account      TEXT    NOT NULL,
	mailbox      TEXT    NOT NULL,
	uidvalidity  BIGINT  NOT NULL,
	uid          BIGINT  NOT NULL,
	message_id   TEXT    NOT NULL DEFAULT '',
	sha256       TEXT    NOT NULL DEFAULT '',
	size         BIGINT  NOT NULL DEFAULT 0,
	state        TEXT    NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt TEXT    NOT NULL DEFAULT '',
	last_error   TEXT    NOT NULL DEFAULT '',
	case_id      TEXT    NOT NULL,
	outcome      TEXT    NOT NULL DEFAULT '',
	reasons      TEXT    NOT NULL DEFAULT '[]',
	folder       TEXT    NOT NULL DEFAULT '',
	filed_by     TEXT    NOT NULL DEFAULT '',
	created      TEXT    NOT NULL,
	updated      TEXT    NOT NULL,
	PRIMARY KEY (account, mailbox, uidvalidity, uid)
);
CREATE INDEX IF NOT EXISTS ledger_content ON ledger (account, mailbox, message_id, sha256);
CREATE INDEX IF NOT EXISTS ledger_state ON ledger (account, mailbox, uidvalidity, state);

-- The highest UID claimed in each mailbox under each UIDVALIDITY.
CREATE TABLE IF NOT EXISTS ledger_highwater (
	account     TEXT   NOT NULL,
	mailbox     TEXT   NOT NULL,
	uidvalidity BIGINT NOT NULL,
	uid         BIGINT NOT NULL,
	updated     TEXT   NOT NULL,
	PRIMARY KEY (account, mailbox, uidvalidity)
);
