package bot

import (
	"fmt"
)

// Flow is a guided conversation defined as data: an ordered table of steps.
// Its state (flow, step, draft) lives in the store, so a restart continues
// at the same step. The engine handles /cancel, "back" and the inactivity
// timeout for every flow.
type Flow struct {
	Name  string
	Steps []Step
	// Done runs after the last step's Input calls Next.
	Done Handler
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
	c.State.Flow, c.State.Draft, c.State.Updated = flow, nil, c.now
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
	c.State.Flow, c.State.Step, c.State.Draft = "", "", nil
}

// InFlow reports whether the chat is in the named flow.
func (c *Ctx) InFlow(flow string) bool { return c.State.Flow == flow }

// back returns to the previous step of the flow (or cancels at the first).
func (c *Ctx) back() error {
	f, ok := c.b.r.flows[c.State.Flow]
	if !ok {
		return nil
	}
	i := f.index(c.State.Step)
	if i <= 0 {
		c.End()
		c.Reply(Reply{Text: c.T("common.cancelled"), Keyboard: c.b.MainMenu(c)})
		return nil
	}
	return c.Goto(f.Steps[i-1].Name)
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
	if f.Steps[i].Input == nil {
		return c.Next()
	}
	return f.Steps[i].Input(c)
}

// NavKeyboard is the reply keyboard shown during a flow: back and cancel.
func (c *Ctx) NavKeyboard(extra ...[]KeyButton) *Keyboard {
	rows := append([][]KeyButton{}, extra...)
	rows = append(rows, []KeyButton{{Text: c.T("common.back")}, {Text: c.T("common.cancel")}})
	return &Keyboard{Rows: rows}
}
