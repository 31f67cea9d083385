package source

import (
	"encoding/hex"

	"github.com/zeebo/xxh3"
)

// ContentPrefix starts a fingerprint sparkify computed from the bytes
// itself, as opposed to one a backend knows (an S3 ETag).
const ContentPrefix = "xxh3:"

// ContentFingerprint names content by the xxh3-128 of its bytes as stored,
// the fingerprint recorded for objects whose source knows none.
func ContentFingerprint(h *xxh3.Hasher128) string {
	return ContentPrefix + hex.EncodeToString(h.Sum(nil))
}
