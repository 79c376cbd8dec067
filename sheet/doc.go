// Package sheet keeps exported CSV cells from being run as formulas when
// the file is opened in a spreadsheet program (CSV injection). The bot's
// staff export and the web site's open data both write cells through it.
package sheet
