package sheet

import "strings"

// risky are the first characters that make a spreadsheet read a cell as a
// formula or a command: OWASP's list (=, +, -, @, tab, carriage return)
// and the pipe of DDE commands.
const risky = "=+-@\t\r|"

// Cell returns v so that a spreadsheet shows it as text: a cell starting
// with a risky character gets a leading apostrophe, which spreadsheets
// hide.
func Cell(v string) string {
	if v != "" && strings.IndexByte(risky, v[0]) >= 0 {
		return "'" + v
	}
	return v
}

// Row applies Cell to every cell of row, in place, and returns it.
func Row(row []string) []string {
	for i, v := range row {
		row[i] = Cell(v)
	}
	return row
}
