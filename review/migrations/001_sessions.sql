-- Sessions of the review page (review/session.go): by the SHA-256 of the
-- cookie's id, so that what is stored cannot be replayed as a cookie.
CREATE TABLE review_sessions (
    key       TEXT PRIMARY KEY,
    user      TEXT NOT NULL,
    stamp     TEXT NOT NULL,
    csrf      TEXT NOT NULL,
    created   TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX review_sessions_last_seen ON review_sessions (last_seen);
