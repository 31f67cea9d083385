package cli

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/sparkify/sparkify/internal/export"
	"github.com/sparkify/sparkify/internal/iostreams"
)

func TestExportFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		check   func(t *testing.T, o export.Options, e *ExportOptions)
		wantErr string
	}{
		{name: "defaults", args: []string{"--out", "lake"}, check: func(t *testing.T, o export.Options, e *ExportOptions) {
			if o.Out != "lake" || o.Format != export.Parquet || len(o.Tables) != 0 || e.Wait || e.JSON {
				t.Errorf("options %+v (%+v)", o, e)
			}
		}},
		{name: "all flags", args: []string{"--out", "s3://b/p", "--tables", "Songs, time", "--format", "CSV", "--wait", "--json"},
			check: func(t *testing.T, o export.Options, e *ExportOptions) {
				if o.Out != "s3://b/p" || o.Format != export.CSV || !slices.Equal(o.Tables, []string{"songs", "time"}) || !e.Wait || !e.JSON {
					t.Errorf("options %+v (%+v)", o, e)
				}
			}},
		{name: "no out", args: []string{}, wantErr: "--out is required"},
		{name: "bad format", args: []string{"--out", "x", "--format", "orc"}, wantErr: "use parquet or csv"},
		{name: "unknown table", args: []string{"--out", "x", "--tables", "songplays,staging_events"}, wantErr: `"staging_events": choose from songplays, users, songs, artists, time, user_levels`},
		{name: "table twice", args: []string{"--out", "x", "--tables", "users,users"}, wantErr: "named twice"},
		{name: "empty tables", args: []string{"--out", "x", "--tables", ","}, wantErr: "--tables is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			f := NewFactory(io, func(string) string { return "" })
			var got *ExportOptions
			cmd := newExportCmdRun(f, func(o *ExportOptions) error { got = o; return nil })
			cmd.SetArgs(c.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			o, err := got.exportOptions()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || ExitCode(err) != ExitUsage {
					t.Errorf("err = %v (exit %d), want a usage error about %s", err, ExitCode(err), c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, o, got)
		})
	}
}

func TestExportExitCodes(t *testing.T) {
	dir := t.TempDir()
	wh := []string{"--warehouse", "duckdb:" + filepath.Join(dir, "w.duckdb")}
	for _, args := range [][]string{
		{"export", "--out", filepath.Join(dir, "x"), "--tables", "bogus"},
		{"export", "--out", filepath.Join(dir, "x"), "--format", "avro"},
		{"export", "extra-arg", "--out", filepath.Join(dir, "x")},
		{"export"},
		{"export", "--out", "s3://"},
	} {
		r := runCLI(t, nil, append(args, wh...)...)
		if r.code != ExitUsage || !strings.Contains(r.err, "error:") {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, r.code, ExitUsage, r.err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "w.duckdb")); err == nil {
		t.Error("a usage error opened (created) the warehouse")
	}
}

// TestExportEndToEnd loads the sample with 'sparkify etl' and exports it:
// the summary, the --json result, the files on disk, a rerun with other
// flags, and a refusal to replace a folder of other files.
func TestExportEndToEnd(t *testing.T) {
	dir := t.TempDir()
	wh := []string{"--warehouse", "duckdb:" + filepath.Join(dir, "w.duckdb")}
	if r := runCLI(t, nil, append(append([]string{"etl"}, sampleArgs(t)...), wh...)...); r.code != 0 {
		t.Fatalf("etl: exit %d: %s", r.code, r.err)
	}
	lake := filepath.Join(dir, "lake")
	r := runCLI(t, nil, append([]string{"export", "--out", lake}, wh...)...)
	// 6820 NextSong plays with a user: counted in the raw files (see etl_test.go).
	if r.code != 0 || !strings.Contains(r.out, "Exported 7 tables") || !strings.Contains(r.out, "6820 rows") ||
		!strings.Contains(r.out, "as of load 1") || !strings.Contains(r.out, lake+"/manifest.json") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.err)
	}
	if _, err := os.Stat(filepath.Join(lake, "songplays", "year=2018", "month=11", "data_0.parquet")); err != nil {
		t.Errorf("songplays partition file: %v", err)
	}

	r = runCLI(t, nil, append([]string{"export", "--out", lake, "--tables", "users", "--format", "csv", "--json"}, wh...)...)
	var res export.Result
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || r.code != 0 {
		t.Fatalf("exit %d, --json output %v:\n%s\n%s", r.code, err, r.out, r.err)
	}
	m, err := export.ReadManifest(lake)
	if err != nil || len(m.Tables) != 1 || m.Tables[0].Name != "users" || m.Format != export.CSV || res.Manifest.ID != m.ID || res.Location != lake {
		t.Errorf("manifest on disk %+v (%v); --json said %+v", m, err, res)
	}

	foreign := filepath.Join(dir, "docs")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "report.txt"), []byte("mine"), 0o644)
	r = runCLI(t, nil, append([]string{"export", "--out", foreign}, wh...)...)
	if r.code != ExitFailure || !strings.Contains(r.err, "not a sparkify export") {
		t.Errorf("export over a foreign folder: exit %d, stderr %q", r.code, r.err)
	}
}

// TestExportToS3 runs the command against an in-process S3 server named by
// AWS_ENDPOINT_URL_S3, as a user would point it at MinIO.
func TestExportToS3(t *testing.T) {
	backend := s3mem.New()
	backend.CreateBucket("lake")
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	missing := filepath.Join(t.TempDir(), "missing")
	for k, v := range map[string]string{"AWS_CONFIG_FILE": missing, "AWS_SHARED_CREDENTIALS_FILE": missing,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_ENDPOINT_URL": "", "AWS_SESSION_TOKEN": "",
		"AWS_ENDPOINT_URL_S3": srv.URL, "AWS_REGION": "us-west-2", "AWS_ACCESS_KEY_ID": "AKIATEST", "AWS_SECRET_ACCESS_KEY": "secret"} {
		t.Setenv(k, v)
	}
	dir := t.TempDir()
	wh := []string{"--warehouse", "duckdb:" + filepath.Join(dir, "w.duckdb")}
	if r := runCLI(t, nil, append(append([]string{"etl"}, sampleArgs(t)...), wh...)...); r.code != 0 {
		t.Fatalf("etl: exit %d: %s", r.code, r.err)
	}
	r := runCLI(t, nil, append([]string{"export", "--out", "s3://lake/sparkify", "--tables", "songs", "--json"}, wh...)...)
	var res export.Result
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v:\n%s\n%s", r.code, err, r.out, r.err)
	}
	obj, err := backend.GetObject("lake", "sparkify/manifest.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Contents.Close()
	var m export.Manifest
	if err := json.NewDecoder(obj.Contents).Decode(&m); err != nil || m.Root != "_v/"+m.ID+"/" || res.Manifest.Root != m.Root ||
		m.Table("songs") == nil || m.Table("songs").Rows != 71 { // the sample has 71 song files, one song each
		t.Errorf("pointer manifest %+v (%v); result %+v", m, err, res.Manifest)
	}
}
