package export

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The export creates its folders with mode 0777 and its files with 0666,
// less the umask, as mkdir and touch do, so the published export is as
// readable as anything else the user creates there. DuckDB's COPY makes
// its folders 0755 and files 0644 (less the umask) whatever the umask
// allows: matchModes brings what it wrote in line.

// matchModes gives every folder under dir the permissions of dir (which
// the export created with 0777 less the umask) and every file the same
// less the execute bits (0666 less the umask).
func matchModes(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("read the mode of %s: %w", dir, err)
	}
	dirMode := info.Mode().Perm()
	fileMode := dirMode & 0o666
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		want := fileMode
		if d.IsDir() {
			want = dirMode
		} else if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Mode().Perm() == want {
			return err
		}
		return os.Chmod(p, want)
	})
	if err != nil {
		return fmt.Errorf("set the modes of the files written to %s: %w", dir, err)
	}
	return nil
}
