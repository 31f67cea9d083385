package postgres

import (
	"regexp"
	"strings"
)

// keywordKey is the first key of a libpq keyword/value DSN
// ("host=db1 port=5432 user=me password=... dbname=sparkify").
var keywordKey = regexp.MustCompile(`^[A-Za-z_]+\s*=`)

// keywordPassword matches a password in a keyword/value DSN, quoted
// ('it”s' or 'a\'b') or not.
var keywordPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.|'')*'|\S*)`)

// IsKeywordDSN reports whether dsn is in libpq's keyword/value form, which
// pgx parses as well as the postgres:// URL form.
func IsKeywordDSN(dsn string) bool {
	return keywordKey.MatchString(strings.TrimSpace(dsn))
}

// describeKeyword renders a keyword/value DSN with its password masked.
func describeKeyword(dsn string) string {
	return keywordPassword.ReplaceAllString(strings.TrimSpace(dsn), "${1}********")
}
