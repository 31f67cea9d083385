package generate

import (
	"math/rand/v2"
	"strings"
)

// makeTitle invents a song title: a few words, sometimes joined by a phrase,
// sometimes with a version suffix or an accented word.
func makeTitle(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(pick(r, titleWords))
	switch x := r.IntN(10); {
	case x < 3:
		b.WriteString(" " + pick(r, titleWords))
	case x < 6:
		b.WriteString(" " + pick(r, titleGlue) + " " + pick(r, titleWords))
	case x < 7:
		b.WriteString(" " + pick(r, titleWords) + " " + pick(r, titleGlue) + " " + pick(r, titleWords))
	}
	if r.IntN(20) == 0 {
		b.WriteString(" " + pick(r, accentedWords))
	}
	if r.IntN(7) == 0 {
		b.WriteString(" " + pick(r, titleSuffixes))
	}
	return b.String()
}

// makeArtistName invents an artist: a band, a person, or a collaboration.
func makeArtistName(r *rand.Rand) string {
	var name string
	switch x := r.IntN(20); {
	case x < 7:
		name = pick(r, bandAdjectives) + " " + pick(r, bandNouns)
	case x < 10:
		name = "The " + pick(r, bandAdjectives) + " " + pick(r, bandNouns)
	case x < 16:
		first := firstNamesM
		if r.IntN(2) == 0 {
			first = firstNamesF
		}
		name = pick(r, first) + " " + pick(r, lastNames)
	case x < 18:
		name = pick(r, accentedWords) + " " + pick(r, bandNouns)
	case x < 19:
		name = pick(r, firstNamesF) + " " + pick(r, lastNames) + " feat. " + pick(r, firstNamesM) + " " + pick(r, lastNames)
	default:
		name = pick(r, bandAdjectives) + " " + pick(r, bandNouns) + " / " + pick(r, firstNamesM) + " " + pick(r, lastNames)
	}
	return name
}

// misdecode reads the UTF-8 bytes of s as if they were Latin-1: what a
// pipeline that gets encodings wrong does to "é", making "Ã©".
func misdecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// mojibake is the twice-misdecoded text of the real event logs:
// "Beyoncé" becomes "BeyoncÃ\u0083Â©".
func mojibake(s string) string { return misdecode(misdecode(s)) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// quoteAgent puts a user agent with a comma in quotes, as the logs do.
func quoteAgent(ua string) string {
	if strings.Contains(ua, ",") {
		return `"` + ua + `"`
	}
	return ua
}

const (
	upperLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	upperAlnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	upperHex     = "0123456789ABCDEF"
)

// msdID makes an 18-character id like the Million Song Dataset's: the
// prefix, characters from head up to the 7th, eleven hex digits
// (TRABBNP128F932546F).
func msdID(r *rand.Rand, prefix, head string) string {
	b := make([]byte, 0, 18)
	b = append(b, prefix...)
	for len(b) < 7 {
		b = append(b, head[r.IntN(len(head))])
	}
	for range 11 {
		b = append(b, upperHex[r.IntN(16)])
	}
	return string(b)
}

// uniqueID draws ids until one is new to seen.
func uniqueID(r *rand.Rand, seen map[string]struct{}, prefix, head string) string {
	for {
		id := msdID(r, prefix, head)
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			return id
		}
	}
}
