package teams

import "github.com/digitaal-vlaanderen/magda-sla-bot/commands"

// images shows a reply's image links (a service review's chart) in the card, with
// their text alternative: Teams loads them from the bot's signed link.
func images(links []commands.Link) []Element {
	var out []Element
	for _, l := range links {
		if l.Image {
			out = append(out, Element{Type: "Image", URL: l.URL, AltText: truncate(l.Alt, maxText), Size: "Stretch"})
		}
	}
	return out
}

// openURLs gives a reply's links (the review's page and downloads) as buttons: Teams
// has no file upload for bots in channels, so the files are downloads.
func openURLs(links []commands.Link) []Action {
	var out []Action
	for _, l := range links {
		out = append(out, Action{Type: "Action.OpenUrl", Title: l.Label, URL: l.URL})
	}
	return out
}
