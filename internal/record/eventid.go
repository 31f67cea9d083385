package record

import (
	"crypto/md5"
	"encoding/binary"
	"strconv"
)

// EventID is the stable id of an event: the first 15 hex digits of
// md5("ts|userId|sessionId|itemInSession") read as a positive 60-bit
// integer. It is the same in every run and on every engine (Redshift
// computes it in SQL with STRTOL(LEFT(MD5(...), 15), 16)), so the same event
// in two files is one songplay.
func EventID(ts int64, userID string, sessionID, itemInSession int64) int64 {
	var buf [96]byte
	b := strconv.AppendInt(buf[:0], ts, 10)
	b = append(b, '|')
	b = append(b, userID...)
	b = append(b, '|')
	b = strconv.AppendInt(b, sessionID, 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, itemInSession, 10)
	sum := md5.Sum(b)
	return int64(binary.BigEndian.Uint64(sum[:8]) >> 4)
}

// ID returns the event's stable id.
func (e *Event) ID() int64 { return EventID(e.TS, e.UserID, e.SessionID, e.ItemInSession) }
