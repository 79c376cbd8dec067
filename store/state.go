package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// State is the conversation state of one chat: which flow, which step, and
// the answers gathered so far. Key: chat ID (8-byte big-endian).
type State struct {
	ChatID  int64             `json:"chat_id"`
	Flow    string            `json:"flow,omitempty"`
	Step    string            `json:"step,omitempty"`
	Draft   map[string]string `json:"draft,omitempty"`
	Updated time.Time         `json:"updated"`
	// Paused keeps the flow and its draft while the user does something
	// else: the step takes no input until the flow is resumed.
	Paused bool `json:"paused,omitempty"`
}

// State returns the chat's conversation state; a chat with none gets an
// empty state (not an error).
func (t *Tx) State(chatID int64) (*State, error) {
	st := State{ChatID: chatID}
	err := getJSON(t.tx.Bucket(bucketStates), i64(chatID), &st)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("state %d: %w", chatID, err)
	}
	return &st, nil
}

// PutState saves a chat's state; an idle state (no flow) is deleted.
func (t *Tx) PutState(st *State) error {
	b := t.tx.Bucket(bucketStates)
	if st.Flow == "" {
		return b.Delete(i64(st.ChatID))
	}
	if err := putJSON(b, i64(st.ChatID), st); err != nil {
		return fmt.Errorf("put state %d: %w", st.ChatID, err)
	}
	return nil
}
