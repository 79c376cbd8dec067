package zalo

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
)

// Webhook is the handler for POST /zalo/webhook. In order, with no effect
// until the last step: a body over MaxBody → 413; malformed JSON, trailing
// data or no app_id/timestamp → 400; a missing or wrong X-ZEvent-Signature
// → 401. An authenticated event is converted and committed to the inbox,
// and answered 200 only after the commit (503 when it fails, so Zalo
// retries). Events the bot does not act on are answered 200.
func (c *Channel) Webhook() http.Handler { return http.HandlerFunc(c.serveWebhook) }

func (c *Channel) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.webhookResult("too_large")
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		c.webhookResult("bad_request")
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	// One decode in the usual case; an event of a shape we do not know
	// falls back to reading just what the signature needs.
	var ev event
	full := decodeOne(body, &ev) == nil
	appID, ts := ev.AppID, ev.Timestamp
	if !full {
		var head struct {
			AppID     id `json:"app_id"`
			Timestamp id `json:"timestamp"`
		}
		if err := decodeOne(body, &head); err != nil {
			appID, ts = "", ""
		} else {
			appID, ts = head.AppID, head.Timestamp
		}
	}
	if appID == "" || ts == "" {
		c.webhookResult("bad_request")
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	if !c.verify(r.Header.Get("X-ZEvent-Signature"), body, string(appID), string(ts)) {
		c.webhookResult("bad_signature")
		if c.badSig.Allow() {
			// Forged, or the OA secret key (or the scheme's reading) is
			// wrong: then every event is refused, so it must be seen.
			c.log.Warn("zalo webhook refused: bad signature (check ZALO_OA_SECRET_KEY; at most one line a minute)", "app_id_matches", string(appID) == c.opt.AppID)
		}
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if c.stale(string(ts)) {
		// Signed, but older than the deduplication window (or dated far
		// ahead): a replay would take effect again. Answered 200 so Zalo
		// does not retry it.
		c.webhookResult("stale")
		w.WriteHeader(http.StatusOK)
		return
	}
	var up *bot.Update
	if full {
		up = c.convert(&ev)
	} else {
		// Signed by Zalo but not in the shape we know: retrying would not
		// help.
		c.log.Warn("zalo event not readable; ignored")
	}
	if up == nil {
		c.webhookResult("ignored")
		w.WriteHeader(http.StatusOK)
		return
	}
	if c.opt.Inbox == nil {
		c.webhookResult("no_inbox")
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	if err := c.opt.Inbox.Accept(r.Context(), []*bot.Update{up}); err != nil {
		c.log.Error("zalo event not committed; Zalo will retry", "event", ev.EventName, "err", err)
		c.webhookResult("not_committed")
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	c.webhookResult("accepted")
	w.WriteHeader(http.StatusOK)
}

// maxEventAge is the oldest event taken: within the inbox's
// deduplication window, so an event replayed later is refused rather than
// taken again.
const maxEventAge = 7 * 24 * time.Hour

// maxEventAhead is how far an event's timestamp may be ahead of our clock.
const maxEventAhead = 24 * time.Hour

// stale reports whether an event's timestamp (milliseconds since 1970) is
// outside the window taken; one that is not a number is not judged.
func (c *Channel) stale(ts string) bool {
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || ms <= 0 {
		return false
	}
	at, now := time.UnixMilli(ms), c.now()
	return at.Before(now.Add(-maxEventAge)) || at.After(now.Add(maxEventAhead))
}

func (c *Channel) webhookResult(result string) {
	c.metrics.hooks.WithLabelValues(result).Inc()
}

// decodeOne decodes exactly one JSON value: trailing data is an error.
func decodeOne(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the event")
	}
	return nil
}

// verify checks X-ZEvent-Signature: "mac=" + hex sha256(app_id + body +
// timestamp + OA secret key), compared in constant time. With
// SignatureVariants it also accepts the app secret as key and the OA ID as
// first term, and logs which reading matched.
func (c *Channel) verify(header string, body []byte, appID, ts string) bool {
	got, ok := strings.CutPrefix(strings.TrimSpace(header), "mac=")
	if !ok {
		return false
	}
	sig, err := hex.DecodeString(strings.ToLower(got))
	if err != nil || len(sig) != sha256.Size {
		return false
	}
	if macEqual(sig, appID, body, ts, c.opt.OASecretKey) {
		return true
	}
	if !c.opt.SignatureVariants {
		return false
	}
	variants := []struct{ name, first, key string }{
		{"app_id+app_secret", appID, c.opt.AppSecret},
		{"oa_id+oa_secret_key", c.opt.OAID, c.opt.OASecretKey},
		{"oa_id+app_secret", c.opt.OAID, c.opt.AppSecret},
	}
	for _, v := range variants {
		if v.first != "" && macEqual(sig, v.first, body, ts, v.key) {
			c.log.Warn("zalo webhook signed with a variant reading of the scheme", "variant", v.name)
			return true
		}
	}
	return false
}

func macEqual(sig []byte, first string, body []byte, ts, key string) bool {
	h := sha256.New()
	h.Write([]byte(first))
	h.Write(body)
	h.Write([]byte(ts))
	h.Write([]byte(key))
	return subtle.ConstantTimeCompare(sig, h.Sum(nil)) == 1
}

// id decodes a JSON string or number literal exactly as written: Zalo IDs
// exceed 2^53 and must never pass through float64.
type id string

func (s *id) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = id(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = id(n)
	return nil
}

type event struct {
	AppID     id     `json:"app_id"`
	EventName string `json:"event_name"`
	Timestamp id     `json:"timestamp"`
	Sender    struct {
		ID id `json:"id"`
	} `json:"sender"`
	Follower struct {
		ID id `json:"id"`
	} `json:"follower"`
	Message struct {
		MsgID       id           `json:"msg_id"`
		Text        string       `json:"text"`
		Attachments []attachment `json:"attachments"`
	} `json:"message"`
	Info struct {
		Name  string `json:"name"`
		Phone id     `json:"phone"`
	} `json:"info"`
}

type attachment struct {
	Type    string
	Payload attachmentPayload
}

type attachmentPayload struct {
	URL         string `json:"url"`
	Name        string `json:"name"`
	Size        id     `json:"size"`
	Coordinates struct {
		Latitude  id `json:"latitude"`
		Longitude id `json:"longitude"`
	} `json:"coordinates"`
}

// UnmarshalJSON reads what it can: a payload of an unknown shape (a
// sticker's, say) leaves Payload empty instead of failing the event.
func (a *attachment) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil
	}
	a.Type = raw.Type
	if json.Unmarshal(raw.Payload, &a.Payload) != nil {
		a.Payload = attachmentPayload{}
	}
	return nil
}

