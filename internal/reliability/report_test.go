package reliability

import (
	"fmt"
	"os"
	"testing"
)

// reportEnv names the file the suite's counts are appended to, so the
// number of cases tried shows in the normal test output: scripts/test.sh
// creates it, exports its name and prints it after 'go test'.
const reportEnv = "SPARKIFY_TEST_REPORT"

// report logs a line (t.Logf) and, with SPARKIFY_TEST_REPORT set, appends
// it as "reliability: LINE" to that file: one write per line on a file
// opened O_APPEND, so the lines of tests running at once do not mix.
func report(t testing.TB, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf(format, args...)
	t.Logf("%s", line)
	name := os.Getenv(reportEnv)
	if name == "" {
		return
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Errorf("%s: %v", reportEnv, err)
		return
	}
	if _, err := f.Write([]byte("reliability: " + line + "\n")); err != nil {
		t.Errorf("%s: %v", reportEnv, err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("%s: %v", reportEnv, err)
	}
}
