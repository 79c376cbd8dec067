package bot

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The ask module: policy questions typed in everyday Vietnamese. The
// answer cites its document and validity; a question the knowledge base
// does not cover is refused honestly with an offer to pass it to staff.
// Every answer has 👍/👎 buttons; questions and votes are kept for staff.

func (b *Bot) askModule() Module {
	return Module{
		Name:     "ask",
		Commands: []Command{{Name: "ask", Handler: b.askCmd}},
		Menu:     []MenuItem{{Key: "menu.ask", Handler: func(c *Ctx) error { return c.Start("ask") }}},
		Text:     func(c *Ctx) error { return b.answer(c, c.U.Text) },
		Background: func(ctx context.Context) {
			if b.opt.Features.Policy != nil && b.opt.Features.LLM {
				b.answerLoop(ctx)
			}
		},
		Actions: map[string]Handler{
			"vote": b.askVote,
			"fu":   b.askFollowup,
			"fwd":  b.askForward,
		},
		Flows: []*Flow{{
			Name: "ask",
			Steps: []Step{{
				Name:   "question",
				Prompt: func(c *Ctx) error { c.Reply(Reply{Text: c.T("ask.prompt"), Keyboard: c.NavKeyboard()}); return nil },
				Input: func(c *Ctx) error {
					if strings.TrimSpace(c.U.Text) == "" {
						return Refuse("ask.need_text")
					}
					c.End()
					return b.answer(c, c.U.Text)
				},
			}},
		}},
	}
}

func (b *Bot) askCmd(c *Ctx) error {
	if q := strings.TrimSpace(c.U.Args); q != "" {
		return b.answer(c, q)
	}
	return c.Start("ask")
}

// answer answers a question and records it with the user's vote buttons.
// The retrieval answer is immediate. When a language model may write the
// answer, the question is committed as pending and the answer worker
// (answerPending) replies when the model is done: a slow model never holds
// up the update loop.
func (b *Bot) answer(c *Ctx, text string) error { return b.answerAsked(c, text, "") }

// answerAsked answers text; asked is the user's own question when text is
// a suggested follow-up they picked, kept so staff see their words.
func (b *Bot) answerAsked(c *Ctx, text, asked string) error {
	f := b.opt.Features
	if f.Policy == nil {
		c.Reply(Reply{Text: c.T("ask.unavailable"), Keyboard: b.MainMenu(c)})
		return nil
	}
	if p, ok := policy.ParseProfile(text); ok {
		return b.hotroQuestion(c, p) // "em là sinh viên thì được hỗ trợ gì"
	}
	ans, err := f.Policy.Answer(c.Context(), policy.Query{Text: text, Lang: c.User.Lang})
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return Refuse("ask.timeout")
	}
	if err != nil {
		return err
	}
	body := policy.Render(ans, b.answerLoc(c.Loc, ans))
	switch ans.Reason {
	case policy.ReasonSmallTalk, policy.ReasonEmpty, policy.ReasonQuestionLen:
		c.Reply(Reply{Text: Esc(body)})
		return nil
	case policy.ReasonNotCovered:
		if offTopic(text) {
			// Weather, gold prices, jokes, gibberish: never offered to staff.
			c.Reply(Reply{Text: c.T("ask.off_topic")})
			return nil
		}
	}
	q := &store.Question{
		UserID: c.User.ID, Text: truncate(strings.TrimSpace(text), policy.MaxQuestionLen), Asked: asked, Lang: c.User.Lang,
		Answer: body, Refused: ans.Refused, Reason: ans.Reason, Mode: ans.Mode,
		Followups: ans.Followups, Status: store.QuestionAnswered, Created: c.Now(),
	}
	for _, s := range ans.Sources {
		q.Docs = append(q.Docs, s.Doc)
	}
	if !ans.Refused && f.LLM {
		// Whether the model may write it is decided in the commit that
		// queues it, which reserves the user's and the day's quota.
		c.Typing()
		c.Do(func(tx *store.Tx) error {
			q := *q
			if b.reserveLLM(tx, q.UserID, c.Now()) {
				q.Status = store.QuestionPending // the retrieval answer stays as the fallback
				return tx.AddQuestion(&q)
			}
			if err := tx.AddQuestion(&q); err != nil {
				return err
			}
			c.Reply(Reply{Text: Esc(body), Buttons: answerButtons(c.Loc, &q)})
			return nil
		})
		c.AfterCommit(b.wakeAnswers)
		return nil
	}
	c.Do(func(tx *store.Tx) error {
		if err := tx.AddQuestion(q); err != nil {
			return err
		}
		c.Reply(Reply{Text: Esc(body), Buttons: answerButtons(c.Loc, q)})
		return nil
	})
	return nil
}

// maxPendingLLM is how many model-written answers one user may wait for
// at once; more questions get the retrieval answer at once.
const maxPendingLLM = 2