// Event names.
const (
	evText     = "user_send_text"
	evImage    = "user_send_image"
	evAudio    = "user_send_audio"
	evVoice    = "user_send_voice" // not seen in sources; read as audio
	evFile     = "user_send_file"
	evLocation = "user_send_location"
	evSticker  = "user_send_sticker"
	evGIF      = "user_send_gif"
	evLink     = "user_send_link"
	evFollow   = "follow"
	evUnfollow = "unfollow"
	evInfo     = "user_submit_info"
)

// convert maps an authenticated event to an update, or nil for events the
// bot does not act on (user_received_message, user_seen_message, unknown
// names, events without a user).
func (c *Channel) convert(ev *event) *bot.Update {
	user := string(ev.Sender.ID)
	if ev.EventName == evFollow || ev.EventName == evUnfollow {
		user = string(ev.Follower.ID)
	}
	if user == "" || !digits(user) {
		return nil
	}
	u := &bot.Update{Channel: Name, ChatRef: user, From: bot.Sender{Ref: user}, Kind: bot.KindMessage}
	if m := string(ev.Message.MsgID); m != "" {
		u.Key = "zalo:" + m
	} else {
		u.Key = "zalo:" + ev.EventName + ":" + user + ":" + string(ev.Timestamp)
	}
	text := clean(ev.Message.Text)
	att := func(typ string) (url, name string, size int, ok bool) {
		for _, a := range ev.Message.Attachments {
			if a.Type == typ || typ == "" {
				n, _ := strconv.Atoi(string(a.Payload.Size))
				return clean(a.Payload.URL), clean(a.Payload.Name), n, true
			}
		}
		return "", "", 0, false
	}
	switch ev.EventName {
	case evText, evLink:
		c.text(u, text)
	case evImage:
		u.Photo, _, _, _ = att("image")
		if u.Photo == "" {
			u.Photo, _, _, _ = att("")
		}
		u.Text = text
	case evAudio, evVoice:
		u.Voice, _, _, _ = att("")
		u.Text = text
	case evFile:
		url, name, size, ok := att("")
		if !ok {
			return nil
		}
		u.Document = &bot.FileRef{ID: url, Name: name, Size: size}
	case evLocation:
		for _, a := range ev.Message.Attachments {
			lat, err1 := strconv.ParseFloat(string(a.Payload.Coordinates.Latitude), 64)
			lon, err2 := strconv.ParseFloat(string(a.Payload.Coordinates.Longitude), 64)
			if err1 == nil && err2 == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
				u.Location = &bot.Location{Lat: lat, Lon: lon}
				break
			}
		}
		if u.Location == nil {
			u.Kind = bot.KindUnsupported
		}
	case evSticker, evGIF:
		u.Kind = bot.KindUnsupported
	case evFollow:
		u.Text, u.Command = "/start", "start"
	case evUnfollow:
		u.Kind = bot.KindBlocked
	case evInfo:
		phone := clean(strings.TrimSpace(string(ev.Info.Phone)))
		if phone == "" {
			return nil
		}
		u.Contact = &bot.Contact{Phone: phone}
		u.From.FirstName = clip(clean(ev.Info.Name), 64)
	default:
		if ev.EventName != "user_received_message" && ev.EventName != "user_seen_message" {
			c.log.Info("zalo event not handled", "event", clip(ev.EventName, 40))
		}
		return nil
	}
	return u
}

// text fills a text message: a button payload (CallbackPrefix) becomes a
// callback, "/cmd args" a command.
func (c *Channel) text(u *bot.Update, text string) {
	if data, ok := strings.CutPrefix(text, CallbackPrefix); ok {
		u.Kind, u.Data = bot.KindCallback, data
		return
	}
	u.Text = text
	if cmd, args, ok := command(text); ok {
		u.Command, u.Args = cmd, args
	}
}

// command splits "/name args" as Telegram does: a name of letters, digits
// and underscores (at most 32), lower-cased, an "@bot" suffix dropped.
func command(text string) (name, args string, ok bool) {
	rest, found := strings.CutPrefix(text, "/")
	if !found {
		return "", "", false
	}
	head, args, _ := strings.Cut(rest, " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		args = strings.TrimSpace(head[i:] + " " + args)
		head = head[:i]
	}
	head, _, _ = strings.Cut(head, "@")
	if head == "" || len(head) > 32 {
		return "", "", false
	}
	for i := 0; i < len(head); i++ {
		ch := head[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_') {
			return "", "", false
		}
	}
	return strings.ToLower(head), strings.TrimSpace(args), true
}

func digits(s string) bool {
	if len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clean makes text from the network valid UTF-8.
func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
