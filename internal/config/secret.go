package config

// Secret is a string that must never be shown: every way of printing it
// (fmt verbs, JSON) yields a mask. Call Reveal to get the value.
type Secret string

const mask = "********"

// String returns a mask, or "" when the secret is empty.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return mask
}

// GoString returns a mask so %#v does not leak the value either.
func (s Secret) GoString() string { return s.String() }

// MarshalJSON encodes the mask, never the value.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// MarshalText encodes the mask, never the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the secret value, for handing to a driver or SDK.
func (s Secret) Reveal() string { return string(s) }