// reserveLLM reserves one model-written answer for user inside tx if the
// user's daily limit, the day's total budget and the user's pending
// answers allow it.
func (b *Bot) reserveLLM(tx *store.Tx, user int64, now time.Time) bool {
	perUser := b.opt.Features.LLMPerDay
	if perUser == 0 {
		perUser = 20
	}
	total := b.opt.Features.LLMPerDayTotal
	if total == 0 {
		total = 1000
	}
	day := capDay(now)
	if tx.LLMUsed(user, now) >= perUser || tx.Quota(store.QuotaLLMTotal, 0, day) >= total ||
		tx.Quota(store.QuotaLLMPending, user, 0) >= maxPendingLLM {
		return false
	}
	return tx.CountLLM(user, now, 1) == nil && tx.AddQuota(store.QuotaLLMTotal, 0, day, 1) == nil &&
		tx.AddQuota(store.QuotaLLMPending, user, 0, 1) == nil
}

// settleLLM ends a question's wait inside tx; an answer the model did not
// write gives its reservation back.
func settleLLM(tx *store.Tx, q *store.Question, used bool) error {
	if err := tx.AddQuota(store.QuotaLLMPending, q.UserID, 0, -1); err != nil {
		return err
	}
	if used {
		return nil
	}
	if err := tx.CountLLM(q.UserID, q.Created, -1); err != nil {
		return err
	}
	return tx.AddQuota(store.QuotaLLMTotal, 0, capDay(q.Created), -1)
}

// answerLoc is the localizer an answer is rendered with: the asker's,
// or English for a question asked in English.
func (b *Bot) answerLoc(loc *locales.Localizer, ans policy.Answer) *locales.Localizer {
	if ans.Lang == "en" && loc.Lang() != "en" {
		return b.i18n.For("en")
	}
	return loc
}

func answerButtons(loc *locales.Localizer, q *store.Question) [][]Button {
	id := strconv.FormatUint(q.ID, 10)
	if q.Refused {
		return [][]Button{{{Text: loc.T("ask.btn_forward"), Data: CB("ask", "fwd", id)}}}
	}
	rows := [][]Button{{
		{Text: "👍 " + loc.T("ask.btn_helpful"), Data: CB("ask", "vote", id, "up")},
		{Text: "👎 " + loc.T("ask.btn_unhelpful"), Data: CB("ask", "vote", id, "down")},
	}}
	for i, f := range q.Followups {
		if i == 3 {
			break
		}
		rows = append(rows, []Button{{Text: "❓ " + truncate(f, 60), Data: CB("ask", "fu", id, strconv.Itoa(i))}})
	}
	if len(q.Docs) > 0 {
		rows = append(rows, followButton(loc, q))
	}
	rows = append(rows, []Button{{Text: loc.T("ask.btn_forward_more"), Data: CB("ask", "fwd", id)}})
	return rows
}

func (b *Bot) wakeAnswers() {
	select {
	case b.answerWake <- struct{}{}:
	default:
	}
}

