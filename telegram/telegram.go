package telegram

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/qnstartup/trolykhoinghiep/bot"
)

// Name is the channel's name in user references.
const Name = "telegram"

// Options configure the channel.
type Options struct {
	Token    string
	Endpoint string // tgbotapi endpoint format, "BASE/bot%s/%s"; "" for the official API
	Log      *slog.Logger
	// Calls counts Bot API calls by method and result (nil: not counted).
	Calls *prometheus.CounterVec
	// PollTimeout is the long-poll wait (default 30s).
	PollTimeout time.Duration
	// StallLimit ends Poll with ErrStalled when getUpdates has not
	// succeeded for this long (default 10 minutes), so the process exits
	// and the supervisor restarts it.
	StallLimit time.Duration
}

// ErrStalled is returned by Poll when polling has failed for too long.
var ErrStalled = errors.New("polling stalled")

// Channel talks to the Telegram Bot API.
type Channel struct {
	api      *tgbotapi.BotAPI
	opt      Options
	log      *slog.Logger
	calls    *prometheus.CounterVec
	lastPoll atomic.Int64 // unix nanoseconds of the last successful getUpdates
	ctx      atomic.Pointer[context.Context]
	quiet    *quietLog
}

// ctxTransport cancels a waiting long poll when the adapter's context ends
// (tgbotapi takes no context of its own). Other calls are left to finish
// within the client's timeout, so a reply being sent at shutdown is not cut
// off after Telegram has taken it. It keeps enough idle connections
// for every shard sending at once (the default keeps 2 per host, so busy
// chats would open a new connection per message).
type ctxTransport struct {
	t    *Channel
	base *http.Transport
}

func newCtxTransport(t *Channel) ctxTransport {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConns = 256
	base.MaxIdleConnsPerHost = 128
	return ctxTransport{t: t, base: base}
}

func (c ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if p := c.t.ctx.Load(); p != nil && strings.HasSuffix(r.URL.Path, "/getUpdates") {
		r = r.WithContext(*p)
	}
	return c.base.RoundTrip(r)
}

// New connects to the Bot API (it calls getMe).
func New(ctx context.Context, opt Options) (*Channel, error) {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.PollTimeout == 0 {
		opt.PollTimeout = 30 * time.Second
	}
	if opt.StallLimit == 0 {
		opt.StallLimit = 10 * time.Minute
	}
	if opt.Endpoint == "" {
		opt.Endpoint = tgbotapi.APIEndpoint
	}
	t := &Channel{opt: opt, log: opt.Log, calls: opt.Calls, quiet: newQuietLog(opt.Log, time.Minute)}
	t.ctx.Store(&ctx)
	client := &http.Client{Timeout: opt.PollTimeout + 15*time.Second, Transport: newCtxTransport(t)}
	api, err := tgbotapi.NewBotAPIWithClient(opt.Token, opt.Endpoint, client)
	if err != nil {
		return nil, fmt.Errorf("connect to Telegram: %w", t.redact(err))
	}
	t.api = api
	t.lastPoll.Store(time.Now().UnixNano())
	return t, nil
}

// Username is the bot's username.
func (t *Channel) Username() string { return t.api.Self.UserName }

// redact removes the bot token from an error (it appears in request URLs).
func (t *Channel) redact(err error) error {
	if err == nil || t.opt.Token == "" || !strings.Contains(err.Error(), t.opt.Token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), t.opt.Token, "<token>"))
}

func (t *Channel) count(method string, err error) {
	result := "ok"
	if err != nil {
		var te *tgbotapi.Error
		if errors.As(err, &te) {
			result = strconv.Itoa(te.Code)
		} else {
			result = "transport"
		}
	}
	if t.calls != nil {
		t.calls.WithLabelValues(method, result).Inc()
	}
}

// toSendError translates a tgbotapi failure.
func (t *Channel) toSendError(err error) error {
	if err == nil {
		return nil
	}
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		se := &bot.SendError{Code: te.Code, Desc: te.Message}
		if te.RetryAfter > 0 {
			se.RetryAfter = time.Duration(te.RetryAfter) * time.Second
		}
		if te.Code == 403 || (te.Code == 400 && strings.Contains(te.Message, "chat not found")) {
			se.Blocked = true
		}
		return se
	}
	return &bot.SendError{Code: 0, Desc: t.redact(err).Error()}
}

func (t *Channel) request(method string, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	resp, err := t.api.Request(c)
	t.count(method, err)
	return resp, err
}

