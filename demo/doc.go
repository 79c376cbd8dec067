// Package demo lets a person chat with the bot in a terminal, without a
// Telegram token: the real bot runs against the in-process fake Bot API
// server (bot/telegramtest), and this package plays the Telegram client.
//
// Inline buttons are shown numbered and pressed by typing the number;
// main-menu keyboard buttons are shown lettered and pressed by the letter.
// "!staff" and "!user" switch between a citizen and a staff member (an
// admin), so every flow is reachable; "!help" lists the demo commands and
// "!quit" (or end of input) leaves. Piped input works: each line waits for
// the bot's replies before the next is sent.
package demo
