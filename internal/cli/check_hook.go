package cli

import (
	"context"
	"errors"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/quality"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// checkHook returns the data-quality checks run at the end of every load:
// the built-in ones and the configured checks file. Results are stored in
// sparkify_checks with the load, inside its transaction.
func checkHook(f *Factory) pipeline.CheckFunc {
	return func(ctx context.Context, sess warehouse.Session, loadID int64) (any, bool, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, false, err
		}
		checks, err := loadChecks(cfg)
		if err != nil {
			return nil, false, err
		}
		rep, err := quality.Run(ctx, sess.Conn(), checks, settings(cfg))
		if err != nil {
			return nil, false, err
		}
		if _, err := sess.CopyFrom(ctx, "sparkify_checks", quality.Columns, &warehouse.SliceSource{Rows: rep.Rows(loadID)}); err != nil {
			return rep, false, err
		}
		return rep, rep.HasFailures(), nil
	}
}

// loadChecks returns the built-in checks plus those of the checks file.
func loadChecks(cfg *config.Config) ([]quality.Check, error) {
	checks := quality.Builtin()
	if cfg.Checks.File != "" {
		own, err := quality.LoadFile(cfg.Checks.File)
		if err != nil {
			return nil, err
		}
		checks = append(checks, own...)
	}
	return checks, nil
}

func settings(cfg *config.Config) quality.Settings {
	return quality.Settings{MatchRateWarn: cfg.Checks.MatchRateWarn}
}

func checksFailed(err error) bool { return errors.Is(err, pipeline.ErrChecksFailed) }