// send makes a call that returns the message sent, and reads only its ID
// (the whole message is not needed).
func (t *Channel) send(method string, c tgbotapi.Chattable) (int, error) {
	resp, err := t.request(method, c)
	if err != nil {
		return 0, err
	}
	var m struct {
		ID int `json:"message_id"`
	}
	if err := json.Unmarshal(resp.Result, &m); err != nil {
		return 0, fmt.Errorf("%s: read the message sent: %w", method, err)
	}
	return m.ID, nil
}

// Name is the channel's name.
func (t *Channel) Name() string { return Name }

// Caps is what Telegram shows: long HTML messages (counted in UTF-16
// units), inline and reply keyboards, edits and toasts.
func (t *Channel) Caps() bot.Caps {
	return bot.Caps{
		MaxText: 4096, MaxCaption: 1024, MaxPayload: bot.MaxCallbackData, // no limit on button titles
		CountUTF16: true, Edit: true, ReplyKeyboard: true, Toasts: true, HTML: true,
	}
}

func chatID(to string) (int64, error) {
	id, err := strconv.ParseInt(to, 10, 64)
	if err != nil {
		return 0, &bot.SendError{Code: 400, Desc: "not a Telegram chat ID"}
	}
	return id, nil
}

// media is a file the bot sends again: a file_id Telegram knows, or a URL
// (media another channel received) Telegram fetches itself.
func media(ref string) tgbotapi.RequestFileData {
	if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
		return tgbotapi.FileURL(ref)
	}
	return tgbotapi.FileID(ref)
}

// Send delivers a reply to a chat.
func (t *Channel) Send(_ context.Context, to string, r bot.Reply) (int, error) {
	chat, err := chatID(to)
	if err != nil {
		return 0, err
	}
	var markup any
	switch {
	case len(r.Buttons) > 0:
		markup = inlineMarkup(r.Buttons)
	case r.Keyboard != nil && r.Keyboard.Remove:
		markup = tgbotapi.NewRemoveKeyboard(false)
	case r.Keyboard != nil:
		markup = replyMarkup(r.Keyboard)
	}
	const maxCaption = 1024
	caption := r.Text
	hasMedia := r.Document != nil || r.Photo != "" || r.Voice != ""
	// A caption too long goes as its own message after the media: two
	// parts, and a retry (Reply.SkipParts 1) sends only the text.
	apart := hasMedia && r.Edit == 0 && bot.UTF16Len(caption) > maxCaption
	if apart {
		caption = ""
		if r.SkipParts >= 1 { // the media went out
			return t.sendApart(to, r.Text)
		}
	}
	var id int
	switch {
	case r.Edit != 0:
		cfg := tgbotapi.NewEditMessageText(chat, r.Edit, r.Text)
		cfg.ParseMode = tgbotapi.ModeHTML
		cfg.DisableWebPagePreview = true
		if ik, ok := markup.(tgbotapi.InlineKeyboardMarkup); ok {
			cfg.ReplyMarkup = &ik
		}
		_, err = t.request("editMessageText", cfg)
		if err != nil && strings.Contains(err.Error(), "message is not modified") {
			err = nil
		}
		return r.Edit, t.toSendError(err)
	case r.Document != nil:
		cfg := tgbotapi.NewDocument(chat, tgbotapi.FileBytes{Name: r.Document.Name, Bytes: r.Document.Data})
		cfg.Caption, cfg.ParseMode, cfg.ReplyMarkup = caption, tgbotapi.ModeHTML, markup
		id, err = t.send("sendDocument", cfg)
	case r.Photo != "":
		cfg := tgbotapi.NewPhoto(chat, media(r.Photo))
		cfg.Caption, cfg.ParseMode, cfg.ReplyMarkup = caption, tgbotapi.ModeHTML, markup
		id, err = t.send("sendPhoto", cfg)
	case r.Voice != "":
		cfg := tgbotapi.NewVoice(chat, media(r.Voice))
		cfg.Caption, cfg.ParseMode, cfg.ReplyMarkup = caption, tgbotapi.ModeHTML, markup
		id, err = t.send("sendVoice", cfg)
	default:
		cfg := tgbotapi.NewMessage(chat, r.Text)
		cfg.ParseMode = tgbotapi.ModeHTML
		cfg.DisableWebPagePreview = true
		cfg.DisableNotification = r.Silent
		cfg.ReplyMarkup = markup
		id, err = t.send("sendMessage", cfg)
	}
	if err != nil {
		return 0, t.toSendError(err)
	}
	if apart {
		return t.sendApart(to, r.Text)
	}
	return id, nil
}

