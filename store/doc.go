// Package store keeps all of the bot's state in one bbolt file. It is the
// only package that imports bbolt; its methods take and return the bot's
// records and own their transactions, or run inside a Tx given to
// View/Update/Batch.
//
// # Buckets and keys
//
// Integers in keys are 8-byte big-endian, so cursor order is numeric order.
// Values are JSON.
//
//	meta      "schema" → version (uint64); "offset" → next update ID to
//	          request from Telegram: every update below it is committed
//	users     user ID → User
//	states    chat ID → State (flow, step, draft); absent when idle
//	handled   update ID → empty: updates whose effects are committed, written
//	          in the same transaction as those effects; pruned below
//	          offset−10,000
//	outbox    sequence → chat ID (8 bytes) + JSON reply: replies committed
//	          but not yet delivered
//
// # Events, reminders and broadcast jobs
//
//	events            event ID → Event (start stored in UTC)
//	events_by_start   start (unix seconds) + event ID → empty: published
//	                  events in start order, for the upcoming list
//	rsvps             event ID + user ID → RSVP time (unix seconds)
//	reminders         due (unix seconds) + event ID + kind ("1d", "1h") →
//	                  empty: scanned from the first key for due ones; a
//	                  reminder is deleted in the transaction that queues its
//	                  delivery job, so it is sent once
//	broadcasts        job ID → Broadcast (author, text, audience, status,
//	                  cursor, counts, progress message): kept after the job
//	                  ends, as the record of what was sent
//	broadcasts_active job ID → empty: scheduled, running and paused jobs
//	recipients        job ID + index (4 bytes) → user ID (8 bytes) + outcome
//	                  (1 byte: pending, sent, failed, blocked, skipped) +
//	                  time of the outcome (unix seconds, 8 bytes); the list
//	                  is fixed when the job is confirmed
//
// A job's cursor is the index below which every recipient has an outcome.
// The runner commits outcomes and the cursor in small batches; after a
// crash it resumes at the cursor and skips recipients that already have an
// outcome, so only messages sent since the last commit can go out twice.
//
// # Caveats
//
//   - Open waits at most Options.Timeout for the file lock and then fails with
//     ErrLocked: another process has the database open.
//   - Byte slices read in a transaction are only valid inside it; records are
//     decoded before it ends.
//   - Batch may run its function twice: functions must only touch the Tx.
//   - The file never shrinks; deleted space is reused.
package store
