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
//	meta      "schema" → version (uint64)
//	users     user ID → User (with its channel and platform ID)
//	user_refs channel + ":" + platform ID → user ID, for channels other
//	          than Telegram (a Telegram user's ID is their Telegram ID;
//	          others get IDs from 2^60 up, so they never meet)
//	staff     user ID → empty: index of users with the staff or admin role
//	states    chat ID → State (flow, step, draft); absent when idle
//	inbox     sequence → chat ID (8 bytes) + JSON update: input committed
//	          by a channel and not yet handled; removed in the transaction
//	          that commits the update's effects
//	inbox_keys dedup key ("tg:<update_id>:<hash>", "zalo:<msg_id>") →
//	          accepted (unix seconds): written with the inbox item, or for
//	          an update handled without one (the fast path) with its
//	          effects (TakeInboxKey); redeliveries are recognised for
//	          KeepInboxKeys (8 days)
//	outbox    sequence → chat ID (8 bytes) + JSON {channel, to, reply}:
//	          replies committed but not yet delivered (schema 1: a bare
//	          reply to a Telegram chat)
//	groups    chat ID (negative) → first seen + last notice (unix seconds)
//
// Schema 2 (migrate.go) named every user's channel and dropped schema 1's
// Telegram offset and handled marks; every other record is unchanged.
//
// The open idea bank (idea.go). PutIdea keeps every index in step with the
// record in the same transaction; listings and the review queue walk a
// sorted index and decode only the ideas shown.
//
//	ideas              idea ID → Idea (code "YT-" + 6-digit ID)
//	idea_by_author     author ID + idea ID → empty
//	idea_queue         created (unix ns) + idea ID → empty: waiting for
//	                   staff (submitted, under review), oldest first
//	idea_list          facet + 0x00 + order + sort key + idea ID → empty:
//	                   published public ideas. facet "" (all), "s=<sector>",
//	                   "l=<locality>", "sl=<sector>/<locality>"; order 'n'
//	                   (sort key: publication time) or 't' (supporter
//	                   count); read backwards for newest / most supported.
//	                   Its bucket sequence is the listing generation, bumped
//	                   when an idea enters or leaves the bank.
//	idea_support       idea ID + user ID → 0x01, mirrored by
//	idea_support_user  user ID + idea ID → 0x01
//	idea_follow        idea ID + user ID → 0x01, mirrored by
//	idea_follow_user   user ID + idea ID → 0x01
//	idea_changes       sequence → idea ID: ideas whose searchable text or
//	                   bank membership changed (the in-memory search index
//	                   catches up from it)
//	idea_audit         sequence → AuditEntry: every staff action, role
//	                   change (by an admin or by ADMIN_IDS at start),
//	                   backup and announcement approval
//	idea_collab        sequence → Collab: "I want to collaborate" requests
//	idea_pub           facet + 0x00 + order + sort key + idea ID → empty:
//	                   the bank by status (public.go), facets "t=<status>",
//	                   "ts=", "tl=", "tsl=" combined with sector/locality
//	idea_pub_stats     counter name → count (8 bytes): ideas per facet,
//	                   supports, ideas per month of publication, every idea
//	                   per status; built at Open when absent (meta
//	                   "pub_index")
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
//	quota             kind (1 byte) + user ID + day (days since 1970 in
//	                  Vietnam) → count: daily caps (collaboration requests,
//	                  questions passed to staff, announcements and extra
//	                  ones allowed by an admin), model answers reserved
//	                  over all users (user 0) and waited for per user
//	                  (day 0); the bot prunes daily counts after 8 days;
//	                  see quota.go
//	recipients        job ID + index (4 bytes) → user ID (8 bytes) + outcome
//	                  (1 byte: pending, sent, failed, blocked, skipped,
//	                  outside the channel's window) +
//	                  time of the outcome (unix seconds, 8 bytes); the list
//	                  is fixed when the job is confirmed
//
// A job's cursor is the index below which every recipient has an outcome.
// Each worker slot records in the job (Sending) the recipient it is about
// to send to, and commits the outcome right after the send; after a crash
// the runner resumes at the cursor, skips recipients that already have an
// outcome, and counts the recipients a slot was sending to as Repeated: only
// sends in flight at the crash can go out twice.
//
// # Policy questions
//
//	questions       question ID → Question (text, answer, sources, vote,
//	                hand-off status, staff answer)
//	questions_open  question ID → empty: passed to staff, not yet answered
//	questions_pending question ID → empty: waiting for a model-written answer
//	curated         ID → Curated: staff answers reused for matching questions
//	                (with the question and asker they came from)
//	kb_docs         file name → Markdown: knowledge-base documents uploaded
//	                with /kb, applied over the built-in ones at start
//	vectors         hash of model + passage → embedding (float32 little-endian)
//	llm_usage       user ID + day number (days since 1970, UTC) → count of
//	                model-written answers reserved (when the question is
//	                queued; given back if the model did not write it), for
//	                the daily limit
//
// # Zalo
//
//	zalo      "tokens" → ZaloTokens (access and refresh token, expiry, the
//	          env seed last taken): written whole in one commit, before the
//	          new access token is used (the refresh token is single use)
//
// # Caveats
//
//   - Open waits at most Options.Timeout for the file lock and then fails with
//     ErrLocked: another process has the database open.
//   - Byte slices read in a transaction are only valid inside it; records are
//     decoded before it ends.
//   - Batch may run its function twice: functions must only touch the Tx.
//   - Commits are shared (batch.go): a Batch call commits at once when no
//     commit runs, else with everyone who came during it. Expect tells the
//     committer that calls are about to come (the handlers of one batch of
//     updates), and a commit waits up to ExpectWait for them. Soon's work
//     (removing sent replies from the outbox) joins the next commit, or
//     commits on its own after SoonDelay.
//   - Scans of a whole bucket (eachRecord) call Tx.Trim every thousand
//     records and at their end, so what they read does not stay in the
//     process's resident memory.
//   - The file never shrinks by itself; deleted space is reused, and
//     deleted bytes stay in free pages until overwritten. Backups are
//     compacted copies (compact.go), and Open with Options.Compact
//     compacts the file in place when more than a quarter of it is free.
//   - ForgetUser (with forget.go) is the one place that knows every
//     bucket holding a user's data: a new bucket with user data adds its
//     clean-up there; Walk lets a test check that nothing is left.
//   - Index entries whose presence is the whole point hold 0x01, not an
//     empty value: bbolt's Get returns nil for both a missing key and an
//     empty value.
package store
