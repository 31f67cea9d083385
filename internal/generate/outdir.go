package generate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotEmpty means the output folder already holds something: a new data
// set is never mixed silently into another.
var ErrNotEmpty = errors.New("output folder is not empty")

// prepareDir makes dir ready for a new data set. A missing folder is
// created; an empty one is used. A non-empty one is refused unless force,
// which deletes dir/song_data and dir/log_data (what a run writes) and
// leaves anything else there alone.
func prepareDir(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("output folder %s: %w", dir, err)
	case len(entries) == 0:
		return nil
	case !force:
		return fmt.Errorf("%w: %s has %d entries (pass --force to replace its song_data and log_data)", ErrNotEmpty, dir, len(entries))
	}
	for _, sub := range []string{"song_data", "log_data"} {
		if err := os.RemoveAll(filepath.Join(dir, sub)); err != nil {
			return fmt.Errorf("clear %s: %w", filepath.Join(dir, sub), err)
		}
	}
	return nil
}
