package dashboard

import (
	"net/http"
	"path"
)

// assets are the files under /assets/: name in the URL -> embedded file
// and content type. Nothing else is served, so no listing, no traversal.
var assets = map[string]struct{ file, contentType string }{
	"dashboard.js":            {"assets/dashboard.js", "text/javascript; charset=utf-8"},
	"dashboard.css":           {"assets/dashboard.css", "text/css; charset=utf-8"},
	"echarts.min.js":          {"assets/echarts/echarts.min.js", "text/javascript; charset=utf-8"},
	"echarts/LICENSE":         {"assets/echarts/LICENSE", "text/plain; charset=utf-8"},
	"echarts/NOTICE":          {"assets/echarts/NOTICE", "text/plain; charset=utf-8"},
	"echarts/LICENSE-d3":      {"assets/echarts/LICENSE-d3", "text/plain; charset=utf-8"},
	"echarts/LICENSE-zrender": {"assets/echarts/LICENSE-zrender", "text/plain; charset=utf-8"},
}

func serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[path.Clean(r.PathValue("path"))]
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := assetFiles.ReadFile(a.file)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(body)
}
