package pipeline

import (
	"errors"
	"testing"
)

// TestStepErrLabelsOnce: an error from an inner step keeps its own label
// when an outer step passes it on; others get the outer step's.
func TestStepErrLabelsOnce(t *testing.T) {
	base := errors.New("connection reset")
	inner := stepErr("staging", 2, base)
	if got := stepErr("stage", 2, inner).Error(); got != "load 2, staging: connection reset" {
		t.Errorf("passed on: %q", got)
	}
	if got := stepErr("stage", 2, base).Error(); got != "load 2, stage: connection reset" {
		t.Errorf("plain: %q", got)
	}
	if !errors.Is(stepErr("stage", 2, inner), base) {
		t.Error("the cause is lost")
	}
}
