// Package rslint checks SQL that runs on Amazon Redshift against what the
// Redshift Database Developer Guide documents: reserved words used as
// identifiers, leader node-only functions in queries that read tables, and
// PostgreSQL constructs Redshift does not support. It is a token-level
// check, not a parser: it finds names after AS and after a dot, the column
// names of CREATE TABLE and INSERT column lists, and any reserved word that
// sparkify's SQL never uses as a keyword wherever it appears. Quoted
// ("delimited") identifiers are always allowed.
package rslint

import (
	_ "embed"
	"fmt"
	"strings"
)

// Finding is one problem in a piece of SQL.
type Finding struct {
	Line int    // 1-based line of the SQL text
	Rule string // "reserved", "leader-node" or "unsupported"
	Msg  string
}

func (f Finding) String() string { return fmt.Sprintf("line %d: %s: %s", f.Line, f.Rule, f.Msg) }

// reservedFile is the list of the "Reserved words" page, with its source.
//
//go:embed testdata/reserved-words.txt
var reservedFile string

// Reserved is the set of Redshift's reserved words, upper case.
func Reserved() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(reservedFile, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToUpper(l)] = true
		}
	}
	return m
}

var reserved = Reserved()

// asKeyword are the reserved words sparkify's SQL uses as keywords (of
// queries, DDL, and COPY's options). Any other reserved word found
// unquoted is an identifier; these are checked by position instead.
var asKeyword = set(`ALL AND ANY AS ASC BETWEEN BOTH CASE CAST CHECK COLUMN CONSTRAINT CREATE
	CREDENTIALS CROSS CURRENT_DATE CURRENT_USER DEFAULT DESC DISTINCT ELSE END EXCEPT FALSE FOR FOREIGN
	FROM FULL GROUP GZIP HAVING IDENTITY IGNORE ILIKE IN INNER INTERSECT INTERVAL INTO IS
	JOIN LEADING LEFT LIKE LIMIT NOT NULL NULLS OFF OFFSET ON ONLY OR ORDER OUTER PARTITION
	PRIMARY REFERENCES RIGHT SELECT SIMILAR SOME TABLE THEN TIMESTAMP TO TRAILING TRUE UNION
	UNIQUE USING WHEN WHERE WITH WITHOUT`)

// leaderOnly are the leader node-only functions: "Leader node–only
// functions", https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions_leader_node_only.html
// (they fail in a query that references user-defined or system tables;
// LOG is listed by the page's newer copy,
// https://docs.amazonaws.cn/en_us/redshift/latest/dg/c_SQL_functions_leader_node_only.html).
var leaderOnly = set(`CURRENT_SCHEMA CURRENT_SCHEMAS HAS_DATABASE_PRIVILEGE HAS_SCHEMA_PRIVILEGE
	HAS_TABLE_PRIVILEGE SUBSTR FACTORIAL LOG`)

// deprecated are the leader node-only functions the same page lists as
// deprecated and no longer supported (CURRENT_TIME, CURRENT_TIMESTAMP and
// LOCALTIME are used without parentheses).
var deprecated = set(`AGE CURRENT_TIME CURRENT_TIMESTAMP LOCALTIME ISFINITE NOW GETBIT GET_BYTE
	SET_BIT SET_BYTE TO_ASCII`)

// unsupportedCalls are PostgreSQL functions Redshift does not have:
// "Unsupported PostgreSQL functions",
// https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-functions.html
var unsupportedCalls = set(`STRING_AGG ARRAY_AGG EVERY XML_AGG GENERATE_SERIES GENERATE_SUBSCRIPTS
	CLOCK_TIMESTAMP TRANSACTION_TIMESTAMP PG_SLEEP JUSTIFY_DAYS JUSTIFY_HOURS JUSTIFY_INTERVAL
	DIV SETSEED WIDTH_BUCKET OVERLAY BIT_LENGTH`)

