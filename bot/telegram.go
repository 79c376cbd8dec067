package bot

import (
	"context"
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
)

// This file is the Telegram adapter: the only code that knows Telegram's
// types. It turns Bot API updates into Updates, Replies into Bot API calls,
// and runs the long-polling loop.

// TelegramOptions configure the adapter.
type TelegramOptions struct {
	Token    string
	Endpoint string // tgbotapi endpoint format, "BASE/bot%s/%s"; "" for the official API
	Log      *slog.Logger
	Metrics  *Metrics
	// PollTimeout is the long-poll wait (default 30s).
	PollTimeout time.Duration
	// StallLimit ends Poll with ErrStalled when getUpdates has not
	// succeeded for this long (default 10 minutes), so the process exits
	// and the supervisor restarts it.
	StallLimit time.Duration
}

// ErrStalled is returned by Poll when polling has failed for too long.
var ErrStalled = errors.New("polling stalled")

// Telegram talks to the Telegram Bot API.
type Telegram struct {
	api      *tgbotapi.BotAPI
	opt      TelegramOptions
	log      *slog.Logger
	met      *Metrics
	lastPoll atomic.Int64 // unix nanoseconds of the last successful getUpdates
	ctx      atomic.Pointer[context.Context]
}

// ctxTransport cancels a waiting long poll when the adapter's context ends
// (tgbotapi takes no context of its own). Other calls are left to finish
// within the client's timeout, so a reply being sent at shutdown is not cut
// off after Telegram has taken it. It keeps enough idle connections
// for every shard sending at once (the default keeps 2 per host, so busy
// chats would open a new connection per message).
type ctxTransport struct {
	t    *Telegram
	base *http.Transport
}

func newCtxTransport(t *Telegram) ctxTransport {
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

// NewTelegram connects to the Bot API (it calls getMe).
func NewTelegram(ctx context.Context, opt TelegramOptions) (*Telegram, error) {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Metrics == nil {
		opt.Metrics = NewMetrics(nil)
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
	t := &Telegram{opt: opt, log: opt.Log, met: opt.Metrics}
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
func (t *Telegram) Username() string { return t.api.Self.UserName }

// redact removes the bot token from an error (it appears in request URLs).
func (t *Telegram) redact(err error) error {
	if err == nil || t.opt.Token == "" || !strings.Contains(err.Error(), t.opt.Token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), t.opt.Token, "<token>"))
}

func (t *Telegram) count(method string, err error) {
	result := "ok"
	if err != nil {
		var te *tgbotapi.Error
		if errors.As(err, &te) {
			result = strconv.Itoa(te.Code)
		} else {
			result = "transport"
		}
	}
	t.met.APICalls.WithLabelValues(method, result).Inc()
}

// toSendError translates a tgbotapi failure.
func (t *Telegram) toSendError(err error) error {
	if err == nil {
		return nil
	}
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		se := &SendError{Code: te.Code, Desc: te.Message}
		if te.RetryAfter > 0 {
			se.RetryAfter = time.Duration(te.RetryAfter) * time.Second
		}
		if te.Code == 403 || (te.Code == 400 && strings.Contains(te.Message, "chat not found")) {
			se.Blocked = true
		}
		return se
	}
	return &SendError{Code: 0, Desc: t.redact(err).Error()}
}

func (t *Telegram) request(method string, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	resp, err := t.api.Request(c)
	t.count(method, err)
	return resp, err
}

func (t *Telegram) send(method string, c tgbotapi.Chattable) (tgbotapi.Message, error) {
	m, err := t.api.Send(c)
	t.count(method, err)
	return m, err
}

