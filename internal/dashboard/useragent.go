package dashboard

import "strings"

// Agent is what the dashboard reads from a user agent string.
type Agent struct{ Browser, OS string }

// ParseAgent sorts a user agent string into a browser family and an
// operating system. The order of the tests matters: Chrome's string also
// names Safari, Edge's and Opera's also name Chrome. Unknown is "Other".
func ParseAgent(ua string) Agent {
	ua = strings.Trim(strings.TrimSpace(ua), `"`)
	if ua == "" {
		return Agent{"Unknown", "Unknown"}
	}
	return Agent{browserOf(ua), osOf(ua)}
}

func browserOf(ua string) string {
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has("Edg/") || has("Edge/"):
		return "Edge"
	case has("OPR/") || has("Opera"):
		return "Opera"
	case has("Firefox/"):
		return "Firefox"
	case has("Chromium/"):
		return "Chromium"
	case has("Chrome/") || has("CriOS/"):
		return "Chrome"
	case has("MSIE ") || has("Trident/"):
		return "Internet Explorer"
	case has("Safari/"):
		return "Safari"
	}
	return "Other"
}

func osOf(ua string) string {
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has("iPhone") || has("iPad") || has("iPod"):
		return "iOS"
	case has("Android"):
		return "Android"
	case has("Windows"):
		return "Windows"
	case has("Mac OS X") || has("Macintosh"):
		return "macOS"
	case has("CrOS"):
		return "ChromeOS"
	case has("Linux") || has("X11"):
		return "Linux"
	}
	return "Other"
}
