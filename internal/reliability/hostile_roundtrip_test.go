package reliability

import (
	"strings"
	"testing"
)

// awkward are strings that must load and come back byte for byte: SQL and
// JSON metacharacters, emoji, mojibake, decomposed accents, separators.
var awkward = []string{
	`O'Brien "Bobby"`,
	`back\slash\\ and \n not a newline`,
	`'); DROP TABLE songs;--`,
	`Robert'); DELETE FROM users WHERE ('1'='1`,
	"Zoë 🎧🎸 👩🏽‍🎤",
	"CafÃ© ÃŸ Ã¼ber â€œquotedâ€\u009d", // UTF-8 read as Latin-1, twice over
	"Beyonce\u0301 vs Beyonc\u00e9",    // decomposed and precomposed é
	"line\u2028separator\u2029paragraph",
	"$1 %s %d ? :name {{.}} ${HOME}",
	"\u00a0non-breaking\u00a0spaces ",
}

// roundTripCases load awkward strings through every text column on the
// way to the star and compare them with the strings written.
func roundTripCases() []hcase {
	var lines []string
	var songLines []string
	for i, s := range awkward {
		uid := "rt" + string(rune('a'+i))
		p := play(uid, i+1).with("firstName", s).with("lastName", s).with("location", s).
			with("userAgent", s).with("song", s).with("artist", s)
		lines = append(lines, p.line())
		songLines = append(songLines, song(i+1).with("title", s).with("artist_name", s).with("artist_location", s).line())
	}
	// Plays match catalog songs on title, artist name and duration: give
	// the first play the first song's duration, so the join sees an awkward key.
	lines[0] = strings.Replace(lines[0], `"length":201.5`, `"length":101.25`, 1)
	var files []hfile
	for i, l := range songLines {
		files = append(files, songf("A/B/"+string(rune('a'+i))+".json", l+"\n"))
	}
	files = append(files, logf("2018/11/2018-11-01-events.json", jsonl(lines...)))
	return []hcase{{
		name:  "quotes, backslashes, SQL, emoji and mojibake round-trip",
		files: files,
		songs: int64(len(awkward)), logs: int64(len(awkward)),
		check: func(t *testing.T, r *caseRun) {
			for i, s := range awkward {
				uid := "rt" + string(rune('a'+i))
				wantRows(t, r, "SELECT first_name, last_name FROM users WHERE user_id = '"+uid+"'", s+"|"+s)
				wantRows(t, r, "SELECT song_title, artist_name, location, user_agent FROM songplays WHERE user_id = '"+uid+"'",
					s+"|"+s+"|"+s+"|"+s)
				wantRows(t, r, "SELECT title, artist_name FROM songs WHERE song_id = '"+song(i + 1)["song_id"].(string)+"'", s+"|"+s)
				wantRows(t, r, "SELECT name, location FROM artists WHERE artist_id = '"+song(i + 1)["artist_id"].(string)+"'", s+"|"+s)
			}
			// The first play matched its song through the awkward title and artist.
			wantRows(t, r, "SELECT song_id FROM songplays WHERE user_id = 'rta'", song(1)["song_id"].(string))
			wantCount(t, r, "songs", int64(len(awkward)))
		},
	}}
}
