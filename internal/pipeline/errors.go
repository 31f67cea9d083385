package pipeline

import (
	"errors"
	"fmt"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// ErrTooManyRejects means more lines were rejected than --max-rejects allows;
// nothing of the load was committed, but its rejects were recorded. It is
// warehouse.ErrTooManyRejects, which engines that stage files return.
var ErrTooManyRejects = warehouse.ErrTooManyRejects

// ErrChecksFailed means a data-quality check of severity error failed. The
// load was committed; its run records which checks failed.
var ErrChecksFailed = errors.New("data-quality checks failed")

// ErrInterruptedAfterCommit means the command was interrupted (Ctrl-C,
// SIGTERM) while the load's COMMIT ran: the COMMIT was let finish, so the
// load is in the warehouse and recorded as succeeded, and the command
// should stop now without claiming a failure.
var ErrInterruptedAfterCommit = errors.New("interrupted while the load committed; the load is in the warehouse")

// ErrNoSources means neither --songs nor --logs (nor dwh.cfg [S3]) named
// anything to load.
var ErrNoSources = errors.New("no sources to load")

// StepError is a failure in one step of a load.
type StepError struct {
	Step   string // list, stage, transform, check, commit
	LoadID int64
	Err    error
}

func (e *StepError) Error() string {
	if e.LoadID > 0 {
		return fmt.Sprintf("load %d, %s: %v", e.LoadID, e.Step, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Step, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// stepErr labels err with the step and load it happened in, unless an
// inner step labelled it already (the innermost step is the precise one).
func stepErr(step string, loadID int64, err error) error {
	if err == nil {
		return nil
	}
	if se, ok := err.(*StepError); ok && se.LoadID == loadID {
		return err
	}
	return &StepError{Step: step, LoadID: loadID, Err: err}
}
