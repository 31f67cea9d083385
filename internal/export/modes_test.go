package export

import (
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestModesFollowUmask: every folder of an export is 0777 and every file
// 0666 less the umask, as mkdir and touch make them, with DuckDB's writer
// and the Go writer (os.MkdirTemp would make the export folder 0700).
func TestModesFollowUmask(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 1)), true)
	for _, umask := range []int{0o002, 0o027} {
		for _, stream := range []bool{false, true} {
			old := syscall.Umask(umask)
			out := filepath.Join(t.TempDir(), "lake")
			export(t, wh, Options{Out: out, stream: stream})
			syscall.Umask(old)
			wantDir, wantFile := fs.FileMode(0o777&^umask), fs.FileMode(0o666&^umask)
			n := 0
			filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					t.Fatal(err)
				}
				info, _ := d.Info()
				want := wantFile
				if d.IsDir() {
					want = wantDir
				}
				if got := info.Mode().Perm(); got != want && n < 5 {
					n++
					t.Errorf("umask %03o, %s writer: %s is %04o, want %04o", umask, writerName(stream), p, got, want)
				}
				return nil
			})
		}
	}
}
