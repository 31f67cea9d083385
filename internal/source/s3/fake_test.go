package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/source/s3"
)

// fakeS3 is gofakes3 on plain HTTP (see ../shared/notes/verified-here.md)
// behind a handler that records requests and injects failures.
type fakeS3 struct {
	t       testing.TB
	srv     *httptest.Server
	backend *s3mem.Backend

	mu       sync.Mutex
	requests []string       // "METHOD path?query range=..."
	fail     map[string]int // path -> how many more requests answer 503
	cut      map[string]int // path -> how many more GET bodies break halfway
}

func newFakeS3(t testing.TB, buckets ...string) *fakeS3 {
	t.Helper()
	isolateAWS(t)
	f := &fakeS3{t: t, backend: s3mem.New(), fail: map[string]int{}, cut: map[string]int{}}
	faker := gofakes3.New(f.backend)
	f.srv = httptest.NewServer(f.wrap(faker.Server()))
	t.Cleanup(f.srv.Close)
	for _, b := range buckets {
		if err := f.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// isolateAWS keeps a developer's ~/.aws and the instance metadata service
// out of the tests.
func isolateAWS(t testing.TB) {
	missing := t.TempDir() + "/missing"
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE": missing, "AWS_SHARED_CREDENTIALS_FILE": missing, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_PROFILE": "", "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_S3": "", "AWS_REGION": "", "AWS_DEFAULT_REGION": "",
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
}

// config is sparkify's configuration with the original project's static
// credentials, as read from aws_credentials.
func (f *fakeS3) config() *config.Config {
	return &config.Config{AWS: config.AWS{Key: "AKIATEST", Secret: "secret", Region: "us-west-2"}}
}

// options point a client at the fake, with tiny retry pauses.
func (f *fakeS3) options() []s3.Option {
	return []s3.Option{
		s3.WithRetries(5, 5, time.Millisecond),
		s3.WithS3Options(func(o *awss3.Options) {
			o.BaseEndpoint = aws.String(f.srv.URL)
			o.UsePathStyle = true
			o.Retryer = retry.NewStandard(func(r *retry.StandardOptions) {
				r.MaxAttempts = 5
				r.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
			})
		}),
	}
}

func (f *fakeS3) client() *s3.Client {
	f.t.Helper()
	c, err := s3.NewClient(context.Background(), f.config(), f.options()...)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fakeS3) source(uri string) *s3.Bucket {
	f.t.Helper()
	b, err := s3.New(context.Background(), uri, f.config(), f.options()...)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

func (f *fakeS3) put(bucket, key string, data []byte) {
	f.t.Helper()
	if _, err := f.backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		f.t.Fatalf("put %s/%s: %v", bucket, key, err)
	}
}

func (f *fakeS3) failNext(path string, n int) { f.mu.Lock(); f.fail[path] = n; f.mu.Unlock() }
func (f *fakeS3) cutNext(path string, n int)  { f.mu.Lock(); f.cut[path] = n; f.mu.Unlock() }

// count counts recorded requests that start with prefix.
func (f *fakeS3) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func (f *fakeS3) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

func (f *fakeS3) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		entry := r.Method + " " + r.URL.Path
		if r.URL.RawQuery != "" {
			entry += "?" + r.URL.RawQuery
		}
		if rg := r.Header.Get("Range"); rg != "" {
			entry += " range=" + rg + " if-match=" + r.Header.Get("If-Match")
		}
		f.requests = append(f.requests, entry)
		failing := f.fail[r.URL.Path] > 0
		if failing {
			f.fail[r.URL.Path]--
		}
		cutting := r.Method == http.MethodGet && f.cut[r.URL.Path] > 0
		if cutting {
			f.cut[r.URL.Path]--
		}
		f.mu.Unlock()
		if failing {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return
		}
		if !cutting {
			h.ServeHTTP(w, r)
			return
		}
		// Answer in full headers, then break the connection halfway through
		// the body, as a dropped connection does.
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		body := rec.Body.Bytes()
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	})
}
