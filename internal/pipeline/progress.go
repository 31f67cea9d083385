package pipeline

// Progress hears how a load advances. Calls come from several goroutines;
// implementations must be cheap and safe for concurrent use.
type Progress interface {
	// Begin starts a step that will read files of bytes in total.
	Begin(step string, files int, bytes int64)
	// FileDone reports one more file read.
	FileDone(bytes int64)
	// Step reports a step without files (transform, check, commit).
	Step(name string)
	// End ends the progress display.
	End()
}

// NoProgress shows nothing.
type NoProgress struct{}

// Begin does nothing.
func (NoProgress) Begin(string, int, int64) {}

// FileDone does nothing.
func (NoProgress) FileDone(int64) {}

// Step does nothing.
func (NoProgress) Step(string) {}

// End does nothing.
func (NoProgress) End() {}
