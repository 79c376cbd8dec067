// Package zalo is the Zalo Official Account (OA) channel: a signed webhook
// receiver, a sender for customer-service messages, and a keeper of the
// OAuth token pair. It implements bot.Channel; bot never imports it.
//
// # Receiving
//
// Webhook serves POST /zalo/webhook. Nothing takes effect before the last
// step:
//
//  1. a body over 1 MiB → 413;
//  2. not exactly one JSON object, or no app_id / timestamp → 400;
//  3. X-ZEvent-Signature must be "mac=" + hex sha256(app_id + raw body +
//     timestamp + OA secret key), app_id and timestamp as written in the
//     body, compared in constant time; missing or wrong → 401 (logged at
//     most once a minute: a wrong OA secret key refuses every event);
//  4. a signed event dated more than 7 days back (within the inbox's
//     8-day deduplication window, so a replay is refused rather than taken
//     again) or a day ahead → 200, not taken;
//  5. the event becomes one *bot.Update handed to Options.Inbox.Accept;
//     the answer is 200 only after Accept returns nil, else 503 so that
//     Zalo delivers again. Events the bot does not act on (seen/received
//     receipts, unknown names, signed bodies of an unknown shape) → 200.
//
// Updates carry Channel "zalo", ChatRef = From.Ref = the user's OA-scoped
// ID (sender.id; follower.id for follow/unfollow) exactly as written — IDs
// exceed 2^53 and are never read as float64 — and Key "zalo:"+msg_id, or
// "zalo:"+event+":"+user+":"+timestamp for events without one, so a
// redelivered or reordered event has the key it had the first time.
//
//	user_send_text      KindMessage Text; "/cmd args" → Command, Args;
//	                    CallbackPrefix+data → KindCallback Data
//	user_send_image     Photo = image URL, Text = caption
//	user_send_audio     Voice = URL (user_send_voice is read the same way)
//	user_send_file      Document{ID: URL, Name, Size}
//	user_send_location  Location
//	user_send_sticker, user_send_gif → KindUnsupported
//	follow              KindMessage Command "start"
//	unfollow            KindBlocked
//	user_submit_info    KindMessage Contact{Phone}, From.FirstName = name
//
// Download (bot.Downloader) fetches the file behind such a URL, within a
// size limit; only http(s) URLs from events are fetched.
//
// Button data is untrusted, as Telegram callback data is: anyone can type
// "#cb!staff:approve:1". Every action re-checks who may do it.
//
// # Sending
//
// Send posts to {APIURL}/v3.0/oa/message/cs with the access_token header
// and reads "error" in every answer (Zalo reports failures with HTTP 200).
// Buttons (one a row, at most five, titles cut at 100 characters) map as
//
//	Data            oa.query.hide, payload CallbackPrefix + Data
//	Typed           oa.query.show, payload = the title
//	URL             oa.open.url
//	RequestContact  a separate request_user_info card (title = the
//	                button's text); user_submit_info comes back
//
// A photo given as an http(s) URL is sent as an image template; another
// platform's file ID cannot travel, so the text goes alone. A document is
// uploaded to /v2.0/oa/upload/file and sent as a file, then the text; if
// the upload fails, the text goes alone. Text is cut at 2,000 code points;
// a message with buttons always has text. Every call to the OA API
// (messages and uploads, for replies, announcements and notices alike)
// waits on one rate limiter, RatePerMinute (default 3,600, below Zalo's
// 4,000).
//
// Errors are *bot.SendError:
//
//	-216, -220        refresh the token once, retry once; then temporary
//	-32               wait 1 s, doubling to 60 s, at most 5 tries;
//	                  then Code 429 with RetryAfter
//	-230, -232        OutsideWindow (the user has not written in 7 days)
//	-213, -227        Blocked (unfollowed; banned or inactive)
//	-211, -223        ChannelDown (the OA's quota is spent, or it is not
//	                  authorised: nobody can be sent to for now)
//	HTTP 5xx          Code = the status (temporary)
//	transport         Code 0 (temporary)
//	anything else     Code = Zalo's code (permanent)
//
// # Tokens
//
// The access token lives about 25 h; the refresh token is single use. The
// keeper (Run) refreshes once 80 % of the access token's lifetime has
// passed, or at once when Zalo rejects it (-216/-220). One refresh runs at
// a time and concurrent callers wait for it; it runs detached from the
// caller's context, so a caller giving up cannot lose the answer. The new
// pair is committed with SaveZaloTokens before its access token is used,
// and while a refresh is under way no send starts with the old token. If
// the commit fails, the pair is kept in memory and committed by the next
// attempt, never used before. A failed refresh backs off from 1 s doubling
// to 5 min, turns Healthy into an error and calls OnAuthFailure once per
// failing spell (before the waiting senders resume; it must not block long
// or send on Zalo synchronously) when the failure needs the admins: Zalo
// refused the refresh, no access token is usable, the current one ends
// within the hour, or refreshes have failed for 30 min. The first refresh
// that succeeds after such a notice calls OnAuthRecovered. A stop waits for a
// refresh under way, so a pair Zalo has just rotated is saved before the
// store closes.
//
// ZALO_REFRESH_TOKEN (Options.SeedRefreshToken) is taken when it differs
// from the Seed stored with the pair: an operator replacing a dead token
// wins. Authorize (the zalo-auth command) does the first consent with PKCE
// S256 and stores the pair with Seed set to the current environment value.
//
// If the process dies between Zalo's refresh answer and the commit, the
// pair is lost: the next start's refresh is rejected, OnAuthFailure tells
// the admins, and zalo-auth recovers.
//
// Metrics (with Options.Registerer): zalo_api_calls_total{endpoint,result}
// (endpoints message, upload/file, oauth), zalo_webhook_events_total{result},
// zalo_token_ok and zalo_token_expiry_timestamp_seconds. No token, key or user ID reaches
// logs, metrics or errors.
//
// # Caveats
//
// Zalo's own pages could not be read; these readings come from public SDKs
// and notes and are UNCONFIRMED:
//
//   - Signature: whether the key is the OA secret key or the app secret,
//     and whether the first term is the app ID or the OA ID, differs
//     between sources. The OA secret key with the app ID is checked;
//     Options.SignatureVariants (with Options.OAID) also accepts the other
//     three combinations and logs, at warning level, which one matched.
//   - Button taps are assumed to arrive as user_send_text whose text is
//     the payload. CallbackPrefix marks hidden payloads; Typed buttons send
//     their title, which works either way. Unknown event names are logged
//     by name (never their content) so a different shape shows up.
//   - Voice notes are assumed to arrive as user_send_audio;
//     user_send_voice is read the same way in case.
//   - The button template is sent without template_type; the image
//     template is template_type "media" with text alongside; the phone
//     request is template_type "request_user_info" with one element
//     (title, subtitle, image_url: Options.InfoImageURL, optional).
//   - Upload limits (1 MB images, 5 MB files): Options.MaxUpload (default
//     5 MB) sends larger documents as their text only.
//   - IDs, timestamps, sizes and coordinates are read from strings or
//     number literals alike; expires_in from a string or a number, and a
//     missing one is taken as 25 h (logged).
//   - -232 is read as "outside the window" like -230, -227 as blocked.
//   - Zalo's retry schedule (30 s … 1 h) is not relied on: an event whose
//     commit failed is answered 503 and must be redelivered by Zalo.
package zalo
