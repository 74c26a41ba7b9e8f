-- What set a case's status last: the rules' ids, a later stage's rule, or a
-- person's action on the review page.
ALTER TABLE cases ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
