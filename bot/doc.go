// Package bot is the conversation engine of Trợ lý Khởi nghiệp and its
// Telegram adapter.
//
// # The path of an update
//
//  1. Telegram.Poll (telegram.go, the only file that imports tgbotapi) long-polls
//     getUpdates, decodes each update on its own (a bad one is logged and
//     skipped) and converts it with FromTelegram into a platform-neutral
//     Update.
//  2. The dispatcher (dispatch.go) hands each update to a shard worker: one
//     chat's updates in order, different chats at once, and a slow chat (a
//     model-written answer) never holds up the others. The offset sent with
//     the next getUpdates — which tells Telegram everything below it is
//     done — never passes the oldest unfinished update; Store.Acknowledge
//     records it.
//  3. Bot.Handle (engine.go), the single entry point also used by tests and
//     the demo, skips an update already handled, loads the user and the
//     chat's conversation State, and routes (router.go): commands, main-menu
//     labels (either language, diacritics optional), callback data
//     "flow:action:args", the current flow's step, and finally plain text.
//  4. The handler gathers effects (Ctx.Do), replies (Ctx.Reply) and state
//     changes. Bot.commit writes all of them — with the update's handled mark
//     and the replies as outbox entries — in one bbolt transaction.
//  5. Bot.deliver (deliver.go) sends the outbox entries and deletes them.
//     Long text is split at paragraphs; 429 waits retry_after; 5xx retries
//     with backoff and otherwise leaves the entry for Redeliver; 403 marks
//     the user inactive.
//
// Work that takes long (model-written answers, announcements, reminders) is
// not done inside an update: the update commits a record (a pending
// question, a job) and background workers started by Run finish it with
// Bot.Commit, which commits effects and replies together the same way.
//
// A crash before step 4 ends loses nothing (Telegram redelivers the update);
// a crash after it repeats nothing (the handled mark skips the redelivery)
// and the queued replies are sent at the next start.
//
// # Adding a feature
//
// A feature is a Module in its own file: commands, main-menu buttons,
// callback actions and Flows (tables of steps). Add one line to modules()
// in router.go. Messages go in locales/<area>.vi.toml and .en.toml.
//
// # Announcements, event notices and reminders
//
// Mass sending never goes through the outbox. An announcement confirmed in
// broadcast.go, an event change or cancellation (events.go) and a due
// reminder (reminders.go) each become a broadcast job in the store with its
// recipients fixed. The job runner (broadcaster.go, the broadcast module's
// Background; Bot.RunJobs in tests) reads recipients in chunks, paces sends
// with one global rate limiter (Features.BroadcastRate) and at most one
// message a second per chat, pauses every job on a 429, marks users who
// blocked the bot inactive, retries 5xx and network errors with backoff,
// and commits outcomes and the cursor every few recipients. A fixed pool of
// workers sends; nothing grows with the number of recipients.
//
// # Caveats
//
//   - Replies queued with Ctx.Reply after the first Ctx.Do, outside an op,
//     are dropped at commit: queue them before Do or inside the op.
//   - Callback data comes from the client: every action re-checks the user's
//     role and the record's state.
//   - Ctx.Do functions may run twice (bbolt Batch): they must touch only the
//     transaction and the context's replies.
//   - A reply in flight when the process dies, or sent in the second before
//     its removal from the outbox was committed, may be sent twice.
//   - The offset cannot pass an unfinished update and getUpdates returns at
//     most 100 updates from the offset, so one stuck update lets at most 100
//     later ones be fetched. Slow work therefore runs in the background.
package bot
