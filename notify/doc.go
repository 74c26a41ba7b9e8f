// Package notify owns correction requests: the directory of offices,
// composing, the outbox, sending and follow-up.
package notify
