// Package demo lets a person chat with the bot in a terminal, without any
// platform account: the real bot runs against an in-process fake platform
// (telegram/telegramtest, or zalo/zalotest with -channel zalo) and this
// package plays the client through a Backend.
//
// Buttons are shown numbered and pressed by typing the number; main-menu
// keyboard buttons are shown lettered and pressed by the letter; '1 sends
// the text "1". "!staff" and "!user" switch between a citizen and a staff
// member (an admin), so every flow is reachable, and each keeps the
// buttons it received while the other was playing. A pressed button's
// notice is shown as a line ("ℹ️ …"). "!reset" starts over with an empty
// database, "!help" lists the demo commands and "!quit" (or end of input)
// leaves. Seed fills a database with a living bank (`demo -seed`). Piped
// input works: each line waits for the bot's replies before the next is
// sent.
package demo
