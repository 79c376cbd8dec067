// Package pii recognises personal data typed in free text — today phone
// numbers — so that every place that must not show it (model prompts,
// public idea cards, notices to staff, logs) redacts it the same way.
//
// Vietnamese numbers are recognised as people type them: mobiles
// ("0905 123 456", "0905.123.456", "+84 905 123 456", "(+84) 905-123-456",
// "84905123456") and landlines with their area code ("0235 3812 345",
// "(0236) 3 812 345", "024 3825 1234", "+84 236 3812 345"). Separators
// are single spaces, dots, dashes or brackets between digits; a number
// glued to other digits is not a phone number (it is some other code).
package pii
