package escape

import (
	"strconv"
	"strings"
)

// List shows names for a person on one line: each through Line, joined by
// ", ", at most max of them, then "and N more" (N with thousands
// separators) when there were more.
func List(names []string, max int) string {
	shown := names
	if len(shown) > max {
		shown = shown[:max]
	}
	parts := make([]string, 0, len(shown)+1)
	for _, n := range shown {
		parts = append(parts, Line(n))
	}
	if rest := len(names) - len(shown); rest > 0 {
		parts = append(parts, "and "+Count(int64(rest))+" more")
	}
	return strings.Join(parts, ", ")
}

// Count writes n with a comma between groups of three digits: 199,950.
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
