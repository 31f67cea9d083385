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
