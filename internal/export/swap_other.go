//go:build !linux

package export

import "errors"

// atomicExchange is not available here: the caller falls back to two renames.
func atomicExchange(a, b string) error {
	return errors.New("atomic exchange not supported on this system")
}
