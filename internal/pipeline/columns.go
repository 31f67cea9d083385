package pipeline

import (
	"sync"

	"github.com/sparkify/sparkify/internal/record"
	"github.com/sparkify/sparkify/internal/warehouse"
)

// The staging tables' columns as sparkify fills them, in batch order.
var (
	eventColumns = []string{
		"artist", "auth", "firstname", "gender", "iteminsession", "lastname", "length", "level",
		"location", "method", "page", "registration", "sessionid", "song", "status", "ts",
		"useragent", "userid", "start_time", "event_id", "load_id", "file_id", "line_no", "extra",
	}
	eventTypes = []warehouse.ColumnType{
		warehouse.String, warehouse.String, warehouse.String, warehouse.String, warehouse.Int64, warehouse.String,
		warehouse.Float64, warehouse.String, warehouse.String, warehouse.String, warehouse.String, warehouse.Float64,
		warehouse.Int64, warehouse.String, warehouse.Int64, warehouse.Int64, warehouse.String, warehouse.String,
		warehouse.Timestamp, warehouse.Int64, warehouse.Int64, warehouse.Int64, warehouse.Int64, warehouse.String,
	}
	songColumns = []string{
		"num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location",
		"artist_name", "song_id", "title", "duration", "year", "load_id", "file_id", "line_no", "extra",
	}
	songTypes = []warehouse.ColumnType{
		warehouse.Int64, warehouse.String, warehouse.Float64, warehouse.Float64, warehouse.String,
		warehouse.String, warehouse.String, warehouse.String, warehouse.Float64, warehouse.Int64,
		warehouse.Int64, warehouse.Int64, warehouse.Int64, warehouse.String,
	}
)

// builder appends rows to a column batch, one value per column per row.
// Batches come back from their consumer (Batch.Done) and are reused, so a
// load allocates a handful of them, not one per 2,048 rows.
type builder struct {
	b     *warehouse.Batch
	types []warehouse.ColumnType
	pool  *sync.Pool
}

func newBuilder(types []warehouse.ColumnType, pool *sync.Pool) *builder {
	x := &builder{types: types, pool: pool}
	x.reset()
	return x
}

// newBatchPool returns a pool of empty batches of the given column types.
func newBatchPool(types []warehouse.ColumnType) *sync.Pool {
	p := &sync.Pool{}
	p.New = func() any {
		b := &warehouse.Batch{Columns: make([]warehouse.Column, len(types))}
		for i, t := range types {
			c := &b.Columns[i]
			c.Type = t
			switch t {
			case warehouse.Int64, warehouse.Timestamp:
				c.Ints = make([]int64, 0, warehouse.BatchSize)
			case warehouse.Float64:
				c.Floats = make([]float64, 0, warehouse.BatchSize)
			case warehouse.String:
				c.Strings = make([]string, 0, warehouse.BatchSize)
			}
		}
		b.Release = func() { p.Put(b) }
		return b
	}
	return p
}

// reset starts a new batch (the old one now belongs to its consumer).
func (x *builder) reset() {
	x.b = x.pool.Get().(*warehouse.Batch)
	x.b.Len = 0
	for i := range x.b.Columns {
		c := &x.b.Columns[i]
		c.Ints, c.Floats, c.Null = c.Ints[:0], c.Floats[:0], nil
		clear(c.Strings) // let the strings of the last use go
		c.Strings = c.Strings[:0]
	}
}

func (x *builder) full() bool { return x.b.Len >= warehouse.BatchSize }

func (x *builder) mark(c int, null bool) {
	col := &x.b.Columns[c]
	if col.Null == nil {
		if !null {
			return
		}
		col.Null = make([]bool, x.b.Len, warehouse.BatchSize)
	}
	col.Null = append(col.Null, null)
}

func (x *builder) str(c int, v string) {
	x.b.Columns[c].Strings = append(x.b.Columns[c].Strings, v)
	x.mark(c, false)
}

func (x *builder) nstr(c int, v record.NullString) {
	x.b.Columns[c].Strings = append(x.b.Columns[c].Strings, v.S)
	x.mark(c, !v.Valid)
}

func (x *builder) int(c int, v int64) {
	x.b.Columns[c].Ints = append(x.b.Columns[c].Ints, v)
	x.mark(c, false)
}

func (x *builder) nint(c int, v record.NullInt) {
	x.b.Columns[c].Ints = append(x.b.Columns[c].Ints, v.I)
	x.mark(c, !v.Valid)
}

func (x *builder) float(c int, v float64) {
	x.b.Columns[c].Floats = append(x.b.Columns[c].Floats, v)
	x.mark(c, false)
}

func (x *builder) nfloat(c int, v record.NullFloat) {
	x.b.Columns[c].Floats = append(x.b.Columns[c].Floats, v.F)
	x.mark(c, !v.Valid)
}

// addEvent appends one event row.
func (x *builder) addEvent(e *record.Event, id, loadID, fileID, line int64) {
	x.nstr(0, e.Artist)
	x.nstr(1, e.Auth)
	x.nstr(2, e.FirstName)
	x.nstr(3, e.Gender)
	x.int(4, e.ItemInSession)
	x.nstr(5, e.LastName)
	x.nfloat(6, e.Length)
	x.str(7, e.Level)
	x.nstr(8, e.Location)
	x.nstr(9, e.Method)
	x.str(10, e.Page)
	x.nfloat(11, e.Registration)
	x.int(12, e.SessionID)
	x.nstr(13, e.Song)
	x.nint(14, e.Status)
	x.int(15, e.TS)
	x.nstr(16, e.UserAgent)
	x.str(17, e.UserID)
	x.int(18, e.TS*1000) // start_time, microseconds
	x.int(19, id)
	x.int(20, loadID)
	x.int(21, fileID)
	x.int(22, line)
	x.nstr(23, record.NullString{S: e.Extra, Valid: e.Extra != ""})
	x.b.Len++
}

// addSong appends one song row.
func (x *builder) addSong(s *record.Song, loadID, fileID, line int64) {
	x.nint(0, s.NumSongs)
	x.str(1, s.ArtistID)
	x.nfloat(2, s.ArtistLatitude)
	x.nfloat(3, s.ArtistLongitude)
	x.nstr(4, s.ArtistLocation)
	x.str(5, s.ArtistName)
	x.str(6, s.SongID)
	x.str(7, s.Title)
	x.float(8, s.Duration)
	x.nint(9, s.Year)
	x.int(10, loadID)
	x.int(11, fileID)
	x.int(12, line)
	x.nstr(13, record.NullString{S: s.Extra, Valid: s.Extra != ""})
	x.b.Len++
}
