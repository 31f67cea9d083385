package sqlset

import "strings"

// Split cuts SQL text into statements at semicolons that are outside quotes,
// quoted identifiers and comments. Empty statements are dropped.
func Split(text string) []string {
	var out []string
	var cur strings.Builder
	emit := func() {
		if st := strings.TrimSpace(cur.String()); stripComments(st) != "" {
			out = append(out, st)
		}
		cur.Reset()
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(text) {
				if text[j] == c {
					if j+1 < len(text) && text[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			cur.WriteString(text[i:min(j+1, len(text))])
			i = j
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				j = len(text) - i
			}
			cur.WriteString(text[i : i+j])
			i += j - 1
		case c == ';':
			emit()
		default:
			cur.WriteByte(c)
		}
	}
	emit()
	return out
}

// stripComments removes -- comments and surrounding space, to tell whether
// a fragment holds any SQL at all.
func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
	}
	return strings.TrimSpace(b.String())
}
