package sqlset

import (
	"strconv"
	"strings"
)

// Args passes a statement only the leading arguments it references ($1 ..
// $n): drivers refuse arguments a statement does not declare, and one block
// may mix statements with and without parameters.
func Args(stmt string, args []any) []any {
	for i := len(args); i > 0; i-- {
		if references(stmt, i) {
			return args[:i]
		}
	}
	return nil
}

// references reports whether stmt uses $i (and not just $i0, $i1, ...).
func references(stmt string, i int) bool {
	p := "$" + strconv.Itoa(i)
	for j := strings.Index(stmt, p); j >= 0; {
		end := j + len(p)
		if end == len(stmt) || stmt[end] < '0' || stmt[end] > '9' {
			return true
		}
		k := strings.Index(stmt[end:], p)
		if k < 0 {
			return false
		}
		j = end + k
	}
	return false
}
