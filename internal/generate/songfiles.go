package generate

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
)

// songPath is where a track's file goes: the 3rd, 4th and 5th characters
// of the track id name the folders, as in the real set
// (TRABBNP128F932546F is in song_data/A/B/B/).
func songPath(dir, trackID string) string {
	return filepath.Join(dir, "song_data", trackID[2:3], trackID[3:4], trackID[4:5], trackID+".json")
}

// writeSongs writes one file per song, in parallel, and returns the bytes
// written.
func writeSongs(ctx context.Context, dir string, songs []catalogSong, workers int) (int64, error) {
	var folders []string
	for i := range songs {
		folders = append(folders, filepath.Dir(songPath(dir, songs[i].TrackID)))
	}
	slices.Sort(folders)
	for _, f := range slices.Compact(folders) {
		if err := os.MkdirAll(f, 0o755); err != nil {
			return 0, err
		}
	}
	var written atomic.Int64
	const batch = 256
	err := forEach(ctx, (len(songs)+batch-1)/batch, workers, func(b int) error {
		var buf []byte
		for i := b * batch; i < min(len(songs), (b+1)*batch); i++ {
			buf = appendSongJSON(buf[:0], &songs[i].Song) // no final newline, as in the sample
			if err := os.WriteFile(songPath(dir, songs[i].TrackID), buf, 0o644); err != nil {
				return err
			}
			written.Add(int64(len(buf)))
		}
		return nil
	})
	return written.Load(), err
}