// sendApart sends the text of a media message whose caption was too long,
// the second of its two parts: a failure says the first went out.
func (t *Channel) sendApart(to, text string) (int, error) {
	id, err := t.Send(context.Background(), to, bot.Reply{Text: text})
	if err != nil {
		return 0, bot.WithParts(err, 1)
	}
	return id, nil
}

func inlineMarkup(rows [][]bot.Button) tgbotapi.InlineKeyboardMarkup {
	out := make([][]tgbotapi.InlineKeyboardButton, 0, len(rows))
	for _, row := range rows {
		var r []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			if b.URL != "" {
				r = append(r, tgbotapi.NewInlineKeyboardButtonURL(b.Text, b.URL))
			} else {
				r = append(r, tgbotapi.NewInlineKeyboardButtonData(b.Text, b.Data))
			}
		}
		out = append(out, r)
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: out}
}

func replyMarkup(k *bot.Keyboard) tgbotapi.ReplyKeyboardMarkup {
	var rows [][]tgbotapi.KeyboardButton
	for _, row := range k.Rows {
		var r []tgbotapi.KeyboardButton
		for _, b := range row {
			if b.RequestContact {
				r = append(r, tgbotapi.NewKeyboardButtonContact(b.Text))
			} else {
				r = append(r, tgbotapi.NewKeyboardButton(b.Text))
			}
		}
		rows = append(rows, r)
	}
	m := tgbotapi.NewReplyKeyboard(rows...)
	m.OneTimeKeyboard = k.Once
	return m
}

// Download fetches a file a user sent, refusing files over max bytes.
func (t *Channel) Download(_ context.Context, fileID string, max int64) ([]byte, error) {
	f, err := t.api.GetFile(tgbotapi.FileConfig{FileID: fileID})
	t.count("getFile", err)
	if err != nil {
		return nil, t.toSendError(err)
	}
	if int64(f.FileSize) > max {
		return nil, fmt.Errorf("file of %d bytes is over %d", f.FileSize, max)
	}
	// Files are served beside the API: BASE/file/bot<token>/<path>.
	base := strings.TrimSuffix(t.opt.Endpoint, "/bot%s/%s")
	req, err := http.NewRequest(http.MethodGet, base+"/file/bot"+t.opt.Token+"/"+f.FilePath, nil)
	if err != nil {
		return nil, fmt.Errorf("download: %w", t.redact(err))
	}
	resp, err := t.api.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download: %w", t.redact(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("download: %w", t.redact(err))
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("file is over %d bytes", max)
	}
	return data, nil
}

// AnswerCallback answers a pressed button.
func (t *Channel) AnswerCallback(_ context.Context, id, text string) error {
	_, err := t.request("answerCallbackQuery", tgbotapi.NewCallback(id, text))
	return t.toSendError(err)
}

// Typing shows the "typing…" action.
func (t *Channel) Typing(_ context.Context, to string) error {
	chat, err := chatID(to)
	if err != nil {
		return err
	}
	_, err = t.request("sendChatAction", tgbotapi.NewChatAction(chat, tgbotapi.ChatTyping))
	return t.toSendError(err)
}

// SetCommands installs a command menu: to "" for everyone, else one chat.
func (t *Channel) SetCommands(_ context.Context, cmds []bot.CommandInfo, lang, to string) error {
	list := make([]tgbotapi.BotCommand, len(cmds))
	for i, c := range cmds {
		list[i] = tgbotapi.BotCommand{Command: c.Name, Description: c.Description}
	}
	scope := tgbotapi.NewBotCommandScopeDefault()
	if to != "" {
		chat, err := chatID(to)
		if err != nil {
			return err
		}
		scope = tgbotapi.NewBotCommandScopeChat(chat)
		lang = "" // a chat's menu applies whatever the client's language
	}
	_, err := t.request("setMyCommands", tgbotapi.NewSetMyCommandsWithScopeAndLanguage(scope, lang, list...))
	return t.toSendError(err)
}

// Healthy reports whether getUpdates succeeded within maxAge.
func (t *Channel) Healthy(maxAge time.Duration) bool {
	return time.Since(time.Unix(0, t.lastPoll.Load())) <= maxAge
}

// Inbox is where the poll loop commits what it fetched.
type Inbox interface {
	Accept(ctx context.Context, ups []*bot.Update) error
}

// minIdlePoll is the pause after a getUpdates call that brought nothing
// to handle and came back sooner than that: a server answering at once
// (ignoring the long-poll timeout) or with garbage is asked less than
// twice a second.
const minIdlePoll = 500 * time.Millisecond

