// Package telegram is the Telegram channel: the only package that imports
// tgbotapi. It long-polls getUpdates, converts each update into a
// platform-neutral bot.Update, commits each batch to the bot's inbox before
// confirming it to Telegram, and sends rendered replies through the Bot API.
//
// # Caveats
//
//   - tgbotapi takes no context: only a waiting getUpdates is cut short at
//     shutdown; other calls finish within the HTTP client's timeout.
//   - Telegram counts message length in UTF-16 units after parsing HTML;
//     Caps says so (CountUTF16) and rendering counts the raw HTML, which is
//     conservative.
//   - Media another channel received (a URL) is sent by URL: Telegram
//     fetches it.
package telegram
