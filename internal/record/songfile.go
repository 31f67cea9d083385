package record

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxSongFile bounds the size of a song file, which holds one small object.
const MaxSongFile = 16 << 20

// SongFileResult is what one song file held.
type SongFileResult struct {
	Songs   []Song
	Lines   []int64 // the line each song starts on
	Rejects []Reject
	Read    int64 // records read: Songs + Rejects
}

// DecodeSongFile decodes a song file: one JSON object, single-line or
// pretty-printed. A file of several objects one per line (JSON lines) is
// accepted too. An empty or broken file is one rejected record.
func (d *Decoder) DecodeSongFile(r io.Reader) (*SongFileResult, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSongFile+1))
	if err != nil {
		if IsCorrupt(err) {
			return rejectFile(1, err.Error(), data), nil
		}
		return nil, err
	}
	return d.DecodeSongBytes(data), nil
}

// DecodeSongBytes decodes a song file's whole (decompressed) content, as
// DecodeSongFile does. The songs do not refer to data.
func (d *Decoder) DecodeSongBytes(data []byte) *SongFileResult {
	if len(data) > MaxSongFile {
		return rejectFile(1, fmt.Sprintf("song file larger than %d MiB", MaxSongFile>>20), data)
	}
	data = bytes.TrimPrefix(data, bom)
	if IsBlank(data) {
		return rejectFile(1, "empty file", data)
	}
	res := &SongFileResult{}
	if d.validJSON(data) {
		res.add(d, data, firstLine(data))
		return res
	}
	if d.looksLikeJSONLines(data) {
		lines := NewLines(bytes.NewReader(data))
		for {
			line, no, err := lines.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				res.reject(no, err.Error(), line)
				continue
			}
			if !IsBlank(line) {
				res.add(d, line, no)
			}
		}
		return res
	}
	// One broken document: report the line where it breaks.
	var s Song
	err := d.DecodeSong(data, &s)
	res.reject(lineAt(data, err), err.Error(), data)
	return res
}

func (res *SongFileResult) add(d *Decoder, data []byte, line int64) {
	var s Song
	if err := d.DecodeSong(data, &s); err != nil {
		res.reject(line, err.Error(), data)
		return
	}
	res.Songs = append(res.Songs, s)
	res.Lines = append(res.Lines, line)
	res.Read++
}

func (res *SongFileResult) reject(line int64, reason string, raw []byte) {
	res.Rejects = append(res.Rejects, Reject{Line: line, Reason: reason, Raw: RawText(raw)})
	res.Read++
}

func rejectFile(line int64, reason string, raw []byte) *SongFileResult {
	res := &SongFileResult{}
	res.reject(line, reason, raw)
	return res
}

// looksLikeJSONLines reports whether a file has several lines and its first
// non-blank line is a complete JSON value on its own.
func (d *Decoder) looksLikeJSONLines(data []byte) bool {
	if bytes.Count(bytes.TrimSpace(data), []byte("\n")) == 0 {
		return false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if !IsBlank(line) {
			return d.validJSON(bytes.TrimSuffix(line, []byte("\r")))
		}
	}
	return false
}

// firstLine is the line a document starts on (after leading blank lines).
func firstLine(data []byte) int64 {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	return int64(bytes.Count(data[:len(data)-len(trimmed)], []byte("\n"))) + 1
}

// lineAt turns the byte offset of a JSON syntax error into a line number.
func lineAt(data []byte, err error) int64 {
	var se *SyntaxError
	if !errors.As(err, &se) || se.Offset <= 0 {
		return firstLine(data)
	}
	// An error at the very end belongs to the last line that has text.
	off := min(se.Offset, int64(len(bytes.TrimRight(data, " \t\r\n"))))
	return int64(bytes.Count(data[:off], []byte("\n"))) + 1
}
