// Package zalotest is a fake Zalo OA Open API and OAuth server for
// end-to-end tests, benchmarks and the local terminal demo, able to play
// Zalo users by sending signed webhook events to the bot.
//
// It is a real HTTP server on 127.0.0.1 speaking Zalo's wire format: JSON
// answers {"error":0,"message":"Success","data":{…}}, and failures with
// HTTP 200 and a negative "error". Point the channel at it with
//
//	s := zalotest.NewServer() // or zalotest.Start(t) in a test
//	defer s.Close()
//	access, refresh := s.IssueTokens()
//	// zalo.Options{APIURL: s.URL(), OAuthURL: s.URL(), AppID: s.AppID(),
//	//   AppSecret: s.AppSecret(), OASecretKey: s.OAKey(), …}
//	s.SetWebhook(botURL + "/zalo/webhook")
//
// The package does not import testing or the bot; it can run inside the
// product's binary.
//
// # Playing the user
//
// NewUser hands out user IDs above 2^53 (FirstUser, then counting up).
// SendText, Press (a query button: user_send_text whose text is the
// payload), SendImage, SendAudio, SendFile, SendLocation, SendSticker,
// SendGIF, Follow, Unfollow, SubmitInfo and SendEvent build an event with
// a fresh msg_id and a strictly increasing timestamp (epoch ms, as a
// string), sign it, POST it to the webhook and return the HTTP status.
// Every one but Unfollow records an interaction for the 7-day window.
//
// SetSigning chooses how later events are signed: SignOAKey (default:
// sha256 of app_id + body + timestamp + OA secret key), SignAppSecret and
// SignOAID (the other readings of Zalo's scheme), SignWrongKey,
// SignForged, SignNone. Deliveries lists every POST; Replay(i) sends one
// again byte for byte with its signature, as Zalo's retries do; PostRaw
// sends any body with any signature; Mac and Sign compute signatures.
//
// # The OA API
//
// POST /v3.0/oa/message/cs checks, in order: injected faults; the
// access_token header (unknown → -216, expired → -220); the body
// (recipient.user_id a number string, message with text ≤ 2,000 code
// points or an attachment; button templates need text and 1–5 buttons
// with titles of 1–100 characters, types oa.query.show/hide (string
// payload ≤ 1,000), oa.open.url ({url}), oa.open.phone, oa.open.sms;
// media templates one image by url or attachment_id; request_user_info one
// element with a title ≤ 100 and subtitle ≤ 500; file attachments a token
// from an upload) → -201; then the user: banned (Ban) → -227, unfollowed →
// -213, no interaction in the last 7 days (Window) → -230.
//
// POST /v2.0/oa/upload/file and /v2.0/oa/upload/image take a multipart
// "file" (≤ 5 MB, ≤ 1 MB) and return a token or attachment_id.
//
// # OAuth
//
// POST /v4/oa/access_token (form, header secret_key = the app secret)
// answers grant_type=refresh_token with a new pair: the refresh token is
// single use, and the access token issued with it stops working (-216).
// grant_type=authorization_code needs a code from GET /v4/oa/permission
// (which redirects to redirect_uri with code, state and oa_id) or
// GrantCode, unused, under 10 minutes old, whose S256 challenge matches
// code_verifier. Errors come with HTTP 200: {"error","error_name",
// "error_description"}. expires_in is a string. IssueTokens,
// SetAccessTTL, ExpireAccess, RevokeAccess, RevokeRefresh, ValidAccess and
// ValidRefresh drive and inspect tokens; SetClock moves time.
//
// # Watching the bot
//
// Calls (and CallsTo an endpoint) records every request with its token
// header, raw body, recipient, Zalo error code and HTTP status. Messages
// and LastMessage give what each user received; SentCount and SentTo count
// even with recording off (SetRecord). Transcript renders a user's
// conversation for golden files:
//
//	> [follow]
//	< Xin chào! [buttons: [Gửi ý tưởng|hide:#cb!idea:new] [Hỏi|show:Hỏi]]
//	> [press #cb!idea:new]
//	> [image https://zalo.example/p.jpg] Ảnh sản phẩm
//	< [image https://example.org/a.jpg] Ảnh ý tưởng
//	< [file tom-tat.txt (22 bytes)]
//	< [request info: Chia sẻ số điện thoại — Để cán bộ liên hệ]
//	< (error -230: User has not interacted with the OA in the last 7 days)
//	! webhook 503
//
// WaitFor, WaitMessages and WaitCalls block until a condition holds,
// re-checking after every call and delivery. Tests synchronise with them,
// never with sleeps.
//
// # Faults
//
// Inject makes calls to an endpoint ("message", "upload/file",
// "upload/image", "oauth" or "*") fail with a Zalo error code (-32, -216,
// -220, -230, -213…) or an HTTP status (5xx, with an HTML body), or wait
// (Delay), for Times calls or until ClearFaults, optionally for one user.
//
// # Caveats
//
//   - The wire format follows public SDKs and notes, not Zalo's own pages
//     (see package zalo's caveats); error texts are approximations.
//   - No rate limit is simulated: inject -32.
//   - Articles, ZNS templates, broadcasts to followers, and the 48-hour
//     free / 7-day paid distinction are not modelled: inside 7 days every
//     message is accepted.
//   - Calls record OAuth bodies, refresh tokens included: a fake's
//     records, never a real secret.
package zalotest
