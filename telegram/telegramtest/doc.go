// Package telegramtest is a fake Telegram Bot API server for end-to-end
// tests, benchmarks and the local terminal demo.
//
// It is a real HTTP server on 127.0.0.1 speaking the Bot API's wire format:
// requests are POSTs to /bot<token>/<method> with form, multipart or JSON
// parameters, and answers are {"ok":true,"result":…} or
// {"ok":false,"error_code":…,"description":…,"parameters":{…}} with the HTTP
// status equal to error_code. Point the Telegram adapter at it with
//
//	s := telegramtest.NewServer() // or telegramtest.Start(t) in a test
//	defer s.Close()
//	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(s.Token(), s.Endpoint())
//
// The package does not import tgbotapi or testing; it can run inside the
// product's binary.
//
// # Playing the user
//
// SendText, Press, SendContact, SendPhoto, SendVoice, SendDocument, Block,
// Unblock and SendRaw queue updates for getUpdates and return their
// update_id. Users talk in private chats: the chat ID is the user's ID.
// Update IDs start at 1000001 and increase; message IDs are shared by all
// chats and by both sides, start at 1 and increase.
//
// getUpdates honours offset (updates with a lower ID are confirmed and
// dropped; a negative offset keeps only the last -offset updates), limit
// (1–100) and timeout (a long poll that returns when an update is queued, the
// timeout passes, the client goes away or the server closes). allowed_updates
// is ignored. As on Telegram, a getUpdates call ends a running long poll with
// 409 Conflict, so two pollers on one server fight as two bot instances do.
//
// # Watching the bot
//
// Every call is recorded (Calls, CallsTo) with its parameters, uploaded files
// and the status returned, failures included. Messages and LastMessage give
// the current state of what the bot sent to a chat: edits are applied in
// place and deletions marked. Transcript renders a chat's conversation for
// golden files:
//
//	> /start
//	< Xin chào <b>Lan</b>! [buttons: [Ý tưởng|idea:new] [Hỏi|ask:open] / [Hướng dẫn|url:https://…]]
//	< Hoặc dùng bàn phím: [keyboard: Gửi ý tưởng | Hỏi chính sách]
//	> [press idea:new]
//	< (answer) Đã chọn
//	< (edit #2) Tên ý tưởng? [buttons removed]
//	> [photo photo-1] Ảnh sản phẩm
//	< [document tom-tat.txt (22 bytes)] Bản tóm tắt
//	< (delete #9)
//	< (error sendMessage 403: Forbidden: bot was blocked by the user)
//
// "#n" is the n-th message of the chat counting both sides, which keeps
// transcripts stable when several chats run at once. Edit lines show the
// message's whole new state. Chat actions, and answers to callback queries
// without text, are not shown.
//
// WaitFor, WaitMessages and WaitUpdatesConsumed block until a condition holds,
// re-checking it after every call the server handles; Polling reports that
// the bot is parked in a long poll. Tests synchronise with these, never with
// sleeps.
//
// # Validation
//
// The server rejects, with Telegram's status and description, what Telegram
// rejects and is cheap to check:
//
//   - message text empty or blank, or longer than 4096 UTF-16 code units
//     after entity parsing; captions longer than 1024;
//   - parse_mode HTML with unknown tags (allowed: b, strong, i, em, u, ins, s,
//     strike, del, a, code, pre, tg-spoiler, span class="tg-spoiler",
//     blockquote), unbalanced or mismatched tags, or malformed attributes;
//     the length counts the text without tags and with entities decoded;
//   - inline buttons with callback_data empty or over 64 bytes, without any
//     action, or with empty text; malformed reply_markup JSON;
//   - edits and deletions of messages that do not exist, were deleted or are
//     the user's; edits that change nothing ("message is not modified");
//     editing the text of a media message or the caption of a text message;
//   - answerCallbackQuery for an unknown or already answered query;
//   - unknown chat actions, invalid bot command names;
//   - unknown methods (404 "Not Found") and an empty token (401).
//
// As on Telegram, an edit without reply_markup removes the inline keyboard.
//
// # Faults
//
// Inject makes calls fail (a 429 with retry_after, a 5xx, a proxy's HTML page
// with RawBody) or answer late (Delay), for a number of calls or until
// ClearFaults, optionally only for one chat. BlockChat (and Block) make sends
// to a chat fail with 403 "Forbidden: bot was blocked by the user";
// SetConflict makes getUpdates fail with 409.
//
// # Files
//
// Uploads (sendDocument, sendPhoto, sendVoice as multipart) get a new
// file_id; the call records the file name as Params["file:<field>"] and the
// bytes in Files. getFile knows uploaded files, files users sent and files
// given with PutFile, and their contents are served at
// URL()+"/file/bot<token>/<file_path>". tgbotapi's File.Link and
// GetFileDirectURL always point at api.telegram.org: replace that prefix
// with URL().
//
// # Speed
//
// One mutex guards the state; handlers do no sleeping and recording is an
// append. SetRecord(false) stops retaining calls, messages, transcripts and
// upload contents for long benchmarks, while SentCount and SentTo keep
// counting.
//
// # Caveats
//
//   - Markdown and MarkdownV2 are not parsed: their text is accepted as is
//     and counted with its markup.
//   - No rate limits are simulated; inject 429s explicitly.
//   - Any chat ID and any file_id are accepted for sending; a chat that never
//     wrote to the bot does not fail with "bot can't initiate conversation".
//   - The text returned for an HTML message is the plain text, without
//     entities; Message.Text keeps what the bot sent, tags included.
//   - Inline mode, payments, games, polls, media groups, stickers and group
//     administration are not implemented (404).
//   - While recording is off, edits and deletions of messages the server
//     did not retain are accepted unchecked.
//   - Update and message IDs restart with each server: a bot that stored an
//     offset from another server skips updates unless SetNextUpdateID moves
//     the IDs past it.
//   - A SendRaw update that is not valid JSON makes every getUpdates response
//     that includes it invalid until a higher offset confirms it.
package telegramtest
