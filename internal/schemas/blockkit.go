package schemas

import (
	"encoding/json"
	"fmt"
	"testing"
	"unicode/utf8"
)

// Slack's published Block Kit limits (docs.slack.dev, reference/block-kit: blocks,
// block elements, composition objects; messaging: chat.postMessage), restated here on
// purpose rather than taken from notify/slack, so that the renderer is checked against
// the platform and not against itself.
const (
	MessageBlocks = 50  // blocks in a message
	ViewBlocks    = 100 // blocks in a modal or the App Home
	// BlockText is the ceiling on all the text of a message's blocks: above about
	// 12,000 characters Slack refuses the message with msg_blocks_too_long, whatever
	// each block holds (slackapi/bolt-js#2509 measured 13,172-13,297).
	BlockText = 12000
	// FallbackText is the most a message's text should hold: Slack truncates at 40,000
	// characters and advises no more than 4,000.
	FallbackText = 4000
)

// Blocks checks Block Kit blocks (a JSON array, as sent) against Slack's limits for a
// message (MessageBlocks) or a view (ViewBlocks): the count, each block's texts,
// fields, elements and ids, and the text of them all together.
func Blocks(t testing.TB, blocks []byte, maxBlocks int) {
	t.Helper()
	var bs []map[string]any
	if err := json.Unmarshal(blocks, &bs); err != nil {
		t.Fatalf("blocks: %v", err)
	}
	c := &checker{t: t, ids: map[string]bool{}}
	if len(bs) == 0 || len(bs) > maxBlocks {
		t.Errorf("%d blocks, want 1 to %d", len(bs), maxBlocks)
	}
	for i, b := range bs {
		c.block(fmt.Sprintf("block %d (%v)", i, b["type"]), b)
	}
	if c.total > BlockText {
		t.Errorf("%d characters of block text, over Slack's ceiling of %d (msg_blocks_too_long)", c.total, BlockText)
	}
}

// FallbackOK checks a message's text, what notifications and clients without blocks
// show.
func FallbackOK(t testing.TB, text string) {
	t.Helper()
	if n := utf8.RuneCountInString(text); n == 0 || n > FallbackText {
		t.Errorf("message text of %d characters, want 1 to %d", n, FallbackText)
	}
}

type checker struct {
	t     testing.TB
	ids   map[string]bool
	total int
}

func (c *checker) errorf(format string, args ...any) {
	c.t.Helper()
	c.t.Errorf(format, args...)
}

// text checks a composition text object of one of the types and at most max
// characters, and counts it.
func (c *checker) text(what string, v any, max int, types ...string) {
	c.t.Helper()
	o, ok := v.(map[string]any)
	if !ok {
		c.errorf("%s: no text object", what)
		return
	}
	s, _ := o["text"].(string)
	n := utf8.RuneCountInString(s)
	c.total += n
	if n == 0 || n > max {
		c.errorf("%s: %d characters, want 1 to %d: %q", what, n, max, short(s))
	}
	for _, typ := range types {
		if o["type"] == typ {
			return
		}
	}
	c.errorf("%s: text of type %v, want one of %v", what, o["type"], types)
}

func (c *checker) optionalText(what string, v any, max int, types ...string) {
	c.t.Helper()
	if v != nil {
		c.text(what, v, max, types...)
	}
}

func (c *checker) id(what string, v any, unique bool) {
	c.t.Helper()
	s, _ := v.(string)
	if len(s) > 255 {
		c.errorf("%s: id of %d characters, over 255", what, len(s))
	}
	if unique && s != "" {
		if c.ids[s] {
			c.errorf("%s: block_id %q twice", what, s)
		}
		c.ids[s] = true
	}
}

func (c *checker) block(what string, b map[string]any) {
	c.t.Helper()
	c.id(what, b["block_id"], true)
	plain, both := []string{"plain_text"}, []string{"plain_text", "mrkdwn"}
	switch b["type"] {
	case "header":
		c.text(what+" text", b["text"], 150, plain...)
	case "section":
		fields, _ := b["fields"].([]any)
		if b["text"] == nil && len(fields) == 0 {
			c.errorf("%s: neither text nor fields", what)
		}
		c.optionalText(what+" text", b["text"], 3000, both...)
		if len(fields) > 10 {
			c.errorf("%s: %d fields, over 10", what, len(fields))
		}
		for i, f := range fields {
			c.text(fmt.Sprintf("%s field %d", what, i), f, 2000, both...)
		}
	case "context":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > 10 {
			c.errorf("%s: %d elements, want 1 to 10", what, len(els))
		}
		for i, e := range els {
			c.text(fmt.Sprintf("%s element %d", what, i), e, 3000, both...)
		}
	case "actions":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > 25 {
			c.errorf("%s: %d elements, want 1 to 25", what, len(els))
		}
		for i, e := range els {
			c.element(fmt.Sprintf("%s element %d", what, i), e)
		}
	case "input":
		c.text(what+" label", b["label"], 2000, plain...)
		c.optionalText(what+" hint", b["hint"], 2000, plain...)
		el, _ := b["element"].(map[string]any)
		c.element(what+" element", el)
	case "divider":
	default:
		c.errorf("%s: a block type the bot does not send", what)
	}
}

func (c *checker) element(what string, v any) {
	c.t.Helper()
	el, _ := v.(map[string]any)
	c.id(what+" action_id", el["action_id"], false)
	plain := []string{"plain_text"}
	c.optionalText(what+" placeholder", el["placeholder"], 150, plain...)
	switch el["type"] {
	case "button":
		c.text(what+" text", el["text"], 75, plain...)
		if s, _ := el["value"].(string); len(s) > 2000 {
			c.errorf("%s: value of %d characters, over 2000", what, len(s))
		}
		if cf, ok := el["confirm"].(map[string]any); ok {
			c.text(what+" confirm title", cf["title"], 100, plain...)
			c.text(what+" confirm text", cf["text"], 300, "plain_text", "mrkdwn")
			c.text(what+" confirm yes", cf["confirm"], 30, plain...)
			c.text(what+" confirm no", cf["deny"], 30, plain...)
		}
	case "radio_buttons", "static_select":
		opts, _ := el["options"].([]any)
		max := 100
		if el["type"] == "radio_buttons" {
			max = 10
		}
		if len(opts) == 0 || len(opts) > max {
			c.errorf("%s: %d options, want 1 to %d", what, len(opts), max)
		}
		for i, o := range opts {
			o, _ := o.(map[string]any)
			ow := fmt.Sprintf("%s option %d", what, i)
			c.text(ow+" text", o["text"], 75, plain...)
			c.optionalText(ow+" description", o["description"], 75, plain...)
			if s, _ := o["value"].(string); s == "" || len(s) > 150 {
				c.errorf("%s: value of %d characters, want 1 to 150", ow, len(s))
			}
		}
	case "plain_text_input":
	default:
		c.errorf("%s: an element type %v the bot does not send", what, el["type"])
	}
}
