// Package sqldb holds what rxintake's packages share about the SQL database
// they keep their tables in: how a time is written in a column.
package sqldb
