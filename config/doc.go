// Package config reads the bot's configuration from environment variables
// and validates it; every error names the variable at fault. Only main.go
// uses it: other packages receive plain values.
package config
