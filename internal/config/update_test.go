package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const classic = `# sparkify settings
[CLUSTER]
HOST=''
DB_NAME='dwh'
DB_USER='dwhuser'
DB_PASSWORD='Passw0rd-from-file'
DB_PORT='5439'

; the role Redshift uses to read S3
[IAM_ROLE]
ARN='arn:aws:iam::123456789012:role/old'

[S3]
LOG_DATA='s3://udacity-dend/log_data'
`

func TestUpdateBytesKeepsEveryOtherLine(t *testing.T) {
	out, err := UpdateBytes([]byte(classic), HostUpdate("new.host"), RoleARNUpdate("arn:new"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(classic, "HOST=''", "HOST='new.host'", 1)
	want = strings.Replace(want, "ARN='arn:aws:iam::123456789012:role/old'", "ARN='arn:new'", 1)
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	compareOtherLines(t, classic, string(out), 2)
}

// compareOtherLines checks that all but changed lines are byte-identical
// and in the same order.
func compareOtherLines(t *testing.T, before, after string, changed int) {
	t.Helper()
	b, a := strings.SplitAfter(before, "\n"), strings.SplitAfter(after, "\n")
	if len(a) != len(b) {
		t.Fatalf("line count %d -> %d", len(b), len(a))
	}
	diff := 0
	for i := range b {
		if a[i] != b[i] {
			diff++
		}
	}
	if diff != changed {
		t.Errorf("%d lines changed, want %d", diff, changed)
	}
}

func TestUpdateBytesAddsKeysAndSections(t *testing.T) {
	in := "[CLUSTER]\r\nDB_NAME = dwh\r\n\r\n# comment kept\r\n[S3]\r\nSONG_DATA = x"
	out, err := UpdateBytes([]byte(in), HostUpdate("h.example"), RoleARNUpdate("arn:r"))
	if err != nil {
		t.Fatal(err)
	}
	want := "[CLUSTER]\r\nDB_NAME = dwh\r\nHOST = h.example\r\n\r\n# comment kept\r\n[S3]\r\nSONG_DATA = x\r\n\r\n[IAM_ROLE]\r\nARN = arn:r\r\n"
	if string(out) != want {
		t.Errorf("got %q\nwant %q", out, want)
	}
}

func TestUpdateBytesUsesExistingSpelling(t *testing.T) {
	in := "[iam_role]\nrole_arn: \"old\"\n[dwh]\nDWH_ENDPOINT=x\n[cluster]\nendpoint=old\n"
	out, err := UpdateBytes([]byte(in), HostUpdate("h"), RoleARNUpdate("new"))
	if err != nil {
		t.Fatal(err)
	}
	want := "[iam_role]\nrole_arn: \"new\"\n[dwh]\nDWH_ENDPOINT=x\n[cluster]\nendpoint=h\n"
	if string(out) != want {
		t.Errorf("got %q\nwant %q", out, want)
	}
	if _, err := UpdateBytes([]byte(in), HostUpdate("a\nb")); err == nil {
		t.Error("a value with a line break was accepted")
	}
}

func TestUpdateFileAtomicKeepsModeAndRoundTrips(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dwh.cfg")
	if err := os.WriteFile(path, []byte(classic), 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o640)
	changed, err := UpdateFile(path, HostUpdate("c.abc.us-west-2.redshift.amazonaws.com"), RoleARNUpdate("arn:aws:iam::1:role/r"))
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", st.Mode().Perm())
	}
	c, err := Load(Flags{ConfigFile: path}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Cluster.Host != "c.abc.us-west-2.redshift.amazonaws.com" || c.IAMRole.ARN != "arn:aws:iam::1:role/r" {
		t.Errorf("read back host %q arn %q", c.Cluster.Host, c.IAMRole.ARN)
	}
	if c.Cluster.DBPassword.Reveal() != "Passw0rd-from-file" {
		t.Error("the password line was damaged")
	}
	changed, err = UpdateFile(path, HostUpdate("c.abc.us-west-2.redshift.amazonaws.com"))
	if err != nil || changed {
		t.Errorf("same value rewrote the file: changed=%v err=%v", changed, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestUpdateFileCreatesMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dwh.cfg")
	if _, err := UpdateFile(path, HostUpdate("h"), RoleARNUpdate("a")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "[CLUSTER]\nHOST=h\n\n[IAM_ROLE]\nARN=a\n" {
		t.Errorf("got %q", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
}

// 'cluster down' empties HOST and the role ARN, under whichever spelling
// the file uses, and touches no other line; a file without them is left
// byte for byte.
func TestClearHostAndRoleKeepsEveryOtherLine(t *testing.T) {
	in := strings.Replace(classic, "HOST=''", "HOST='c.example'\nDWH_ENDPOINT=c.example", 1)
	out, err := UpdateBytes([]byte(in), ClearHost(), ClearRoleARN())
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(in, "HOST='c.example'\nDWH_ENDPOINT=c.example", "HOST=''\nDWH_ENDPOINT=", 1)
	want = strings.Replace(want, "ARN='arn:aws:iam::123456789012:role/old'", "ARN=''", 1)
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	compareOtherLines(t, in, string(out), 3)
	bare := "[S3]\nLOG_DATA=x\n"
	if out, _ := UpdateBytes([]byte(bare), ClearHost(), ClearRoleARN()); string(out) != bare {
		t.Errorf("clearing a file without the keys changed it:\n%s", out)
	}
}
