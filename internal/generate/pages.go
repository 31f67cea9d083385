package generate

import "math/rand/v2"

// page is a page of the app, with the method and status the logs record
// for it (always the same pair in the sample).
type page uint8

const (
	pageNextSong page = iota
	pageHome
	pageLogin
	pageLogout
	pageDowngrade
	pageSettings
	pageHelp
	pageAbout
	pageUpgrade
	pageSaveSettings
	pageError
	pageSubmitUpgrade
	pageSubmitDowngrade
	pageCancel
	pageCancelConfirm
)

var pageInfo = [...]struct {
	Name, Method string
	Status       int64
}{
	pageNextSong:        {"NextSong", "PUT", 200},
	pageHome:            {"Home", "GET", 200},
	pageLogin:           {"Login", "PUT", 307},
	pageLogout:          {"Logout", "PUT", 307},
	pageDowngrade:       {"Downgrade", "GET", 200},
	pageSettings:        {"Settings", "GET", 200},
	pageHelp:            {"Help", "GET", 200},
	pageAbout:           {"About", "GET", 200},
	pageUpgrade:         {"Upgrade", "GET", 200},
	pageSaveSettings:    {"Save Settings", "PUT", 307},
	pageError:           {"Error", "GET", 404},
	pageSubmitUpgrade:   {"Submit Upgrade", "PUT", 307},
	pageSubmitDowngrade: {"Submit Downgrade", "PUT", 307},
	pageCancel:          {"Cancel", "PUT", 307},
	pageCancelConfirm:   {"Cancellation Confirmation", "GET", 200},
}

// pageChooser draws the next page of a logged-in user from weights tuned so
// the generated mix comes out like the sample's (NextSong 85%, Home 10%,
// Login and Logout 1% each, ...). Free users see Upgrade, paid ones
// Downgrade.
type pageChooser struct {
	free, paid *weighted
	pages      []page
}

func newPageChooser() *pageChooser {
	pages := []page{pageNextSong, pageHome, pageLogout, pageSettings, pageHelp, pageAbout, pageError, pageUpgrade, pageDowngrade}
	common := []float64{0.87, 0.07, 0.011, 0.006, 0.004, 0.0025, 0.0011}
	free := append(append([]float64{}, common...), 0.008, 0)
	paid := append(append([]float64{}, common...), 0, 0.0095)
	return &pageChooser{free: newWeighted(free), paid: newWeighted(paid), pages: pages}
}

func (c *pageChooser) next(r *rand.Rand, paid bool) page {
	if paid {
		return c.pages[c.paid.draw(r)]
	}
	return c.pages[c.free.draw(r)]
}

// loggedOutPage draws what a visitor who is not logged in opens.
func loggedOutPage(r *rand.Rand) page {
	switch x := r.IntN(100); {
	case x < 60:
		return pageHome
	case x < 90:
		return pageLogin
	case x < 96:
		return pageAbout
	}
	return pageHelp
}
