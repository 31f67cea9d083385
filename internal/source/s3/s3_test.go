package s3_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/source"
	"github.com/sparkify/sparkify/internal/source/resolve"
	"github.com/sparkify/sparkify/internal/source/s3"
)

func noSkip(t *testing.T) func(key, reason string) {
	return func(key, reason string) { t.Errorf("unexpected skip %s: %s", key, reason) }
}

func TestListPaginatesPastAThousandKeys(t *testing.T) {
	f := newFakeS3(t, "data")
	const n = 2345
	for i := range n {
		f.put("data", fmt.Sprintf("song_data/%c/%c/TR%05d.json", 'A'+i%3, 'A'+i%7, i), []byte(`{}`))
	}
	f.put("data", "song_data/README.txt", []byte("not data"))
	f.put("data", "song_data/A/", nil) // a console "folder"
	objs, err := f.source("s3://data/song_data").List(context.Background(), noSkip(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != n {
		t.Fatalf("listed %d objects, want %d", len(objs), n)
	}
	pages := 0
	for _, r := range f.log() {
		if strings.HasPrefix(r, "GET /data") && strings.Contains(r, "list-type=2") {
			pages++
		}
	}
	if pages < 3 {
		t.Errorf("%d list requests for %d keys: listing did not paginate (log %q)", pages, n, f.log()[:3])
	}
	for i := 1; i < len(objs); i++ {
		if objs[i-1].Key >= objs[i].Key {
			t.Fatalf("not in key order: %q then %q", objs[i-1].Key, objs[i].Key)
		}
	}
	o := objs[0]
	if strings.HasPrefix(o.Key, "song_data/") || !strings.HasPrefix(o.URI, "s3://data/song_data/") {
		t.Errorf("key %q should be relative to the prefix, URI %q absolute", o.Key, o.URI)
	}
	if o.Size != 2 || !strings.HasPrefix(o.Version, "etag:") || o.Version != o.Fingerprint || strings.Contains(o.Version, `"`) {
		t.Errorf("object %+v: want size 2 and the unquoted ETag as version and fingerprint", o)
	}
}

func TestNestedPrefixesAndSingleObject(t *testing.T) {
	f := newFakeS3(t, "data")
	f.put("data", "logs/2018/11/2018-11-01-events.json", []byte("{}\n"))
	f.put("data", "logs/2018/12/2018-12-01-events.json.gz", gz(t, "{}\n"))
	f.put("data", "logs_old/2018/11/2018-11-01-events.json", []byte("{}\n"))
	keys := func(uri string) []string {
		objs, err := f.source(uri).List(context.Background(), noSkip(t))
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		var out []string
		for _, o := range objs {
			out = append(out, o.Key)
		}
		return out
	}
	for uri, want := range map[string]string{
		"s3://data/logs":         "2018/11/2018-11-01-events.json 2018/12/2018-12-01-events.json.gz",
		"s3://data/logs/":        "2018/11/2018-11-01-events.json 2018/12/2018-12-01-events.json.gz",
		"s3://data/logs/2018/12": "2018-12-01-events.json.gz",
		"s3://data/logs/2018/11/2018-11-01-events.json": "2018-11-01-events.json",
		"s3://data": "logs/2018/11/2018-11-01-events.json logs/2018/12/2018-12-01-events.json.gz logs_old/2018/11/2018-11-01-events.json",
	} {
		if got := strings.Join(keys(uri), " "); got != want {
			t.Errorf("%s lists %q, want %q", uri, got, want)
		}
	}
}

func TestGzipObjectIsReadAsStored(t *testing.T) {
	f := newFakeS3(t, "data")
	f.put("data", "logs/day.json.gz", gz(t, "{\"a\":1}\n"))
	src := f.source("s3://data/logs")
	objs, err := src.List(context.Background(), noSkip(t))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := src.Open(context.Background(), objs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	zr, err := gzip.NewReader(rc)
	if err != nil {
		t.Fatalf("the object was not returned as stored (gzip): %v", err)
	}
	if b, _ := io.ReadAll(zr); string(b) != "{\"a\":1}\n" {
		t.Errorf("decompressed %q", b)
	}
}

func TestMissingBucketKeyAndPrefixSayWhatToDo(t *testing.T) {
	f := newFakeS3(t, "data")
	f.put("data", "logs/day.json", []byte("{}\n"))
	_, err := f.source("s3://no-such-bucket/logs").List(context.Background(), noSkip(t))
	if !errors.Is(err, s3.ErrNoSuchBucket) || !strings.Contains(err.Error(), `"no-such-bucket"`) || !strings.Contains(err.Error(), "check the s3:// location") {
		t.Errorf("missing bucket: %v", err)
	}
	_, err = f.source("s3://data/typo").List(context.Background(), noSkip(t))
	if err == nil || !strings.Contains(err.Error(), "s3://data/typo") || !strings.Contains(err.Error(), "no objects under this prefix") {
		t.Errorf("empty prefix: %v", err)
	}
	src := f.source("s3://data/logs")
	_, err = src.Open(context.Background(), source.Object{Key: "gone.json", URI: "s3://data/logs/gone.json", Size: 3})
	if !errors.Is(err, s3.ErrNoSuchKey) || !strings.Contains(err.Error(), "s3://data/logs/gone.json") || !strings.Contains(err.Error(), "rerun the load") {
		t.Errorf("missing key: %v", err)
	}
	if _, err := s3.New(context.Background(), "s3:///logs", f.config(), f.options()...); err == nil || !strings.Contains(err.Error(), "s3://bucket/prefix") {
		t.Errorf("no bucket in URI: %v", err)
	}
}

func TestTransientErrorsAreRetried(t *testing.T) {
	f := newFakeS3(t, "data")
	body := bytes.Repeat([]byte(`{"ts":1541105830796}`+"\n"), 500)
	f.put("data", "logs/day.json", body)
	src := f.source("s3://data/logs")
	f.failNext("/data", 2) // two 503s on the listing
	objs, err := src.List(context.Background(), noSkip(t))
	if err != nil {
		t.Fatalf("list after two 503s: %v", err)
	}
	f.failNext("/data/logs/day.json", 3)
	got := readAll(t, src, objs[0])
	if !bytes.Equal(got, body) {
		t.Fatalf("read %d bytes, want %d", len(got), len(body))
	}
	if n := f.count("GET /data/logs/day.json"); n != 4 {
		t.Errorf("%d GETs, want 3 failed + 1 good", n)
	}
}

func TestBrokenBodyResumesWithRange(t *testing.T) {
	f := newFakeS3(t, "data")
	body := gz(t, strings.Repeat(`{"ts":1541105830796,"page":"NextSong"}`+"\n", 5000))
	f.put("data", "logs/day.json.gz", body)
	src := f.source("s3://data/logs")
	objs, err := src.List(context.Background(), noSkip(t))
	if err != nil {
		t.Fatal(err)
	}
	f.cutNext("/data/logs/day.json.gz", 2)
	if got := readAll(t, src, objs[0]); !bytes.Equal(got, body) {
		t.Fatalf("resumed read gave %d bytes, want %d identical", len(got), len(body))
	}
	var ranges []string
	for _, r := range f.log() {
		if strings.Contains(r, "range=") {
			ranges = append(ranges, r)
		}
	}
	etag := strings.TrimPrefix(objs[0].Version, "etag:")
	if len(ranges) != 2 || !strings.Contains(ranges[0], "range=bytes=") || !strings.Contains(ranges[0], `if-match="`+etag+`"`) {
		t.Errorf("resume requests %q: want two ranged GETs pinned to ETag %s", ranges, etag)
	}

	f.cutNext("/data/logs/day.json.gz", 100) // never recovers
	rc, err := src.Open(context.Background(), objs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadAll(rc); err == nil || !strings.Contains(err.Error(), "gave up after 5 resumes") {
		t.Errorf("a body that always breaks: err = %v", err)
	}
}

func TestResolveHonoursAWSEndpointURL(t *testing.T) {
	f := newFakeS3(t, "data")
	f.put("data", "songs/A/x.json", []byte(`{}`))
	t.Setenv("AWS_ENDPOINT_URL", f.srv.URL)
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
	src, err := resolve.Open(context.Background(), "s3://data/songs", &config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := src.List(context.Background(), noSkip(t))
	if err != nil || len(objs) != 1 {
		t.Fatalf("list through AWS_ENDPOINT_URL: %v %v", objs, err)
	}
	if c, ok := src.(source.Concurrent); !ok || c.Concurrency() <= 2 {
		t.Errorf("an S3 source should ask for more readers than CPUs")
	}
}

func readAll(t *testing.T, src source.Source, obj source.Object) []byte {
	t.Helper()
	rc, err := src.Open(context.Background(), obj)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gz(t testing.TB, s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
