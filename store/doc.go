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
// # Caveats
//
//   - Open waits at most Options.Timeout for the file lock and then fails with
//     ErrLocked: another process has the database open.
//   - Byte slices read in a transaction are only valid inside it; records are
//     decoded before it ends.
//   - Batch may run its function twice: functions must only touch the Tx.
//   - The file never shrinks; deleted space is reused.
package store