// Poll runs the long-polling loop until ctx ends. Each batch is committed
// to the inbox before the next getUpdates confirms it to Telegram, so
// nothing acknowledged is lost and a slow chat never holds up fetching.
//
// The offset sent is one past the newest update of the last batch; after a
// poll that brought nothing it is left out, so Telegram returns whatever is
// unconfirmed whatever its ID: update IDs that restart lower (after a week
// without updates, or a fake server's restart) are still received. An
// update fetched twice (committed, then the process died before the next
// getUpdates confirmed it) has the same inbox key and is taken once.
//
// Network errors and 5xx back off; 429 waits retry_after; 409 (another
// instance polling) is logged and retried.
func (t *Channel) Poll(ctx context.Context, inbox Inbox) error {
	t.ctx.Store(&ctx)
	if _, err := t.request("deleteWebhook", tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.log.Warn("delete webhook", "err", t.redact(err))
	}
	var offset, lastNext int64
	failures := 0
	for {
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(time.Unix(0, t.lastPoll.Load())) > t.opt.StallLimit {
			return ErrStalled
		}
		started := time.Now()
		params := tgbotapi.Params{}
		params.AddNonZero64("offset", offset)
		params.AddNonZero("limit", 100)
		params.AddNonZero("timeout", int(t.opt.PollTimeout/time.Second))
		params.AddInterface("allowed_updates", []string{"message", "callback_query", "my_chat_member"})
		resp, err := t.api.MakeRequest("getUpdates", params)
		t.count("getUpdates", err)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			failures++
			wait := bot.Backoff(failures - 1)
			var te *tgbotapi.Error
			switch {
			case errors.As(err, &te) && te.Code == 409:
				t.quiet.Error("conflict", "another instance is polling with this token (409 Conflict); stop it or use another token", "retry_in", wait)
			case errors.As(err, &te) && te.Code == 429:
				wait = max(wait, time.Duration(te.RetryAfter)*time.Second) // a 429 without retry_after backs off too
				t.quiet.Warn("rate_limited", "getUpdates rate limited", "retry_after", wait)
			default:
				t.quiet.Warn("poll_failed", "getUpdates failed", "err", t.redact(err), "retry_in", wait)
			}
			if !sleep(ctx, wait) {
				return nil
			}
			continue
		}
		failures = 0
		t.lastPoll.Store(time.Now().UnixNano())
		ups, next, seen := t.decode(resp.Result)
		if len(ups) > 0 {
			if !t.accept(ctx, inbox, ups) {
				return nil // stopping: not confirmed, fetched again next time
			}
		}
		// A batch is useful when it brings updates past the last batch's:
		// a server repeating the same updates (ignoring the offset) is
		// throttled like an empty one.
		useful := len(ups) > 0 && next != lastNext
		switch {
		case seen:
			offset = next
		default:
			offset = 0
		}
		if len(ups) > 0 {
			lastNext = next
		}
		if !useful && time.Since(started) < minIdlePoll {
			// The whole pause after the answer, not the rest of it after
			// the request: a request slow to leave (a busy machine) must
			// not bring the next one closer to it at the server.
			if !sleep(ctx, minIdlePoll) {
				return nil
			}
		}
	}
}

// accept commits a batch, retrying while the store fails: the batch is not
// confirmed to Telegram before it is committed.
func (t *Channel) accept(ctx context.Context, inbox Inbox, ups []*bot.Update) bool {
	for n := 0; ; n++ {
		err := inbox.Accept(ctx, ups)
		if err == nil {
			return true
		}
		t.log.Error("commit updates to the inbox", "updates", len(ups), "attempt", n+1, "err", err)
		if !sleep(ctx, bot.Backoff(n)) {
			return false
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-tm.C:
		return true
	}
}

// decode turns a getUpdates result into Updates one at a time: an update
// that does not decode is logged and skipped (and confirmed with the
// rest). next is one past the highest update_id seen; seen is false when
// no item had one.
func (t *Channel) decode(raw json.RawMessage) (out []*bot.Update, next int64, seen bool) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		t.quiet.Error("not_a_list", "getUpdates result is not a list", "err", err)
		return nil, 0, false
	}
	for _, it := range items {
		// One decoding pass for a good update; only one that fails is read
		// again for its update_id, so the offset can pass it.
		var tu tgbotapi.Update
		decodeErr := json.Unmarshal(it, &tu)
		id := int64(tu.UpdateID)
		if decodeErr != nil {
			var head struct {
				UpdateID int64 `json:"update_id"`
			}
			if err := json.Unmarshal(it, &head); err != nil {
				t.quiet.Error("bad_update_id", "skip update without a numeric update_id", "err", err)
				continue
			}
			id = head.UpdateID
		}
		if !seen || id >= next {
			next, seen = id+1, true
		}
		if decodeErr != nil {
			t.quiet.Warn("undecodable", "skip undecodable update", "update_id", id, "err", decodeErr)
			continue
		}
		u, err := convert(&tu)
		if err != nil {
			t.quiet.Warn("malformed", "skip malformed update", "update_id", id, "err", err)
			continue
		}
		if u.Kind == bot.KindUnknown && !u.Group {
			continue // an edit, a channel post, a new update type: nothing to do
		}
		sum := sha256.Sum256(it)
		u.Key = "tg:" + strconv.FormatInt(id, 10) + ":" + hex.EncodeToString(sum[:6])
		out = append(out, u)
	}
	return out, next, seen
}

