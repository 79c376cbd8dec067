package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// MaxText is the longest text message the engine accepts, in characters.
const MaxText = 4096

// Options configure a Bot. Store, at least one Channel and Locales are
// required.
type Options struct {
	Store    *store.Store
	Channels []Channel
	Locales  *locales.Bundle
	Log      *slog.Logger
	Metrics  *Metrics
	// AdminIDs are admins by the bot's user ID (a Telegram ID); Admins by
	// channel and platform ID (ADMIN_IDS' "zalo:<id>").
	AdminIDs []int64
	Admins   []UserRef
	// ChatLinks open a private chat with the bot, per channel (the answer
	// in a group offers it).
	ChatLinks map[string]string
	// FlowTimeout ends a conversation left idle this long (default 24h).
	FlowTimeout time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Shards is how many chats are handled at once (default 64).
	Shards int
	// Features holds what optional flows need (policy answerer, limits…).
	Features Features

	// extraModules are added to the routing table (tests only).
	extraModules []Module
	// onHandled observes each update's handling time (benchmarks only).
	onHandled func(time.Duration)
}

// Bot is the conversation engine: it routes each update to a flow, commits
// the flow's effects together with the update's ID, then delivers replies.
type Bot struct {
	opt    Options
	st     *store.Store
	chans  map[string]Channel
	sched  *scheduler
	i18n   *locales.Bundle
	log    *slog.Logger
	met    *Metrics
	now    func() time.Time
	admins map[int64]bool
	// adminRefs are the channel addresses of admins named by them
	// (ADMIN_IDS' zalo:<id>).
	adminRefs map[int64]UserRef
	r         *router
	flood     *floodGuard
	claimed   sync.Map   // outbox seq → struct{}: being sent, or sent and not yet removed
	ideas     ideaSearch // idea-bank search index, built on first use

	bg         sync.WaitGroup // background work started by Run
	answerWake chan struct{}  // a question waits for a model-written answer
	jobs       *jobRunner
	runCtx     atomic.Pointer[context.Context]
	demoted    []*store.User // roles changed by ADMIN_IDS at start (roles.go)
	epoch      string        // the clock at start, for nonces
	nonces     atomic.Uint64
}

// nonce is a short string no other call returns, in this process or an
// earlier one (their clocks at start differ): it tells a draft from every
// earlier one (DraftTag).
func (b *Bot) nonce() string {
	return b.epoch + "." + strconv.FormatUint(b.nonces.Add(1), 36)
}

