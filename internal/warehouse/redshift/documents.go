package redshift

import (
	"encoding/json"
	"fmt"
)

// Manifest is a COPY manifest: exactly the objects one COPY reads. Every
// entry is mandatory, so a file that vanished fails the COPY instead of
// being skipped silently.
type Manifest struct {
	Entries []ManifestEntry `json:"entries"`
}

// ManifestEntry is one object of a manifest.
type ManifestEntry struct {
	URL       string `json:"url"`
	Mandatory bool   `json:"mandatory"`
}

// NewManifest lists urls (s3://bucket/key) as mandatory entries.
func NewManifest(urls []string) (*Manifest, error) {
	m := &Manifest{Entries: make([]ManifestEntry, 0, len(urls))}
	for _, u := range urls {
		if len(u) < 6 || u[:5] != "s3://" {
			return nil, fmt.Errorf("manifest entry %q is not an s3:// URL", u)
		}
		m.Entries = append(m.Entries, ManifestEntry{URL: u, Mandatory: true})
	}
	if len(m.Entries) == 0 {
		return nil, fmt.Errorf("a manifest needs at least one file")
	}
	return m, nil
}

// JSON renders the manifest.
func (m *Manifest) JSON() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// eventPaths maps the raw event columns (in this order) to the fields of a
// log line. Field names in a JSONPath are case-sensitive: these are the
// original project's camelCase names.
var eventPaths = []struct{ Column, Path string }{
	{"artist", "$['artist']"},
	{"auth", "$['auth']"},
	{"firstname", "$['firstName']"},
	{"gender", "$['gender']"},
	{"iteminsession", "$['itemInSession']"},
	{"lastname", "$['lastName']"},
	{"length", "$['length']"},
	{"level", "$['level']"},
	{"location", "$['location']"},
	{"method", "$['method']"},
	{"page", "$['page']"},
	{"registration", "$['registration']"},
	{"sessionid", "$['sessionId']"},
	{"song", "$['song']"},
	{"status", "$['status']"},
	{"ts", "$['ts']"},
	{"useragent", "$['userAgent']"},
	{"userid", "$['userId']"},
}

// EventColumns are the columns COPY fills in tmp_copy_events, in the order
// of the JSONPaths document.
func EventColumns() []string {
	out := make([]string, len(eventPaths))
	for i, p := range eventPaths {
		out[i] = p.Column
	}
	return out
}

// EventJSONPaths is the JSONPaths document sparkify writes to the stage and
// gives COPY for the logs.
func EventJSONPaths() []byte {
	doc := struct {
		JSONPaths []string `json:"jsonpaths"`
	}{}
	for _, p := range eventPaths {
		doc.JSONPaths = append(doc.JSONPaths, p.Path)
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return append(b, '\n')
}
