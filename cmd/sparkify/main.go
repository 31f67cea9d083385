// Command sparkify turns Sparkify's raw song and event JSON into an
// analytics warehouse. See the README for the commands.
package main

import (
	"os"

	"github.com/sparkify/sparkify/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
