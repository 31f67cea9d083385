package record

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxLine is the longest line decoded; longer lines are read past and
// rejected, never held whole.
const MaxLine = 64 << 20

// ErrLineTooLong marks a line longer than MaxLine.
var ErrLineTooLong = fmt.Errorf("line longer than %d MiB", MaxLine>>20)

// Lines reads the lines of a stream: it drops a UTF-8 byte-order mark, the
// CR of CRLF line ends, and treats a missing final newline as a line end.
type Lines struct {
	r    *bufio.Reader
	no   int64
	buf  []byte
	long bool
}

// NewLines returns a line reader over r.
func NewLines(r io.Reader) *Lines {
	return &Lines{r: bufio.NewReaderSize(r, 256<<10)}
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// Next returns the next line and its 1-based number. At the end it returns
// io.EOF. A line over MaxLine is returned empty with ErrLineTooLong; a read
// error is returned as it is (see IsCorrupt).
func (l *Lines) Next() ([]byte, int64, error) {
	l.buf = l.buf[:0]
	l.long = false
	for {
		chunk, err := l.r.ReadSlice('\n')
		if !l.long {
			if len(l.buf)+len(chunk) > MaxLine {
				l.long = true
				l.buf = l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, l.no + 1, err
		}
		if err == io.EOF && len(l.buf) == 0 && !l.long {
			return nil, l.no, io.EOF
		}
		l.no++
		if l.long {
			return nil, l.no, ErrLineTooLong
		}
		line := l.buf
		if l.no == 1 {
			line = bytes.TrimPrefix(line, bom)
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		return line, l.no, nil
	}
}

// IsBlank reports whether a line holds only white space. Blank lines are not
// records: they are neither loaded nor rejected.
func IsBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

// Decompress wraps r for a file named name: .gz files are gunzipped.
func Decompress(r io.Reader, name string) (io.Reader, error) {
	if !strings.HasSuffix(strings.ToLower(name), ".gz") {
		return r, nil
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, &CorruptError{Err: err}
	}
	return &gzipReader{zr}, nil
}

type gzipReader struct{ zr *gzip.Reader }

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF && isGzipFormatError(err) {
		err = &CorruptError{Err: err}
	}
	return n, err
}

func isGzipFormatError(err error) bool {
	var ce flate.CorruptInputError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ce)
}

// CorruptError is a compressed stream that cannot be decoded: bad input,
// rejected like a bad line, unlike an I/O error which fails the load.
type CorruptError struct{ Err error }

func (e *CorruptError) Error() string { return "corrupt gzip: " + e.Err.Error() }
func (e *CorruptError) Unwrap() error { return e.Err }

// IsCorrupt reports whether err means the input itself is broken.
func IsCorrupt(err error) bool {
	var ce *CorruptError
	return errors.As(err, &ce)
}
