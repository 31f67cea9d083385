package postgres

import "testing"

func TestDescribeMasksKeywordPasswords(t *testing.T) {
	for dsn, want := range map[string]string{
		"host=db1 port=5432 user=me password=S3cr3tPw dbname=sparkify": "host=db1 port=5432 user=me password=******** dbname=sparkify",
		"host=db1 password = 'it''s a secret' dbname=x":                "host=db1 password = ******** dbname=x",
		"password=S3cr3tPw": "password=********",
		"host=db1 dbname=x": "host=db1 dbname=x",
	} {
		if !IsKeywordDSN(dsn) {
			t.Errorf("IsKeywordDSN(%q) = false", dsn)
		}
		if got := Describe(dsn); got != want {
			t.Errorf("Describe(%q) = %q, want %q", dsn, got, want)
		}
	}
	for _, dsn := range []string{"postgres://me:pw@db1/x", "duckdb:w.duckdb", "redshift://me@h:5439/d", "mysql://a=b"} {
		if IsKeywordDSN(dsn) {
			t.Errorf("IsKeywordDSN(%q) = true", dsn)
		}
	}
}
