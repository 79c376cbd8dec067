package bot

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
)

// Flow is a guided conversation defined as data: an ordered table of steps.
// Its state (flow, step, draft) lives in the store, so a restart continues
// at the same step. The engine handles /cancel, "back" and the inactivity
// timeout for every flow, and never throws answers away unasked: cancelling
// a draft with more than two answers asks first, a command or menu button
// pressed in the middle pauses the flow (the draft is kept, and a button
// resumes it), and starting a flow while a draft exists asks whether to
// continue it or start again.
type Flow struct {
	Name  string
	Steps []Step
	// Done runs after the last step's Input calls Next.
	Done Handler
	// Review names the step that shows every answer for a last check.
	// While the draft is being corrected from there (draft "rev" = "1"),
	// "back" returns to it instead of the previous step.
	Review string
	// Title is the message key naming the flow for people ("your draft
	// «…»"); "" uses "flow.untitled".
	Title string
}

// Step is one question of a flow.
type Step struct {
	Name string
	// Prompt asks the question (on entering the step, and after "back").
	Prompt Handler
	// Input handles the user's answer: a message, or a callback whose data
	// starts with the flow's name. It calls Next or Goto to move on, or
	// returns a UserError to stay and explain.
	Input Handler
}

func (f *Flow) index(step string) int {
	for i, s := range f.Steps {
		if s.Name == step {
			return i
		}
	}
	return -1
}

// Start begins a flow at its first step (or at step, if given), keeping no
// draft from an earlier conversation.
func (c *Ctx) Start(flow string, step ...string) error {
	f, ok := c.b.r.flows[flow]
	if !ok {
		return fmt.Errorf("start: no flow %q", flow)
	}
	c.State.Flow, c.State.Draft, c.State.Updated, c.State.Paused = flow, nil, c.now, false
	// A nonce that tells this draft from every earlier one (see DraftTag).
	c.SetDraft("_n", c.b.nonce())
	name := f.Steps[0].Name
	if len(step) > 0 {
		name = step[0]
	}
	return c.Goto(name)
}

// Goto moves the current flow to a step and prompts it.
func (c *Ctx) Goto(step string) error {
	f, ok := c.b.r.flows[c.State.Flow]
	if !ok {
		return fmt.Errorf("goto %q: not in a flow", step)
	}
	i := f.index(step)
	if i < 0 {
		return fmt.Errorf("goto: flow %s has no step %q", f.Name, step)
	}
	c.State.Step, c.State.Updated = step, c.now
	if f.Steps[i].Prompt == nil {
		return nil
	}
	return f.Steps[i].Prompt(c)
}

// Next moves to the step after the current one, or finishes the flow.
func (c *Ctx) Next() error {
	f, ok := c.b.r.flows[c.State.Flow]
	if !ok {
		return fmt.Errorf("next: not in a flow")
	}
	i := f.index(c.State.Step)
	if i+1 < len(f.Steps) {
		return c.Goto(f.Steps[i+1].Name)
	}
	return c.finish(f)
}

func (c *Ctx) finish(f *Flow) error {
	if f.Done == nil {
		c.End()
		return nil
	}
	return f.Done(c)
}

// End leaves the current flow and forgets its draft.
func (c *Ctx) End() {
	c.State.Flow, c.State.Step, c.State.Draft, c.State.Paused = "", "", nil, false
}

// InFlow reports whether the chat is in the named flow (and not paused).
func (c *Ctx) InFlow(flow string) bool { return c.State.Flow == flow && !c.State.Paused }

// active reports whether a flow takes the chat's input now.
func (c *Ctx) active() bool { return c.State.Flow != "" && !c.State.Paused }

// answers counts the draft's answers (keys starting with "_" and the
// review and search marks are bookkeeping, not answers).
func (c *Ctx) answers() int {
	n := 0
	for k, v := range c.State.Draft {
		if v != "" && !strings.HasPrefix(k, "_") && k != "rev" && k != "typed" {
			n++
		}
	}
	return n
}

// reviewing reports whether the user came from the flow's review step to
// change one answer.
func (c *Ctx) reviewing(f *Flow) bool {
	return f.Review != "" && c.Draft("rev") == "1" && c.State.Step != f.Review
}

// flowTitle names the current flow for people.
func (c *Ctx) flowTitle() string {
	if f, ok := c.b.r.flows[c.State.Flow]; ok && f.Title != "" {
		return c.T(f.Title)
	}
	return c.T("flow.untitled")
}

