//go:build linux

package export

import "golang.org/x/sys/unix"

// atomicExchange swaps two paths atomically (renameat2 RENAME_EXCHANGE), so the
// export folder is never missing, not even for an instant. It fails on
// file systems without the flag; the caller then falls back to renames.
func atomicExchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
