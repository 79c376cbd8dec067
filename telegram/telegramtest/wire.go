package telegramtest

import "encoding/json"

// The Bot API objects the server reads and writes. Only the fields the
// server fills or inspects are declared; field names follow the Bot API.

type apiUser struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`

	CanJoinGroups           bool `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages bool `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   bool `json:"supports_inline_queries,omitempty"`
}

type apiChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

type apiEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type apiPhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

type apiDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

type apiVoice struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Duration     int    `json:"duration"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

type apiContact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name,omitempty"`
	UserID      int64  `json:"user_id,omitempty"`
}

type apiButton struct {
	Text                         string          `json:"text"`
	URL                          *string         `json:"url,omitempty"`
	CallbackData                 *string         `json:"callback_data,omitempty"`
	SwitchInlineQuery            *string         `json:"switch_inline_query,omitempty"`
	SwitchInlineQueryCurrentChat *string         `json:"switch_inline_query_current_chat,omitempty"`
	LoginURL                     json.RawMessage `json:"login_url,omitempty"`
	CallbackGame                 json.RawMessage `json:"callback_game,omitempty"`
	WebApp                       json.RawMessage `json:"web_app,omitempty"`
	CopyText                     json.RawMessage `json:"copy_text,omitempty"`
	Pay                          bool            `json:"pay,omitempty"`
}

type apiInlineMarkup struct {
	InlineKeyboard [][]apiButton `json:"inline_keyboard"`
}

type apiMessage struct {
	MessageID   int              `json:"message_id"`
	From        *apiUser         `json:"from,omitempty"`
	Chat        apiChat          `json:"chat"`
	Date        int64            `json:"date"`
	EditDate    int64            `json:"edit_date,omitempty"`
	ForwardFrom *apiUser         `json:"forward_from,omitempty"`
	ForwardDate int64            `json:"forward_date,omitempty"`
	Text        string           `json:"text,omitempty"`
	Entities    []apiEntity      `json:"entities,omitempty"`
	Caption     string           `json:"caption,omitempty"`
	Document    *apiDocument     `json:"document,omitempty"`
	Photo       []apiPhotoSize   `json:"photo,omitempty"`
	Voice       *apiVoice        `json:"voice,omitempty"`
	Contact     *apiContact      `json:"contact,omitempty"`
	ReplyMarkup *apiInlineMarkup `json:"reply_markup,omitempty"`
}

type apiCallbackQuery struct {
	ID           string      `json:"id"`
	From         apiUser     `json:"from"`
	Message      *apiMessage `json:"message,omitempty"`
	ChatInstance string      `json:"chat_instance"`
	Data         string      `json:"data,omitempty"`
}

type apiChatMember struct {
	User   apiUser `json:"user"`
	Status string  `json:"status"`
}

type apiChatMemberUpdated struct {
	Chat          apiChat       `json:"chat"`
	From          apiUser       `json:"from"`
	Date          int64         `json:"date"`
	OldChatMember apiChatMember `json:"old_chat_member"`
	NewChatMember apiChatMember `json:"new_chat_member"`
}

type apiUpdate struct {
	UpdateID      int                   `json:"update_id"`
	Message       *apiMessage           `json:"message,omitempty"`
	CallbackQuery *apiCallbackQuery     `json:"callback_query,omitempty"`
	MyChatMember  *apiChatMemberUpdated `json:"my_chat_member,omitempty"`
}

type apiFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int    `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

type apiMessageID struct {
	MessageID int `json:"message_id"`
}

type apiResponseParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

type apiResponse struct {
	OK          bool                   `json:"ok"`
	Result      any                    `json:"result,omitempty"`
	ErrorCode   int                    `json:"error_code,omitempty"`
	Description string                 `json:"description,omitempty"`
	Parameters  *apiResponseParameters `json:"parameters,omitempty"`
}