// unsupportedSeqs are constructs Redshift's SQL reference does not have.
// Indexes: "Unsupported PostgreSQL features",
// https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-features.html;
// IS DISTINCT FROM: the functions page above; ON CONFLICT and RETURNING:
// not in "INSERT", https://docs.aws.amazon.com/redshift/latest/dg/r_INSERT_30.html;
// DISTINCT ON: not in "SELECT list",
// https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_list.html; FILTER
// and LATERAL: not in "Aggregate functions" / "FROM clause"
// (https://docs.aws.amazon.com/redshift/latest/dg/r_FROM_clause30.html).
var unsupportedSeqs = [][]string{
	{"ON", "CONFLICT"},
	{"RETURNING"},
	{"CREATE", "INDEX"},
	{"CREATE", "UNIQUE", "INDEX"},
	{"DISTINCT", "ON", "("},
	{"FILTER", "(", "WHERE"},
	{"LATERAL"},
	{"IS", "DISTINCT", "FROM"},
	{"IS", "NOT", "DISTINCT", "FROM"},
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// Check reports every finding in sql (one or more statements).
func Check(sql string) []Finding {
	var out []Finding
	for _, st := range statements(tokenize(sql)) {
		out = append(out, checkStatement(st)...)
	}
	return out
}

func checkStatement(st []token) []Finding {
	var out []Finding
	add := func(t token, rule, format string, args ...any) {
		out = append(out, Finding{Line: t.line, Rule: rule, Msg: fmt.Sprintf(format, args...)})
	}
	readsTables := readsTables(st)
	ident := identifierPositions(st)
	for i, t := range st {
		if t.kind != word {
			continue
		}
		call := i+1 < len(st) && st[i+1].text == "("
		afterDot := i > 0 && st[i-1].text == "."
		switch {
		case deprecated[t.text] && (call || t.text == "CURRENT_TIME" || t.text == "CURRENT_TIMESTAMP" || t.text == "LOCALTIME") && !afterDot:
			add(t, "leader-node", "%s is a deprecated leader node-only function (use GETDATE() or SYSDATE)", t.text)
			continue
		case leaderOnly[t.text] && call && readsTables && !afterDot:
			add(t, "leader-node", "%s is leader node-only: it fails in a query that reads tables", t.text)
			continue
		case unsupportedCalls[t.text] && call && !afterDot:
			add(t, "unsupported", "%s() is not supported by Redshift", t.text)
			continue
		case (strings.HasPrefix(t.text, "PG_ADVISORY_") || strings.HasPrefix(t.text, "PG_TRY_ADVISORY_")) && call:
			add(t, "unsupported", "%s(): Redshift has no advisory locks", t.text)
			continue
		}
		if s := matchSeq(st, i); s != "" {
			add(t, "unsupported", "%s is not supported by Redshift", s)
		}
		if !reserved[t.text] {
			continue
		}
		if ident[i] {
			add(t, "reserved", "%s is reserved in Redshift: rename it or quote it", t.text)
		} else if !asKeyword[t.text] {
			add(t, "reserved", "%s is reserved in Redshift and is not a keyword here: rename it or quote it", t.text)
		}
	}
	return out
}

// matchSeq returns the unsupported construct starting at st[i], or "".
func matchSeq(st []token, i int) string {
	for _, seq := range unsupportedSeqs {
		if i+len(seq) > len(st) {
			continue
		}
		ok := true
		for j, w := range seq {
			if st[i+j].text != w || (st[i+j].kind != word && st[i+j].kind != punct) {
				ok = false
				break
			}
		}
		if ok && st[i].kind == word {
			return strings.Join(seq, " ")
		}
	}
	return ""
}

// readsTables reports whether a statement names a table other than a
// catalog table (pg_* or information_schema.*, which the leader node
// answers): such a query runs on the compute nodes.
func readsTables(st []token) bool {
	for i := 0; i+1 < len(st); i++ {
		switch st[i].text {
		case "FROM", "JOIN", "UPDATE", "INTO", "TABLE":
			n := st[i+1]
			name := strings.Trim(strings.ToUpper(n.text), `"`)
			if (n.kind == word || n.kind == quoted) && !strings.HasPrefix(name, "PG_") && name != "INFORMATION_SCHEMA" {
				return true
			}
		}
	}
	return false
}

// identifierPositions marks the tokens that can only be identifiers: the
// name after AS (outside CAST's "AS type"), after a dot, the column names
// of CREATE TABLE (...) and of INSERT INTO t (...).
func identifierPositions(st []token) map[int]bool {
	ident := map[int]bool{}
	depth := 0
	castDepth := map[int]bool{} // depths opened by CAST(
	colList := -1               // depth of a column list being read, or -1
	expectCol := false
	for i, t := range st {
		switch {
		case t.text == "(" && t.kind == punct:
			depth++
			if i > 0 && st[i-1].kind == word && (st[i-1].text == "CAST" || st[i-1].text == "CONVERT") {
				castDepth[depth] = true
			}
			if colList < 0 && startsColumnList(st, i) {
				colList, expectCol = depth, true
			}
			continue
		case t.text == ")" && t.kind == punct:
			delete(castDepth, depth)
			if depth == colList {
				colList = -1
			}
			depth--
			continue
		case t.text == "," && t.kind == punct && depth == colList:
			expectCol = true
			continue
		}
		if t.kind != word {
			expectCol = false
			continue
		}
		if expectCol && depth == colList {
			if !set("PRIMARY UNIQUE CONSTRAINT FOREIGN CHECK LIKE")[t.text] {
				ident[i] = true
			}
			expectCol = false
		}
		if i > 0 && st[i-1].text == "." && st[i-1].kind == punct {
			ident[i] = true
		}
		if i > 0 && st[i-1].text == "AS" && st[i-1].kind == word && !castDepth[depth] &&
			t.text != "SELECT" && t.text != "WITH" && !(i+1 < len(st) && st[i+1].text == "(") {
			ident[i] = true
		}
	}
	return ident
}

// startsColumnList reports whether the "(" at st[i] opens the column list
// of CREATE TABLE name (...) or INSERT INTO name (...).
func startsColumnList(st []token, i int) bool {
	j := i - 1
	if j < 1 || (st[j].kind != word && st[j].kind != quoted) {
		return false
	}
	// Skip a schema-qualified name: a.b
	for j >= 2 && st[j-1].text == "." {
		j -= 2
	}
	for k := j - 1; k >= 0 && k >= j-6; k-- {
		switch st[k].text {
		case "TABLE":
			return true
		case "INTO":
			return k == j-1
		case "EXISTS", "NOT", "IF", "TEMP", "TEMPORARY", "CREATE":
			continue
		default:
			return false
		}
	}
	return false
}
