package reliability

import (
	"strings"
	"testing"
)

// hostileCases are all the hostile-input cases: bad lines here, bad files
// in fileCases, strings that must round-trip in roundTripCases.
func hostileCases(t *testing.T) []hcase {
	cases := lineCases()
	cases = append(cases, fileCases(t)...)
	cases = append(cases, nameCases()...)
	return append(cases, roundTripCases()...)
}

// twoGood are two good events framing a bad line, so a case also shows
// that the lines around a bad one still load.
func twoGood(uid string) (string, string) { return play(uid, 1).line(), home(uid, 2).line() }

// badBetween is a log file good / bad / good with the bad line rejected at
// line 2 for reason.
func badBetween(name, bad, reason string) hcase {
	a, b := twoGood("7")
	return hcase{
		name:    name,
		files:   []hfile{logf("2018/11/e.json", jsonl(a, bad, b))},
		logs:    2,
		rejects: []wantReject{rjLog("2018/11/e.json", 2, reason)},
	}
}

// lineCases are single bad lines in otherwise good log files.
func lineCases() []hcase {
	p := play("7", 3)
	return []hcase{
		{
			name:  "good baseline",
			files: []hfile{logf("a.json", jsonl(play("1", 1).line(), play("2", 2).line(), home("1", 3).line())), songf("s.json", song(1).line())},
			songs: 1, logs: 3,
			check: func(t *testing.T, r *caseRun) { wantCount(t, r, "songplays", 2) },
		},
		badBetween("invalid UTF-8", strings.Replace(p.line(), "First7", "Fir\xffst", 1), "UTF-8"),
		badBetween("line is an array", `[1,2,3]`, "not a JSON object"),
		badBetween("line is a number", `42`, "not a JSON object"),
		badBetween("line is a string", `"NextSong"`, "not a JSON object"),
		badBetween("line is null", `null`, "not a JSON object"),
		badBetween("missing ts", p.without("ts").line(), "field ts: missing"),
		badBetween("missing userId", p.without("userId").line(), "field userId: missing"),
		badBetween("missing page", p.without("page").line(), "field page: missing"),
		badBetween("play without song", p.with("song", nil).line(), "field song"),
		badBetween("numeric userId", p.with("userId", 7).line(), "field userId"),
		badBetween("string ts", p.with("ts", "1541106106796").line(), "field ts"),
		badBetween("ts far in the future", p.with("ts", int64(99999999999999)).line(), "field ts"),
		badBetween("ts in the year 2100", p.with("ts", int64(4102444800001)).line(), "field ts"),
		badBetween("ts before 1970", p.with("ts", -1).line(), "field ts"),
		badBetween("NaN length", p.with("length", rawJSON("NaN")).line(), "invalid JSON"),
		badBetween("Infinity length", p.with("length", rawJSON("Infinity")).line(), "invalid JSON"),
		badBetween("-Infinity registration", p.with("registration", rawJSON("-Infinity")).line(), "invalid JSON"),
		badBetween("number overflowing to infinity", p.with("length", rawJSON("1e400")).line(), "field length"),
		badBetween("object as level", p.with("level", obj{"a": 1}).line(), "field level"),
		badBetween("array as userId", p.with("userId", []string{"7"}).line(), "field userId"),
		badBetween("object as sessionId", p.with("sessionId", obj{"id": 1}).line(), "field sessionId"),
		badBetween("boolean as song", p.with("song", true).line(), "field song"),
		badBetween("fractional itemInSession", p.with("itemInSession", 1.5).line(), "field itemInSession"),
		badBetween("sessionId beyond int64", p.with("sessionId", rawJSON("1e30")).line(), "field sessionId"),
		badBetween("field given twice", strings.Replace(p.line(), `"level":"free"`, `"level":"free","level":"paid"`, 1), "level"),
		badBetween("escaped NUL in a string", p.with("firstName", "a\x00b").line(), "NUL"),
		badBetween("raw NUL byte", strings.Replace(p.line(), "First7", "Fi\x00rst", 1), "invalid JSON"),
		badBetween("raw tab inside a string", strings.Replace(p.line(), "First7", "Fi\trst", 1), "invalid JSON"),
		badBetween("raw control character before an escape", strings.Replace(p.line(), "First7", "Fi\x01rst\\n", 1), "invalid JSON"),
		badBetween("trailing garbage", p.line()+" x", "invalid JSON"),
		badBetween("two objects on a line", p.line()+p.line(), "invalid JSON"),
		badBetween("lone UTF-16 surrogate", p.with("firstName", rawJSON(`"\ud800x"`)).line(), "surrogate"),
		badBetween("10k-deep nesting", p.with("deep", rawJSON(strings.Repeat("[", 10000)+strings.Repeat("]", 10000))).line(), "invalid JSON"),
		badBetween("byte-order mark on line 2", "\xEF\xBB\xBF"+p.line(), "invalid JSON"),
		badBetween("10 MB of junk on one line", strings.Repeat("x", 10<<20), "invalid JSON"),
		{
			name:  "optional fields missing or null",
			files: []hfile{logf("a.json", jsonl(play("1", 1).without("location", "gender", "registration", "status", "auth", "method", "userAgent").line(), home("1", 2).with("firstName", nil).line()))},
			logs:  2,
			check: func(t *testing.T, r *caseRun) {
				wantRows(t, r, "SELECT location, user_agent FROM songplays", "NULL|NULL")
			},
		},
		{
			name:  "extra fields kept",
			files: []hfile{logf("a.json", jsonl(play("1", 1).with("device", obj{"os": "ios"}).with("experiment", "b").line()))},
			logs:  1,
			check: func(t *testing.T, r *caseRun) {
				wantRows(t, r, "SELECT extra FROM staging_events", `{"device":{"os":"ios"},"experiment":"b"}`)
				if got := strings.Join(r.res.Source("log").NewFields, ","); got != "device,experiment" {
					t.Errorf("new fields %q, want device,experiment", got)
				}
			},
		},
		{
			name: "whole numbers written as floats, logged-out plays",
			files: []hfile{logf("a.json", jsonl(play("1", 1).with("itemInSession", rawJSON("1.0")).with("ts", rawJSON("1541030460000.0")).line(),
				play("", 2).line()))},
			logs: 2,
			// A play without a user is staged but is no songplay.
			check: func(t *testing.T, r *caseRun) { wantCount(t, r, "songplays", 1) },
		},
		{
			name: "duplicate events across files and within one",
			files: []hfile{logf("2018/11/a.json", jsonl(play("1", 1).line(), play("1", 2).line(), play("1", 1).line())),
				logf("2018/11/b.json", jsonl(play("1", 2).line(), play("2", 3).line()))},
			logs:  5,
			check: func(t *testing.T, r *caseRun) { wantCount(t, r, "songplays", 3) },
		},
		{
			name:  "blank and white-space lines are not records",
			files: []hfile{logf("a.json", "\n\n"+play("1", 1).line()+"\n   \n\t\n"+play("1", 2).line()+"\n\n")},
			logs:  2,
		},
	}
}

// wantCount checks a table's row count.
func wantCount(t *testing.T, r *caseRun, table string, want int64) {
	t.Helper()
	if n := queryInt(t, r.wh.DB(), "SELECT COUNT(*) FROM "+table); n != want {
		t.Errorf("%s has %d rows, want %d", table, n, want)
	}
}

// wantRows checks a query's rows, rendered by queryStrings.
func wantRows(t *testing.T, r *caseRun, query string, want ...string) {
	t.Helper()
	got := queryStrings(t, r.wh.DB(), query)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got  %q\n want %q", query, got, want)
	}
}
