package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/sparkify/sparkify/internal/testutil"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// publicBucket serves the real sample from an in-process S3 server as the
// public bucket "udacity-dend" (song_data/, log_data/), points the SDK at it
// with an empty credential chain, and counts requests that carried an
// Authorization header. It returns the non-empty lines of each kind.
func publicBucket(t *testing.T) (signed *atomic.Int64, lines map[string]int64) {
	t.Helper()
	missing := filepath.Join(t.TempDir(), "missing")
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE": missing, "AWS_SHARED_CREDENTIALS_FILE": missing, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_PROFILE": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
		"AWS_ENDPOINT_URL": "", "AWS_REGION": "us-west-2",
	} {
		t.Setenv(k, v)
	}
	backend := s3mem.New()
	if err := backend.CreateBucket("udacity-dend"); err != nil {
		t.Fatal(err)
	}
	lines = map[string]int64{}
	dir := testutil.SampleDir(t)
	warehousetest.WalkJSON(t, dir, func(rel string, data []byte) {
		kind := map[bool]string{true: "song", false: "log"}[strings.HasPrefix(rel, "song_data")]
		lines[kind] += nonEmptyLines(data)
		if _, err := backend.PutObject("udacity-dend", filepath.ToSlash(rel), map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
			t.Fatal(err)
		}
	})
	signed = &atomic.Int64{}
	inner := gofakes3.New(backend).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			signed.Add(1)
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL_S3", srv.URL)
	return signed, lines
}

// TestETLFromPublicBucketWithoutCredentials: etl reads the public bucket
// unsigned, says so in one line, and loads every line of the sample.
func TestETLFromPublicBucketWithoutCredentials(t *testing.T) {
	signed, lines := publicBucket(t)
	args := append([]string{"etl", "--no-sign-request", "--json", "--no-check",
		"--songs", "s3://udacity-dend/song_data", "--logs", "s3://udacity-dend/log_data"}, tempWarehouse(t)...)
	r := runCLI(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if n := strings.Count(r.err, "unsigned requests"); n != 1 || !strings.Contains(r.err, "--no-sign-request") {
		t.Errorf("stderr should say once that reads are unsigned: %q", r.err)
	}
	var res struct {
		Sources []struct {
			Kind      string `json:"kind"`
			LinesRead int64  `json:"lines_read"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(r.out), &res); err != nil {
		t.Fatalf("%v: %s", err, r.out)
	}
	for _, s := range res.Sources {
		if s.LinesRead != lines[s.Kind] || s.LinesRead == 0 {
			t.Errorf("%s: read %d lines, the files hold %d", s.Kind, s.LinesRead, lines[s.Kind])
		}
	}
	if n := signed.Load(); n != 0 {
		t.Errorf("%d signed requests reached S3", n)
	}
}

// TestETLFailedListingIsTheErrorAlone: no "nothing new" line before the
// error when a listing fails; with no credentials at all the reads fall back
// to unsigned without being asked.
func TestETLFailedListingIsTheErrorAlone(t *testing.T) {
	publicBucket(t)
	args := append([]string{"etl", "--songs", "s3://no-such-bucket/song_data", "--logs", "s3://udacity-dend/log_data"}, tempWarehouse(t)...)
	r := runCLI(t, nil, args...)
	if r.code != ExitFailure || !strings.Contains(r.err, "no-such-bucket") {
		t.Fatalf("exit %d, stderr %q", r.code, r.err)
	}
	if strings.Contains(r.out+r.err, "Nothing new") || r.out != "" {
		t.Errorf("a failed listing printed a summary: stdout %q, stderr %q", r.out, r.err)
	}
	if !strings.Contains(r.err, "unsigned requests (no AWS credentials found)") {
		t.Errorf("stderr should say the reads fell back to unsigned: %q", r.err)
	}
}
