package sqlset

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestParseAndOverride(t *testing.T) {
	base := MustParse(fstest.MapFS{"a.sql": {Data: []byte("-- comment\n-- name: one\nSELECT 1;\n-- name: two\nSELECT 2; SELECT ';--' AS x;\n")}})
	eng := MustParse(fstest.MapFS{"b.sql": {Data: []byte("-- name: two\nSELECT 22;\n")}})
	s := base.Override(eng)
	if got, _ := s.Statements("one"); !reflect.DeepEqual(got, []string{"SELECT 1"}) {
		t.Errorf("one = %q", got)
	}
	if got, _ := s.Statements("two"); !reflect.DeepEqual(got, []string{"SELECT 22"}) {
		t.Errorf("two = %q (override lost)", got)
	}
	if got, _ := base.Statements("two"); !reflect.DeepEqual(got, []string{"SELECT 2", "SELECT ';--' AS x"}) {
		t.Errorf("base two = %q", got)
	}
	if _, err := s.Text("three"); err == nil {
		t.Error("missing block gave no error")
	}
}

func TestParseRejectsDuplicatesAndOrphans(t *testing.T) {
	if _, err := Parse(fstest.MapFS{"a.sql": {Data: []byte("-- name: x\nSELECT 1;\n-- name: x\nSELECT 2;")}}); err == nil {
		t.Error("duplicate block accepted")
	}
	if _, err := Parse(fstest.MapFS{"a.sql": {Data: []byte("SELECT 1;\n-- name: x\nSELECT 2;")}}); err == nil {
		t.Error("SQL outside a block accepted")
	}
}

func TestSplitQuotesAndComments(t *testing.T) {
	got := Split("INSERT INTO t VALUES ('a;b', \"c;d\"); -- trailing; comment\nSELECT 'it''s;';")
	want := []string{"INSERT INTO t VALUES ('a;b', \"c;d\")", "-- trailing; comment\nSELECT 'it''s;'"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestArgsPassesOnlyReferencedParams(t *testing.T) {
	args := []any{1, 2, 3}
	for stmt, want := range map[string]int{
		"SELECT 1":                0,
		"SELECT $1":               1,
		"SELECT $2, $1":           2,
		"SELECT $12":              0,
		"SELECT $3 WHERE x = $10": 3,
	} {
		if got := len(Args(stmt, args)); got != want {
			t.Errorf("%q: %d args, want %d", stmt, got, want)
		}
	}
}