// Send delivers a reply.
func (t *Telegram) Send(chatID int64, r Reply) (int, error) {
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
	if (r.Document != nil || r.Photo != "" || r.Voice != "") && utf16Len(caption) > maxCaption {
		caption = "" // sent as its own message below
	}
	var (
		m   tgbotapi.Message
		err error
	)
	switch {
	case r.Edit != 0:
		cfg := tgbotapi.NewEditMessageText(chatID, r.Edit, r.Text)
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
		cfg := tgbotapi.NewDocument(chatID, tgbotapi.FileBytes{Name: r.Document.Name, Bytes: r.Document.Data})
		cfg.Caption, cfg.ParseMode, cfg.ReplyMarkup = caption, tgbotapi.ModeHTML, markup
		m, err = t.send("sendDocument", cfg)
	case r.Photo != "":
		cfg := tgbotapi.NewPhoto(chatID, tgbotapi.FileID(r.Photo))
		cfg.Caption, cfg.ParseMode, cfg.ReplyMarkup = caption, tgbotapi.ModeHTML, markup
		m, err = t.send("sendPhoto", cfg)
	case r.Voice != "":
		cfg := tgbotapi.NewVoice(chatID, tgbotapi.FileID(r.Voice))
		cfg.Caption, cfg.ParseMode, cfg.ReplyMarkup = caption, tgbotapi.ModeHTML, markup
		m, err = t.send("sendVoice", cfg)
	default:
		cfg := tgbotapi.NewMessage(chatID, r.Text)
		cfg.ParseMode = tgbotapi.ModeHTML
		cfg.DisableWebPagePreview = true
		cfg.DisableNotification = r.Silent
		cfg.ReplyMarkup = markup
		m, err = t.send("sendMessage", cfg)
	}
	if err != nil {
		return 0, t.toSendError(err)
	}
	if caption == "" && r.Text != "" && (r.Document != nil || r.Photo != "" || r.Voice != "") {
		return t.Send(chatID, Reply{Text: r.Text})
	}
	return m.MessageID, nil
}

func inlineMarkup(rows [][]Button) tgbotapi.InlineKeyboardMarkup {
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

func replyMarkup(k *Keyboard) tgbotapi.ReplyKeyboardMarkup {
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
func (t *Telegram) Download(_ context.Context, fileID string, max int64) ([]byte, error) {
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
func (t *Telegram) AnswerCallback(id, text string) error {
	_, err := t.request("answerCallbackQuery", tgbotapi.NewCallback(id, text))
	return t.toSendError(err)
}

// Typing shows the "typing…" action.
func (t *Telegram) Typing(chatID int64) error {
	_, err := t.request("sendChatAction", tgbotapi.NewChatAction(chatID, tgbotapi.ChatTyping))
	return t.toSendError(err)
}

// SetCommands installs a command menu.
func (t *Telegram) SetCommands(cmds []CommandInfo, lang string, chatID int64) error {
	list := make([]tgbotapi.BotCommand, len(cmds))
	for i, c := range cmds {
		list[i] = tgbotapi.BotCommand{Command: c.Name, Description: c.Description}
	}
	scope := tgbotapi.NewBotCommandScopeDefault()
	if chatID != 0 {
		scope = tgbotapi.NewBotCommandScopeChat(chatID)
		lang = "" // a chat's menu applies whatever the client's language
	}
	_, err := t.request("setMyCommands", tgbotapi.NewSetMyCommandsWithScopeAndLanguage(scope, lang, list...))
	return t.toSendError(err)
}

// Healthy reports whether getUpdates succeeded within maxAge.
func (t *Telegram) Healthy(maxAge time.Duration) bool {
	return time.Since(time.Unix(0, t.lastPoll.Load())) <= maxAge
}

// Poll runs the long-polling loop until ctx ends: each batch of updates is
// handled (committed) before the next getUpdates acknowledges it to
// Telegram. Network errors and 5xx back off; 429 waits retry_after; 409
// (another instance polling) is logged and retried.
func (t *Telegram) Poll(ctx context.Context, b *Bot) error {
	t.ctx.Store(&ctx)
	if _, err := t.request("deleteWebhook", tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.log.Warn("delete webhook", "err", t.redact(err))
	}
	offset := b.Store().Offset()
	d := b.startDispatcher(ctx)
	defer func() {
		d.stop()
		b.flushDelivered() // replies the workers delivered while stopping
	}()
	failures := 0
	for {
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(time.Unix(0, t.lastPoll.Load())) > t.opt.StallLimit {
			return ErrStalled
		}
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
			wait := Backoff(failures - 1)
			var te *tgbotapi.Error
			switch {
			case errors.As(err, &te) && te.Code == 409:
				t.log.Error("another instance is polling with this token (409 Conflict); stop it or use another token", "retry_in", wait)
			case errors.As(err, &te) && te.Code == 429:
				wait = time.Duration(te.RetryAfter) * time.Second
				t.log.Warn("getUpdates rate limited", "retry_after", wait)
			default:
				t.log.Warn("getUpdates failed", "err", t.redact(err), "retry_in", wait)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
			continue
		}
		failures = 0
		t.lastPoll.Store(time.Now().UnixNano())
		ups, next := t.decode(resp.Result, offset)
		fresh := 0
		for _, u := range ups {
			if d.submit(u) {
				fresh++
			}
		}
		// Telegram drops every update below the offset we send next, so
		// it must not pass an update whose effects are not committed.
		if ack := d.ack(next); ack > offset {
			if err := b.Store().Acknowledge(ack); err != nil {
				t.log.Error("save offset", "err", err)
			}
			offset = ack
		}
		if fresh == 0 && d.busy() {
			// Only updates already in hand came back: wait for one of them
			// to finish rather than asking again at once.
			select {
			case <-ctx.Done():
				return nil
			case <-d.progress:
			case <-time.After(time.Second):
			}
		}
	}
}

// decode turns a getUpdates result into Updates one at a time: an update
// that does not decode is logged and skipped (and acknowledged).
func (t *Telegram) decode(raw json.RawMessage, offset int64) ([]*Update, int64) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		t.log.Error("getUpdates result is not a list", "err", err)
		return nil, offset
	}
	var out []*Update
	for _, it := range items {
		var head struct {
			UpdateID int64 `json:"update_id"`
		}
		if err := json.Unmarshal(it, &head); err != nil {
			t.log.Error("skip undecodable update", "err", err)
			continue
		}
		if head.UpdateID >= offset {
			offset = head.UpdateID + 1
		}
		var tu tgbotapi.Update
		if err := json.Unmarshal(it, &tu); err != nil {
			t.log.Warn("skip undecodable update", "update_id", head.UpdateID, "err", err)
			continue
		}
		u, err := convert(&tu)
		if err != nil {
			t.log.Warn("skip undecodable update", "update_id", head.UpdateID, "err", err)
			continue
		}
		out = append(out, u)
	}
	return out, offset
}

// convert is FromTelegram, turning a panic in tgbotapi's accessors (an
// entity reaching past the text, say) into an error: such an update is
// skipped, never allowed to crash the poll loop.
func convert(tu *tgbotapi.Update) (u *Update, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed update: %v", p)
		}
	}()
	return FromTelegram(tu), nil
}

