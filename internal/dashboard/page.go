package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

//go:embed assets/dashboard.js assets/dashboard.css assets/echarts
var assetFiles embed.FS

var pageTemplate = template.Must(template.ParseFS(templateFiles, "templates/page.html.tmpl"))

// Page is what one rendering of the dashboard shows.
type Page struct {
	Data      *Data
	Filter    Filter
	Warehouse string    // the warehouse, as warehouse.String describes it
	Generated time.Time // when the data was read
}

// view is the template's input.
type view struct {
	Page
	Inline           bool
	CSP              string
	CSS              template.CSS
	EChartsJS, AppJS template.JS
	Levels           []string
	MaxTop           int
	RunsShown        int
	Query            string
	Generated        string
	Charts           []Chart
}

// ServerCSP is the Content-Security-Policy of the served page: scripts,
// style sheets and images from the server itself only; no inline script,
// no eval, no plug-ins, no framing, forms back to the server only. Style
// attributes are allowed (style-src-attr), because echarts' SVG renderer
// styles the elements it draws with them; a style attribute runs no code.
const ServerCSP = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// renderPage writes the dashboard as HTML. Served (inline false), scripts
// and styles are separate files under assets/. As a report (inline true)
// they are part of the file, allowed by a Content-Security-Policy meta tag
// that names their SHA-256 hashes, so the file works offline and still
// runs no script but those two.
func renderPage(w io.Writer, p Page, inline bool) error {
	charts, err := Charts(p.Data)
	if err != nil {
		return err
	}
	v := view{Page: p, Inline: inline, Levels: Levels, MaxTop: MaxTop, RunsShown: RunsShown,
		Generated: p.Generated.UTC().Format("2006-01-02 15:04 UTC"), Charts: charts}
	if q := p.Filter.Values().Encode(); q != "" {
		v.Query = "?" + q
	}
	if inline {
		css, echartsJS, appJS, err := inlineAssets()
		if err != nil {
			return err
		}
		v.CSS, v.EChartsJS, v.AppJS = template.CSS(css), template.JS(echartsJS), template.JS(appJS)
		v.CSP = fmt.Sprintf("default-src 'none'; script-src %s %s; style-src %s; style-src-attr 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
			hashSource(echartsJS), hashSource(appJS), hashSource(css))
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("dashboard: render: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// inlineAssets reads the files a report inlines and makes sure none could
// end its element early.
func inlineAssets() (css, echartsJS, appJS string, err error) {
	read := func(name, end string) (string, error) {
		b, err := assetFiles.ReadFile("assets/" + name)
		if err != nil {
			return "", err
		}
		if strings.Contains(strings.ToLower(string(b)), end) {
			return "", fmt.Errorf("dashboard: %s holds %q and cannot be inlined", name, end)
		}
		return string(b), nil
	}
	if css, err = read("dashboard.css", "</style"); err != nil {
		return
	}
	if echartsJS, err = read("echarts/echarts.min.js", "</script"); err != nil {
		return
	}
	appJS, err = read("dashboard.js", "</script")
	return
}

// hashSource is a CSP source allowing exactly this inline text.
func hashSource(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// WriteReport writes the dashboard as one self-contained HTML file: the
// same charts, with echarts and the page script inlined, no filter form,
// and nothing fetched from anywhere when it is opened.
func WriteReport(w io.Writer, p Page) error { return renderPage(w, p, true) }
