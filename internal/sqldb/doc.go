// Package sqldb opens rxintake's database, the one SQL database every
// package keeps its own tables in, and fixes how a time is written in a
// column.
package sqldb