// FromTelegram converts a Bot API update.
func FromTelegram(tu *tgbotapi.Update) *Update {
	u := &Update{ID: int64(tu.UpdateID)}
	sender := func(f *tgbotapi.User) Sender {
		if f == nil {
			return Sender{}
		}
		return Sender{ID: f.ID, FirstName: clean(f.FirstName), LastName: clean(f.LastName), Username: clean(f.UserName), Lang: f.LanguageCode}
	}
	switch {
	case tu.Message != nil && tu.Message.From != nil && tu.Message.Chat != nil:
		m := tu.Message
		u.Kind, u.ChatID, u.From = KindMessage, m.Chat.ID, sender(m.From)
		u.Text = clean(m.Text)
		if u.Text == "" {
			u.Text = clean(m.Caption)
		}
		if m.IsCommand() {
			u.Command = strings.ToLower(m.Command())
			u.Args = clean(m.CommandArguments())
		}
		if m.Contact != nil {
			u.Contact = &Contact{Phone: clean(m.Contact.PhoneNumber), UserID: m.Contact.UserID}
		}
		if n := len(m.Photo); n > 0 {
			u.Photo = m.Photo[n-1].FileID
		}
		if m.Voice != nil {
			u.Voice = m.Voice.FileID
		}
		if m.Document != nil {
			u.Document = &FileRef{ID: m.Document.FileID, Name: clean(m.Document.FileName), Size: m.Document.FileSize}
		}
		if m.ForwardFrom != nil {
			f := sender(m.ForwardFrom)
			u.Forward = &f
		}
	case tu.CallbackQuery != nil && tu.CallbackQuery.From != nil:
		q := tu.CallbackQuery
		u.Kind, u.From, u.Callback, u.Data = KindCallback, sender(q.From), q.ID, q.Data
		u.ChatID = q.From.ID
		if q.Message != nil && q.Message.Chat != nil {
			u.ChatID, u.MsgID = q.Message.Chat.ID, q.Message.MessageID
		}
	case tu.MyChatMember != nil:
		cm := tu.MyChatMember
		u.ChatID, u.From = cm.Chat.ID, sender(&cm.From)
		switch cm.NewChatMember.Status {
		case "kicked", "left":
			u.Kind = KindBlocked
		case "member":
			u.Kind = KindUnblocked
		}
	}
	return u
}

// clean makes text from the network valid UTF-8.
func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