// convert is fromTelegram, turning a panic in tgbotapi's accessors (an
// entity reaching past the text, say) into an error: such an update is
// skipped, never allowed to crash the poll loop.
func convert(tu *tgbotapi.Update) (u *bot.Update, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed update: %v", p)
		}
	}()
	return fromTelegram(tu), nil
}

// fromTelegram converts a Bot API update. Its Key is left for the caller
// (it hashes the raw update).
func fromTelegram(tu *tgbotapi.Update) *bot.Update {
	u := &bot.Update{Channel: Name}
	sender := func(f *tgbotapi.User) bot.Sender {
		if f == nil || f.ID <= 0 {
			return bot.Sender{}
		}
		return bot.Sender{Ref: strconv.FormatInt(f.ID, 10), FirstName: clean(f.FirstName), LastName: clean(f.LastName), Username: clean(f.UserName), Lang: f.LanguageCode}
	}
	chat := func(c *tgbotapi.Chat, from bot.Sender) {
		u.ChatRef = strconv.FormatInt(c.ID, 10)
		u.Group = c.Type != "private" || u.ChatRef != from.Ref
	}
	switch {
	case tu.Message != nil && tu.Message.From != nil && tu.Message.Chat != nil:
		m := tu.Message
		u.Kind, u.From = bot.KindMessage, sender(m.From)
		chat(m.Chat, u.From)
		u.Text = clean(m.Text)
		if u.Text == "" {
			u.Text = clean(m.Caption)
		}
		if m.IsCommand() {
			u.Command = strings.ToLower(m.Command())
			u.Args = clean(m.CommandArguments())
		}
		if m.Contact != nil {
			u.Contact = &bot.Contact{Phone: clean(m.Contact.PhoneNumber), UserID: m.Contact.UserID}
		}
		if n := len(m.Photo); n > 0 {
			u.Photo = m.Photo[n-1].FileID
		}
		if m.Voice != nil {
			u.Voice = m.Voice.FileID
		}
		if m.Document != nil {
			u.Document = &bot.FileRef{ID: m.Document.FileID, Name: clean(m.Document.FileName), Size: m.Document.FileSize}
		}
		if m.Location != nil {
			u.Location = &bot.Location{Lat: m.Location.Latitude, Lon: m.Location.Longitude}
		}
		if m.ForwardFrom != nil {
			f := sender(m.ForwardFrom)
			u.Forward = &f
		}
		if u.Text == "" && u.Command == "" && u.Contact == nil && u.Photo == "" && u.Voice == "" && u.Document == nil && u.Location == nil &&
			(m.Sticker != nil || m.Animation != nil || m.Video != nil || m.VideoNote != nil || m.Audio != nil) {
			u.Kind = bot.KindUnsupported
		}
	case tu.CallbackQuery != nil && tu.CallbackQuery.From != nil:
		q := tu.CallbackQuery
		u.Kind, u.From, u.Callback, u.Data = bot.KindCallback, sender(q.From), q.ID, q.Data
		u.ChatRef = u.From.Ref
		if q.Message != nil && q.Message.Chat != nil {
			chat(q.Message.Chat, u.From)
			u.MsgID = q.Message.MessageID
		}
	case tu.MyChatMember != nil:
		cm := tu.MyChatMember
		u.From = sender(&cm.From)
		chat(&cm.Chat, u.From)
		switch cm.NewChatMember.Status {
		case "kicked", "left":
			u.Kind = bot.KindBlocked
		case "member", "administrator":
			u.Kind = bot.KindUnblocked
		}
	}
	if u.From.Ref == "" {
		u.Kind = bot.KindUnknown
	}
	return u
}

// clean makes text from the network valid UTF-8.
func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