// answerLoop is the ask module's Background: it writes the pending
// model answers a few at a time, taking users in turn (roundRobin) so one
// user's questions never hold up another's.
func (b *Bot) answerLoop(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	var (
		mu     sync.Mutex
		busy   = map[uint64]bool{} // questions being answered
		asking = map[int64]int{}   // answers being written, per user
		wg     sync.WaitGroup
		sem    = make(chan struct{}, 4)
	)
	defer wg.Wait()
	// next picks the first pending question not being answered, in turn
	// order; it is called with a worker slot held, so the choice is made
	// as late as possible and sees questions that arrived meanwhile.
	next := func() *store.Question {
		qs, err := b.st.PendingQuestions(256)
		if err != nil {
			b.log.Error("pending questions", "err", err)
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		free := qs[:0]
		for _, q := range qs {
			if !busy[q.ID] {
				free = append(free, q)
			}
		}
		if order := roundRobin(free, asking); len(order) > 0 {
			busy[order[0].ID] = true
			asking[order[0].UserID]++
			return order[0]
		}
		return nil
	}
	for {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		q := next()
		if q == nil {
			<-sem
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-b.answerWake:
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			b.answerPending(ctx, q)
			mu.Lock()
			delete(busy, q.ID)
			if asking[q.UserID]--; asking[q.UserID] <= 0 {
				delete(asking, q.UserID)
			}
			mu.Unlock()
			b.wakeAnswers() // the next pending one may be waiting
		}()
	}
}

// roundRobin orders questions (oldest first) so that users take turns:
// each user's oldest, then each one's second…; users with fewer answers
// being written (inFlight) go first, then by their oldest question.
func roundRobin(qs []*store.Question, inFlight map[int64]int) []*store.Question {
	var users []int64
	byUser := map[int64][]*store.Question{}
	for _, q := range qs {
		if _, ok := byUser[q.UserID]; !ok {
			users = append(users, q.UserID)
		}
		byUser[q.UserID] = append(byUser[q.UserID], q)
	}
	slices.SortStableFunc(users, func(a, b int64) int { return inFlight[a] - inFlight[b] })
	out := make([]*store.Question, 0, len(qs))
	for round := 0; len(out) < len(qs); round++ {
		for _, u := range users {
			if l := byUser[u]; round < len(l) {
				out = append(out, l[round])
			}
		}
	}
	return out
}

// answerPending writes one pending answer with the model (falling back to
// the retrieval answer kept with the question) and commits it with its
// reply, so it is sent exactly once even across a restart.
func (b *Bot) answerPending(ctx context.Context, q *store.Question) {
	timeout := b.opt.Features.AnswerTimeout
	if timeout == 0 {
		timeout = 25 * time.Second
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	ans, aerr := b.opt.Features.Policy.Answer(actx, policy.Query{Text: q.Text, Lang: q.Lang, AllowLLM: true})
	cancel()
	if ctx.Err() != nil {
		return // stopping: still pending, answered after the restart
	}
	useModel := aerr == nil && !ans.Refused && ans.Mode == policy.ModeLLM
	err := b.Commit(func(tx *store.Tx) ([]Reply, error) {
		cur, err := tx.Question(q.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil // the asker deleted their data meanwhile
		}
		if err != nil || cur.Status != store.QuestionPending {
			return nil, err // answered already
		}
		loc := b.i18n.For(cur.Lang)
		if useModel {
			cur.Answer, cur.Mode, cur.Followups = policy.Render(ans, b.answerLoc(loc, ans)), ans.Mode, ans.Followups
			cur.Docs = cur.Docs[:0]
			for _, s := range ans.Sources {
				cur.Docs = append(cur.Docs, s.Doc)
			}
		}
		if err := settleLLM(tx, cur, useModel); err != nil {
			return nil, err
		}
		cur.Status = store.QuestionAnswered
		if err := tx.PutQuestion(cur); err != nil {
			return nil, err
		}
		return []Reply{{ChatID: cur.UserID, Text: Esc(cur.Answer), Buttons: answerButtons(loc, cur)}}, nil
	})
	if err != nil {
		b.log.Error("answer pending question", "question_id", q.ID, "err", err)
	}
}

// ownQuestion loads a question named in callback data and checks that it
// is the user's own: callback data is never trusted.
func ownQuestion(tx *store.Tx, c *Ctx, arg string) (*store.Question, error) {
	id, err := strconv.ParseUint(arg, 10, 64)
	if err != nil {
		return nil, Refuse("common.stale_button")
	}
	q, err := tx.Question(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && q.UserID != c.User.ID) {
		return nil, Refuse("common.stale_button")
	}
	return q, err
}

func (b *Bot) askVote(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 2 || (args[1] != "up" && args[1] != "down") {
		return b.r.stale(c)
	}
	vote := 1
	if args[1] == "down" {
		vote = -1
	}
	c.Do(func(tx *store.Tx) error {
		q, err := ownQuestion(tx, c, args[0])
		if err != nil {
			return err
		}
		q.Vote = vote
		return tx.PutQuestion(q)
	})
	if vote > 0 {
		c.Toast(c.T("ask.thanks_up"))
	} else {
		c.Toast(c.T("ask.thanks_down"))
	}
	return nil
}

func (b *Bot) askFollowup(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 2 {
		return b.r.stale(c)
	}
	var text, asked string
	err := b.st.View(func(tx *store.Tx) error {
		q, err := ownQuestion(tx, c, args[0])
		if err != nil {
			return err
		}
		i, err := strconv.Atoi(args[1])
		if err != nil || i < 0 || i >= len(q.Followups) {
			return Refuse("common.stale_button")
		}
		text, asked = q.Followups[i], q.Text
		if q.Asked != "" {
			asked = q.Asked // a follow-up of a follow-up: the user's words stay
		}
		return nil
	})
	if err != nil {
		return err
	}
	c.Reply(Reply{Text: "❓ <i>" + Esc(text) + "</i>"})
	return b.answerAsked(c, text, asked)
}

// askForward passes the user's question to staff.
func (b *Bot) askForward(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return b.r.stale(c)
	}
	staff, err := b.st.Staff()
	if err != nil {
		return err
	}
	c.Do(func(tx *store.Tx) error {
		q, err := ownQuestion(tx, c, args[0])
		if err != nil {
			return err
		}
		if q.Status != store.QuestionAnswered {
			c.Toast(c.T("ask.already_forwarded"))
			return nil
		}
		if err := takeCap(tx, store.QuotaForward, c.User.ID, c.Now(), b.forwardCap(), "trust.forward_cap"); err != nil {
			return err
		}
		q.Status = store.QuestionForwarded
		if err := tx.PutQuestion(q); err != nil {
			return err
		}
		for _, s := range staff {
			if s.Inactive {
				continue
			}
			loc := b.i18n.For(s.Lang)
			c.SendTo(s.ID, Reply{
				Text:    c.TFor(s, "ask.staff_new", "Name", Esc(c.User.Name()), "Question", questionForStaff(loc, q)),
				Buttons: staffQuestionButtons(loc, q),
			})
		}
		c.Reply(Reply{Text: c.T("ask.forwarded")})
		return nil
	})
	return nil
}