// DraftTag is a short fingerprint of the draft (its answers and the nonce
// set by Start). A flow's final button carries it, and the button is
// refused when the draft has changed or is another one since it was shown:
// a confirm button confirms exactly what it was shown for.
func (c *Ctx) DraftTag() string {
	keys := make([]string, 0, len(c.State.Draft))
	for k := range c.State.Draft {
		if !strings.HasPrefix(k, "_") || k == "_n" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	h := fnv.New32a()
	h.Write([]byte(c.State.Flow))
	for _, k := range keys {
		h.Write([]byte{0})
		h.Write([]byte(k))
		h.Write([]byte{1})
		h.Write([]byte(c.State.Draft[k]))
	}
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// CheckTag refuses a final button shown for another draft (or another
// version of this one): it says so and shows the current step again, with
// fresh buttons. It returns false when the caller must stop.
func (c *Ctx) CheckTag(args []string) (bool, error) {
	if len(args) > 0 && args[len(args)-1] == c.DraftTag() {
		return true, nil
	}
	c.Toast(c.T("flow.stale_confirm"))
	c.Say("flow.stale_confirm")
	return false, c.Goto(c.State.Step)
}

// back returns to the previous step of the flow, or to the review step
// when the user came from there. At the first step it leaves the flow
// (asking first if answers would be lost).
func (c *Ctx) back() error {
	f, ok := c.b.r.flows[c.State.Flow]
	if !ok {
		return nil
	}
	if c.reviewing(f) {
		return c.Goto(f.Review)
	}
	if c.State.Step == f.Review {
		c.SetDraft("rev", "") // walking back through the steps
	}
	i := f.index(c.State.Step)
	if i <= 0 {
		return cancel(c)
	}
	return c.Goto(f.Steps[i-1].Name)
}

// resume continues a paused or interrupted flow at its step.
func (c *Ctx) resume() error {
	f, ok := c.b.r.flows[c.State.Flow]
	if !ok {
		c.End()
		return nil
	}
	c.State.Paused = false
	c.SetDraft("_cq", "")
	step := c.State.Step
	if f.index(step) < 0 {
		step = f.Steps[0].Name
		if f.Review != "" && c.Draft("rev") == "1" {
			step = f.Review
		}
	}
	return c.Goto(step)
}

// pause keeps the draft but takes the chat out of the step, visibly, when
// a command or menu button is used in the middle of a flow. A flow with no
// answers yet simply ends.
func (c *Ctx) pause() {
	if !c.active() {
		return
	}
	if c.answers() == 0 {
		c.End()
		return
	}
	c.State.Paused = true
	c.SetDraft("_cq", "")
	c.Reply(Reply{Text: c.T("flow.paused", "Flow", c.flowTitle()), Buttons: [][]Button{{
		{Text: c.T("flow.btn_resume"), Data: CB("nav", "resume")},
		{Text: c.T("flow.btn_discard"), Data: CB("nav", "cancel", "y")},
	}}})
}

// stepInput gives the update to the current step.
func (c *Ctx) stepInput() error {
	f, ok := c.b.r.flows[c.State.Flow]
	if !ok {
		c.End()
		return nil
	}
	i := f.index(c.State.Step)
	if i < 0 {
		c.End()
		return nil
	}
	c.State.Updated = c.now
	c.SetDraft("_cq", "")
	if f.Steps[i].Input == nil {
		return c.Next()
	}
	return f.Steps[i].Input(c)
}

// NavKeyboard is the reply keyboard shown during a flow: back and cancel.
// At the first step, where going back would leave the flow, it offers
// cancel only; while correcting one answer, back says it returns to the
// review.
func (c *Ctx) NavKeyboard(extra ...[]KeyButton) *Keyboard {
	rows := append([][]KeyButton{}, extra...)
	nav := []KeyButton{{Text: c.T("common.back")}, {Text: c.T("common.cancel")}}
	if f, ok := c.b.r.flows[c.State.Flow]; ok {
		switch {
		case c.reviewing(f):
			nav[0].Text = c.T("flow.back_review")
		case f.index(c.State.Step) == 0:
			nav = nav[1:]
		}
	}
	rows = append(rows, nav)
	return &Keyboard{Rows: rows}
}
