// Package sqldb opens rxintake's database, the one SQL database every
// package keeps its own tables in; applies each package's numbered
// migrations, recorded in schema_migrations; and fixes how a time is
// written in a column.
package sqldb
