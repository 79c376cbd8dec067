// Package bot is the conversation engine of Trợ lý Khởi nghiệp: the
// durable inbox, the flows and the outbox, the same for every channel. It
// imports no platform library and no channel package; channels implement
// Channel (channel.go).
//
// # The path of an update
//
//  1. A channel (package telegram, package zalo: the only code that knows a
//     platform) receives raw input — a getUpdates batch, a signed webhook —
//     and converts it into platform-neutral Updates carrying the channel's
//     name, the platform's IDs as written (Zalo IDs exceed 2^53) and a
//     deduplication Key.
//  2. Bot.Accept (inbox.go) receives them durably: a Key seen before is
//     skipped (a redelivery), and each update gets the bot's IDs
//     (store.ResolveUser: a Telegram user keeps their Telegram ID; other
//     channels' users get one assigned). A message or button press from a
//     known user whose chat has nothing waiting, while a worker is free,
//     takes the fast path: it goes straight to a worker, and its Key
//     commits with its effects and replies (step 5), one commit in all.
//     The rest are committed to the inbox in one transaction, and so is
//     a fast update whose handler failed or did not start within
//     fastWait. Accept returns only when every update is received one way
//     or the other; only then does the channel tell the platform it has
//     them (the next getUpdates offset, the webhook's 200).
//  3. The scheduler (inbox.go) takes work from the inbox: one chat's
//     updates in order, different chats at once on a fixed pool of
//     workers; a slow chat never holds up the others or the fetching.
//  4. Bot.Handle (engine.go), the single entry point also used by tests,
//     loads the user and the chat's conversation State, and routes
//     (router.go): commands (on Zalo typed, with or without "/"),
//     main-menu labels (either language, diacritics optional), callback
//     data "flow:action:args", the current flow's step, and finally plain
//     text. Group chats get one polite line (group.go); flooding users'
//     updates cost no commit of their own.
//  5. The handler gathers effects (Ctx.Do), replies (Ctx.Reply) and state
//     changes. Bot.commit writes all of them — with the update's removal
//     from the inbox and the replies as outbox entries addressed to a
//     channel and platform chat — in one bbolt transaction.
//  6. Bot.deliver (deliver.go) renders each reply for its channel (Render,
//     render.go: split at the channel's length, at most its buttons per
//     message, edits as new messages where it cannot edit, plain text
//     where it has no HTML) and sends it; the next commit, within
//     store.SoonDelay of the send, removes it from the outbox. 429 waits retry_after (never past
//     shutdown); 5xx retries with backoff and otherwise leaves the entry
//     for Redeliver; 403 marks the user inactive; a channel's "outside the
//     window" is neither. A reply left for Redeliver after some of its
//     messages (or, on Zalo, some parts of one) went out records how far
//     it got in its entry, and is sent on from there.
//
// Work that takes long (model-written answers, announcements, reminders) is
// not done inside an update: the update commits a record (a pending
// question, a job) and background workers started by Run finish it with
// Bot.Commit, which commits effects and replies together the same way.
//
// A crash before step 2 ends loses nothing the platform considers
// delivered (it sends it again); a crash after it loses nothing (the inbox
// is read again at start, and a fast update's effects are committed with
// its Key); a crash after step 5 repeats nothing (the item left the inbox,
// or its Key was taken, with the effects), and only replies sent in the
// last store.SoonDelay before the crash can be sent twice.
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
// and counts users outside their channel's window (reach.go) apart. Each
// worker slot commits the recipient it is about to send to and then its
// outcome (slots share commits), so a crash repeats only the sends in
// flight, which the report counts as repeated. A pool of slots sized to
// the rate sends; nothing grows with the number of recipients.
//
// # Rights, privacy and caps
//
// A role is what the store says: ADMIN_IDS is reconciled with the stored
// roles when the bot starts (roles.go), and every role change is audited.
// Typed phone numbers are hidden (package pii) wherever text reaches
// someone other than its writer; /deletemydata forgets the user in every
// bucket (store.ForgetUser). Daily caps and the model-answer quota are
// counted in the commit that does what they count (caps.go, ask.go).
//
// # Caveats
//
//   - Replies queued with Ctx.Reply after the first Ctx.Do, outside an op,
//     are dropped at commit: queue them before Do or inside the op.
//   - Callback data comes from the client: every action re-checks the user's
//     role and the record's state.
//   - Ctx.Do functions may run twice (bbolt Batch): they must touch only the
//     transaction and the context's replies.
//   - A reply in flight when the process dies, or sent just before its
//     removal from the outbox was committed, may be sent twice.
//   - An update whose handling keeps failing on the store is left in the
//     inbox and tried again at the next start; the chat's later updates go
//     on.
//   - At most 4,096 inbox items are held in memory; the rest wait in the
//     store and are read as room frees up.
package bot
