package slack

import (
	"bytes"
	"context"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// linksBlock shows a reply's links (a service review's page and downloads) as one
// line of Slack links.
func linksBlock(links []commands.Link) slackgo.Block {
	parts := make([]string, len(links))
	for i, l := range links {
		parts[i] = "<" + l.URL + "|" + escape(l.Label) + ">"
	}
	return slackgo.NewSectionBlock(slackgo.NewTextBlockObject(slackgo.MarkdownType, strings.Join(parts, "  ·  "), false, false), nil, nil)
}

// uploadFiles shares a reply's files (a review's chart and XLSX) in the channel with
// the files API (files.getUploadURLExternal, the upload, files.completeUploadExternal:
// scope files:write), after the answer. A private answer's files are not shared.
func (a *App) uploadFiles(ctx context.Context, to target, r commands.Reply) {
	if len(r.Files) == 0 || r.Ephemeral || to.channel == "" {
		return
	}
	for _, f := range r.Files {
		_, err := a.send.api.UploadFileContext(ctx, slackgo.UploadFileParameters{
			Filename: f.Name, FileSize: len(f.Data), Reader: bytes.NewReader(f.Data), Title: f.Title,
			AltTxt: f.Alt, Channel: to.channel, ThreadTimestamp: to.threadFor(false),
		})
		if err != nil {
			a.failed("file upload failed", err)
			return
		}
	}
}
