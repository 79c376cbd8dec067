// Package locales holds every user-facing message of the bot, in Vietnamese
// (the default) and English, as go-i18n TOML files embedded in the binary.
//
// Files are named <area>.<lang>.toml (start.vi.toml, idea.en.toml, …): each
// flow owns its own pair. Keys are flat and dotted, <area>.<thing>; template
// variables are PascalCase. Vietnamese plural messages need both the "one"
// and "other" forms (go-i18n gives vi both). A test fails when the two
// languages differ in keys or a template does not render.
package locales
