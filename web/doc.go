// Package web is the public web site of the open idea bank: anyone can
// read the published public ideas, share them with a preview card, follow
// the upcoming events and reuse the data, without an account.
//
// # Routes (GET and HEAD only)
//
//	/                    what the bank is, live figures, newest and most
//	                     supported ideas, upcoming events, how to take part
//	/ideas               q (search, as in the chat: diacritics and Telex
//	                     optional), sector, locality, status (filters
//	                     combine), sort (relevance with q, newest,
//	                     supported), page (1–500; beyond the last: 404)
//	/ideas/YT-000123     one idea; 404 unless published and public; a merged
//	                     duplicate answers 301 to the idea it joined; other
//	                     spellings of a code ("yt123") 301 to the canonical one
//	/events, /events.ics upcoming events; iCalendar feed (RFC 5545: CRLF,
//	                     folding at 75 octets, escaped text, UTC times)
//	/stats               SVG charts drawn on the server, each with a table
//	/open-data           the files, their columns and licence (CC BY 4.0)
//	/open-data/ideas.csv, /open-data/ideas.json   streamed; four at a time, one per client
//	/sitemap.xml         one file up to 50,000 URLs, else an index over
//	                     /sitemaps/pages.xml and /sitemaps/ideas-N.xml
//	/robots.txt, /static/…
//
// Vietnamese by default; ?lang=en for English, kept by every link. All
// text comes from locales/web.*.toml; sector, author-kind and status labels
// are the bot's own, without their emoji.
//
// # Wiring
//
// The site shares the public listener (WEB_ADDR) with the Zalo webhook:
//
//	site, err := web.New(web.Options{Store: st, Ideas: b, Locales: loc,
//		PublicURL: cfg.PublicURL, TelegramBot: tg.Username(), ZaloOA: cfg.ZaloOAID, Log: log})
//	mux := http.NewServeMux()
//	mux.Handle("POST /zalo/webhook", zaloHandler)
//	web.Mount(mux, site) // every other path
//	srv := &http.Server{Addr: cfg.WebAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
//
// /metrics and /healthz are never mounted here: they stay on HTTP_ADDR
// (the site answers them 404). Ideas is any Searcher; *bot.Bot is one,
// searching the chat's own index, which catches up with the store before
// each search, so an idea published in the chat is on the site at once.
//
// # Data and privacy
//
// Pages read the store directly (store/public.go): listings walk sorted
// indexes and decode only the ideas shown; counts and statistics come
// from counters kept in the same transaction as each idea. Only published
// public ideas are shown. Never shown: phone numbers, contacts, usernames,
// platform IDs, staff notes or the names of staff, history notes, photos
// (they are platform file IDs, not files the site stores). The author is
// "Ẩn danh" with author kind and locality unless they turned on "hiện tên
// tôi" (store.User.ShowName, in /settings or on the idea review screen):
// then their first name, unless it looks like a number, handle or link.
// Authors who deleted their data are anonymous. The open data never names
// authors; CSV cells that a spreadsheet would read as a formula get a
// leading apostrophe.
//
// # Safety and weight
//
// html/template escaping; Content-Security-Policy "default-src 'none';
// style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none';
// frame-ancestors 'none'", nosniff, DENY framing, a referrer policy, and
// HSTS and COOP when PUBLIC_URL is https. No JavaScript; no request to any
// other host; absolute URLs (canonical, OpenGraph, sitemap, feed) come from
// PUBLIC_URL, and are relative when it is unset (never from the request's
// Host header, which anyone can write). Query strings over
// 1 KB answer 414, search text is cut to 100 characters, searches are
// limited per client IP (token bucket, default 2/s, bursts of 20: 429 with
// Retry-After). Pages carry a strong ETag (304 on If-None-Match) and
// "Cache-Control: public, no-cache" (as do the open-data files: a withdrawn
// or deleted idea leaves every cache at once), and are gzipped when the
// client accepts it; the
// stylesheet is versioned by its hash and cached for a year.
//
// # Caveats
//
//   - The client IP is the connection's address: behind a proxy all
//     clients share one rate-limit bucket unless the proxy is made to
//     pass the address through (not done here).
//   - Search results are capped at 1,000 (the page says "more than").
//   - Deep listing pages cost a walk over the skipped keys; pages stop
//     at 500 (10,000 ideas per filter), the sitemap lists every idea.
//   - Cancelled events leave the store's upcoming index, so the feed
//     drops them rather than marking them cancelled.
//   - Zalo has no start payload: the idea page tells Zalo users to send
//     the idea's code, which the bot opens.
package web
