package rslint

import "strings"

// kind is what a token is.
type kind int

const (
	word   kind = iota // an unquoted name or keyword
	quoted             // a "delimited identifier"
	str                // a 'string literal'
	number             // a numeric literal or a $n parameter
	punct              // anything else, one character (or "::")
)

// token is one lexical unit of SQL with the line it starts on.
type token struct {
	kind kind
	text string // upper case for words
	line int
}

// tokenize cuts SQL into tokens, dropping comments and white space.
func tokenize(sql string) []token {
	var out []token
	line := 1
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				end = len(sql) - i - 4
			}
			line += strings.Count(sql[i:i+end+4], "\n")
			i += end + 4
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(sql) {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			k := str
			if c == '"' {
				k = quoted
			}
			end := min(j+1, len(sql))
			out = append(out, token{kind: k, text: sql[i:end], line: line})
			line += strings.Count(sql[i:end], "\n")
			i = end
		case isWordStart(c):
			j := i
			for j < len(sql) && isWordPart(sql[j]) {
				j++
			}
			out = append(out, token{kind: word, text: strings.ToUpper(sql[i:j]), line: line})
			i = j
		case c == '$' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(sql) && (isWordPart(sql[j]) || sql[j] == '.') {
				j++
			}
			out = append(out, token{kind: number, text: sql[i:j], line: line})
			i = j
		case c == ':' && i+1 < len(sql) && sql[i+1] == ':':
			out = append(out, token{kind: punct, text: "::", line: line})
			i += 2
		default:
			out = append(out, token{kind: punct, text: string(c), line: line})
			i++
		}
	}
	return out
}

func isWordStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isWordPart(c byte) bool { return isWordStart(c) || (c >= '0' && c <= '9') || c == '$' }

// statements splits tokens at semicolons.
func statements(toks []token) [][]token {
	var out [][]token
	start := 0
	for i, t := range toks {
		if t.kind == punct && t.text == ";" {
			if i > start {
				out = append(out, toks[start:i])
			}
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}