// New builds a bot.
func New(opt Options) (*Bot, error) {
	if opt.Store == nil || len(opt.Channels) == 0 || opt.Locales == nil {
		return nil, errors.New("bot: Store, a Channel and Locales are required")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Metrics == nil {
		opt.Metrics = NewMetrics(nil)
	}
	if opt.FlowTimeout == 0 {
		opt.FlowTimeout = 24 * time.Hour
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Shards <= 0 {
		opt.Shards = 64
	}
	b := &Bot{
		opt: opt, st: opt.Store, chans: map[string]Channel{}, i18n: opt.Locales, log: opt.Log,
		met: opt.Metrics, now: opt.Now, admins: map[int64]bool{}, adminRefs: map[int64]UserRef{},
		flood: newFloodGuard(), answerWake: make(chan struct{}, 1),
	}
	b.epoch = strconv.FormatInt(b.now().UnixNano(), 36)
	for _, ch := range opt.Channels {
		b.chans[ch.Name()] = ch
	}
	b.sched = newScheduler(b)
	for _, id := range opt.AdminIDs {
		b.admins[id] = true
	}
	if err := b.resolveAdmins(opt.Admins); err != nil {
		return nil, err
	}
	demoted, err := b.reconcileRoles()
	if err != nil {
		return nil, err
	}
	b.demoted = demoted
	b.r = newRouter(append(b.modules(), opt.extraModules...))
	b.r.indexMenu(b.i18n)
	return b, nil
}

// Store is the bot's database.
func (b *Bot) Store() *store.Store { return b.st }

// Handler handles an update within a conversation context.
type Handler func(c *Ctx) error

// UserError is a refusal shown to the user as a translated message; the
// conversation stays where it was.
type UserError struct {
	Key  string
	Data map[string]any
}

func (e *UserError) Error() string { return "user error: " + e.Key }

// Refuse returns a UserError with template variables given as pairs.
func Refuse(key string, kv ...any) error { return &UserError{Key: key, Data: pairs(kv)} }

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// Handle is the single entry point for an update taken from the inbox
// (the scheduler calls it; tests may too). It returns after the update's
// effects, its removal from the inbox and its replies are committed, and
// the replies delivered (or queued for redelivery). An update no longer in
// the inbox was handled already and is skipped. An update with ID 0 has no
// inbox item (direct calls in tests and fuzzing).
func (b *Bot) Handle(ctx context.Context, u *Update) (err error) {
	start := time.Now()
	result := "ok"
	defer func() {
		d := time.Since(start)
		b.met.observe(u.Kind, result, d)
		if b.opt.onHandled != nil {
			b.opt.onHandled(d)
		}
	}()
	if u.Kind == KindUnknown || u.From.ID == 0 {
		// Nothing to do (a new update type): done with the next commit.
		result = "ignored"
		b.doneLater(uint64(u.ID))
		return nil
	}
	// A fast update not received by the end (its handler failed, or the
	// bot is stopping) goes to the inbox; settling is once. One that made
	// no commit withdraws the commit admit announced.
	defer func() {
		if u.firstCall() {
			b.st.Unexpect()
		}
		u.settle(false)
	}()
	if u.Group {
		result = "group"
		return b.handleGroup(ctx, u)
	}
	flooded := false
	if u.Kind == KindMessage || u.Kind == KindCallback {
		if now := b.now(); !b.flood.allow(u.From.ID, now) {
			if !b.flood.warn(u.From.ID, now) {
				// Flooding: dropped without a read or a commit of its
				// own; it leaves the inbox with the next commit.
				result = "flooded"
				b.answerCallback(u, "")
				b.doneLater(uint64(u.ID))
				u.settle(true)
				return nil
			}
			flooded = true // told once a minute to slow down
		}
	}
	c, err := b.newCtx(ctx, u)
	if errors.Is(err, store.ErrDuplicate) {
		result = "duplicate"
		b.answerCallback(u, "")
		return nil
	}
	if err != nil {
		result = "error"
		if !u.fast() { // a fast one is answered from the inbox
			b.answerCallback(u, "")
		}
		return fmt.Errorf("update %d: %w", u.ID, err)
	}
	c.flooded = flooded
	herr := b.run(c)
	if ctx.Err() != nil {
		// Stopping: commit nothing; Telegram delivers the update again.
		result = "abandoned"
		return errAbandoned
	}
	if herr != nil {
		result = "error"
		c.fail(herr)
	}
	sent, err := b.commit(c)
	if errors.Is(err, store.ErrDuplicate) {
		result = "duplicate"
		u.settle(true) // its Key was taken by the inbox
		return nil
	}
	if err != nil {
		var ue *UserError
		if errors.As(err, &ue) {
			result = "refused"
		} else {
			result = "error"
			b.log.Error("commit", "update_id", u.ID, "err", err)
		}
		// Commit the update as handled with just the explanation, so the
		// user hears back and the update is not retried forever.
		c.reset()
		c.fail(err)
		if sent, err = b.commit(c); err != nil && !errors.Is(err, store.ErrDuplicate) {
			if !u.fast() {
				b.answerCallback(u, "")
			}
			return fmt.Errorf("update %d: commit: %w", u.ID, err)
		}
	}
	u.settle(true)
	b.answerCallback(u, c.toast)
	b.deliver(sent)
	if err == nil {
		for _, f := range c.after {
			f()
		}
	}
	return nil
}

// run routes the update, turning a panic into an error.
func (b *Bot) run(c *Ctx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic in handler", "update_id", c.U.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			b.met.panics.Inc()
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return b.r.route(c)
}

func (b *Bot) newCtx(ctx context.Context, u *Update) (*Ctx, error) {
	now := b.now()
	c := &Ctx{ctx: ctx, b: b, U: u, now: now}
	err := b.st.View(func(tx *store.Tx) error {
		if u.ID != 0 && !tx.InInbox(uint64(u.ID)) {
			return store.ErrDuplicate
		}
		usr, rec, err := tx.UserRecord(u.From.ID)
		if errors.Is(err, store.ErrNotFound) {
			usr = &store.User{ID: u.From.ID, Channel: u.Channel, Ref: u.From.Ref, Lang: locales.Normalize(u.From.Lang), Subscribed: true, Created: now}
		} else if err != nil {
			return err
		}
		c.User, c.userRec = usr, rec
		c.State, err = tx.State(u.ChatID)
		return err
	})
	if err != nil {
		return nil, err
	}
	usr := c.User
	c.seenWas, c.inboundWas = usr.LastSeen, usr.LastInbound
	if u.From.FirstName != "" || u.From.Username != "" {
		usr.FirstName, usr.LastName, usr.Username = u.From.FirstName, u.From.LastName, u.From.Username
	}
	if !usr.LangChosen && u.From.Lang != "" {
		usr.Lang = locales.Normalize(u.From.Lang)
	}
	if b.admins[usr.ID] {
		usr.Role = store.RoleAdmin // ADMIN_IDS; a removed admin is demoted at start (roles.go)
	}
	if usr.Channel == "" && u.Channel != "" {
		usr.Channel, usr.Ref = u.Channel, u.From.Ref
	}
	usr.LastSeen = now
	if u.Kind == KindMessage || u.Kind == KindCallback || u.Kind == KindUnsupported {
		usr.Inactive = false
		usr.LastInbound = now
	}
	c.Loc = b.i18n.For(usr.Lang)
	c.stateBefore = stateKey(c.State)
	c.roleBefore = usr.Role
	return c, nil
}

// queueReplies adds replies to the outbox with their destinations,
// returning them with their sequence numbers for delivery after the
// commit. here is the update's own chat (its channel and platform chat),
// which may be a chat without a user record.
func queueReplies(tx *store.Tx, out []Reply, here *envelope) ([]queued, error) {
	sent := make([]queued, 0, len(out))
	for _, r := range out {
		env := envelope{Reply: &r}
		if here != nil && r.ChatID == here.Reply.ChatID {
			env.Channel, env.To = here.Channel, here.To
			if r.Lang == "" {
				r.Lang = here.Reply.Lang
			}
		} else {
			u, err := tx.User(r.ChatID)
			switch {
			case err == nil:
				env.Channel, env.To = u.Address()
				if r.Lang == "" {
					r.Lang = u.Lang
				}
			case errors.Is(err, store.ErrNotFound):
				if env.Channel, env.To, err = tx.AddressOf(r.ChatID); err != nil {
					return nil, fmt.Errorf("queue reply to %d: %w", r.ChatID, err)
				}
			default:
				return nil, fmt.Errorf("queue reply: %w", err)
			}
		}
		payload, err := json.Marshal(env)
		if err != nil {
			return nil, fmt.Errorf("encode reply: %w", err)
		}
		seq, err := tx.AddOutbox(r.ChatID, payload)
		if err != nil {
			return nil, fmt.Errorf("queue reply: %w", err)
		}
		sent = append(sent, queued{seq: seq, env: env})
	}
	return sent, nil
}

// here is the destination of replies to the update's own chat.
func (c *Ctx) here() *envelope {
	if c.U.Channel == "" {
		return nil
	}
	to := c.U.ChatRef
	if to == "" {
		to = c.U.From.Ref
	}
	return &envelope{Channel: c.U.Channel, To: to, Reply: &Reply{ChatID: c.U.ChatID, Lang: c.User.Lang}}
}

// Commit is for background work (answers, jobs): fn's effects and the
// replies it returns (each with its ChatID) are committed in one
// transaction, then the replies are delivered. fn may run twice.
func (b *Bot) Commit(fn func(tx *store.Tx) ([]Reply, error)) error {
	var sent []queued
	err := b.st.Batch(func(tx *store.Tx) error {
		out, err := fn(tx)
		if err != nil {
			return err
		}
		sent, err = queueReplies(tx, out, nil)
		return err
	})
	if err != nil {
		return err
	}
	b.deliver(sent)
	return nil
}

// commit writes the context's effects, the handled mark and the replies in
// one transaction, returning the queued replies to deliver.
func (b *Bot) commit(c *Ctx) ([]queued, error) {
	var sent []queued
	base := len(c.out) // replies queued by ops are discarded if the batch retries
	batch := b.st.Batch
	if c.U.firstCall() {
		batch = b.st.BatchExpected
	}
	err := batch(func(tx *store.Tx) error {
		sent = sent[:0]
		c.out = c.out[:base]
		if c.U.fast() {
			if err := tx.TakeInboxKey(c.U.Key, c.now); err != nil {
				return err
			}
		} else if c.U.ID != 0 && !tx.InInbox(uint64(c.U.ID)) {
			return store.ErrDuplicate
		}
		for _, op := range c.ops {
			if err := op(tx); err != nil {
				return err
			}
		}
		if !c.userUnchanged() {
			// Another chat's update may have changed this user's role since
			// it was read (an admin adding staff): keep that change.
			if cur, err := tx.User(c.User.ID); err == nil && cur.Role != c.roleBefore && c.User.Role == c.roleBefore && !b.admins[c.User.ID] {
				c.User.Role = cur.Role
			}
			if err := tx.PutUser(c.User); err != nil {
				return err
			}
		}
		if c.State.Flow != "" || c.stateBefore != "" {
			if err := tx.PutState(c.State); err != nil {
				return err
			}
		}
		if c.U.ID != 0 {
			if err := tx.DoneInbox(uint64(c.U.ID)); err != nil {
				return err
			}
		}
		for i := range c.out {
			if c.out[i].ChatID == 0 {
				c.out[i].ChatID = c.U.ChatID
			}
		}
		var err error
		sent, err = queueReplies(tx, c.out, c.here())
		return err
	})
	return sent, err
}

func (b *Bot) answerCallback(u *Update, text string) {
	if u.Kind != KindCallback || u.Callback == "" {
		return
	}
	ch, err := b.channel(u.Channel)
	if err == nil {
		err = ch.AnswerCallback(context.Background(), u.Callback, text)
	}
	if err != nil {
		b.log.Warn("answer callback", "update_id", u.ID, "err", err)
	}
}

// Ctx is one update being handled: who, where, in which conversation, and
// the effects and replies gathered so far. Effects are committed together.
type Ctx struct {
	ctx  context.Context
	b    *Bot
	now  time.Time
	U    *Update
	User *store.User
	// State is the chat's conversation; flows change it through Start,
	// Next, Goto and End.
	State *store.State
	Loc   *locales.Localizer

	out         []Reply
	flooded     bool
	ops         []func(*store.Tx) error
	toast       string
	stateBefore string
	roleBefore  string
	// userRec is the user's record as read (nil for a new user), and
	// seenWas and inboundWas its LastSeen and LastInbound.
	userRec             []byte
	seenWas, inboundWas time.Time
	after               []func()
}

// seenEvery is how stale a user's stored LastSeen and LastInbound may be:
// an update that changes nothing else about the user writes them again
// only when they are older. Conversations within a minute then cost no
// write of the user record; a messaging window computed from LastInbound
// closes at most this much early, never late.
const seenEvery = time.Minute

// userUnchanged reports whether the user need not be written: nothing but
// LastSeen and LastInbound changed, and the stored ones are recent.
func (c *Ctx) userUnchanged() bool {
	if c.userRec == nil || c.now.Sub(c.seenWas) >= seenEvery ||
		(!c.User.LastInbound.Equal(c.inboundWas) && c.now.Sub(c.inboundWas) >= seenEvery) {
		return false
	}
	u := *c.User
	u.LastSeen, u.LastInbound = c.seenWas, c.inboundWas
	return u.Encodes(c.userRec)
}

// Context is the request context (cancelled on shutdown).
func (c *Ctx) Context() context.Context { return c.ctx }

// Now is the time the update is handled.
func (c *Ctx) Now() time.Time { return c.now }

// Bot is the engine handling this update.
func (c *Ctx) Bot() *Bot { return c.b }

// Log is the bot's logger.
func (c *Ctx) Log() *slog.Logger { return c.b.log }

// T translates a message key for this user; kv are template pairs.
func (c *Ctx) T(key string, kv ...any) string { return c.Loc.T(key, pairs(kv)) }

// TFor translates for another user (e.g. the author of an idea).
func (c *Ctx) TFor(u *store.User, key string, kv ...any) string {
	return c.b.i18n.For(u.Lang).T(key, pairs(kv))
}

// LocFor is another user's localizer.
func (c *Ctx) LocFor(u *store.User) *locales.Localizer { return c.b.i18n.For(u.Lang) }

// Reply queues a reply to this chat (or to r.ChatID), sent after commit.
func (c *Ctx) Reply(r Reply) { c.out = append(c.out, r) }

// Say queues a translated text reply.
func (c *Ctx) Say(key string, kv ...any) { c.Reply(Reply{Text: c.T(key, kv...)}) }

// SendTo queues a reply to another chat, sent after commit.
func (c *Ctx) SendTo(chatID int64, r Reply) {
	r.ChatID = chatID
	c.Reply(r)
}

// Do adds a store operation to the update's commit transaction. It may run
// more than once (it must only touch the transaction and c's replies).
// Replies queued inside an op are discarded if the transaction retries.
func (c *Ctx) Do(op func(tx *store.Tx) error) {
	c.ops = append(c.ops, op)
}

// AfterCommit runs f once the update's effects are committed and its
// replies delivered (not if the commit fails): e.g. to wake a job runner
// that should see them.
func (c *Ctx) AfterCommit(f func()) { c.after = append(c.after, f) }

// Toast sets the text shown when answering the pressed button.
func (c *Ctx) Toast(text string) { c.toast = text }

// IsStaff reports whether the user is staff or admin.
func (c *Ctx) IsStaff() bool { return c.User.IsStaff() }

// IsAdmin reports whether the user is an admin.
func (c *Ctx) IsAdmin() bool { return c.User.Role == store.RoleAdmin }

// Draft returns a value gathered by the current flow.
func (c *Ctx) Draft(key string) string { return c.State.Draft[key] }

// SetDraft stores a value for the current flow; "" deletes it.
func (c *Ctx) SetDraft(key, val string) {
	if val == "" {
		delete(c.State.Draft, key)
		return
	}
	if c.State.Draft == nil {
		c.State.Draft = map[string]string{}
	}
	c.State.Draft[key] = val
}

// Typing shows "typing…" now (before commit): for slow answers.
func (c *Ctx) Typing() {
	ch, err := c.b.channel(c.U.Channel)
	if err == nil {
		err = ch.Typing(c.ctx, c.U.ChatRef)
	}
	if err != nil {
		c.b.log.Debug("typing", "err", err)
	}
}

// reset drops everything gathered, for a failed commit.
func (c *Ctx) reset() {
	c.out, c.ops, c.toast, c.after = nil, nil, "", nil
}

// fail turns a handler error into a reply: a UserError is translated, any
// other error is logged and the user gets a polite generic message.
func (c *Ctx) fail(err error) {
	var ue *UserError
	if errors.As(err, &ue) {
		c.ops, c.after = nil, nil
		c.out = c.out[:0]
		msg := c.Loc.T(ue.Key, ue.Data)
		if c.U.Kind == KindCallback {
			c.toast = truncate(msg, 190)
		}
		c.Reply(Reply{Text: msg})
		return
	}
	c.b.log.Error("handler", "update_id", c.U.ID, "chat_id", c.U.ChatID, "flow", c.State.Flow, "step", c.State.Step, "err", err)
	c.b.met.errors.Inc()
	c.reset()
	c.Reply(Reply{Text: c.T("common.error_generic")})
}

func stateKey(s *store.State) string {
	if s.Flow == "" {
		return ""
	}
	return s.Flow + "/" + s.Step
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
