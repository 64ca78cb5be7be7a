package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var typeErrLine = regexp.MustCompile(`^line (\d+): (cannot unmarshal .*)$`)

// named puts the key into a YAML type error, which names only the line and the Go
// type ("line 4: cannot unmarshal !!str `75%` into float64"): the operator needs the
// key that holds the bad value ("line 4: notify.at_risk_share: cannot unmarshal ...").
func named(root *yaml.Node, msg string) string {
	m := typeErrLine.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	// A list or map where a word goes is named by its key, a bad word by its own.
	collection := strings.Contains(m[2], "!!seq") || strings.Contains(m[2], "!!map")
	key := keyAt(root, line, "", collection)
	if key == "" {
		return msg
	}
	return fmt.Sprintf("line %d: %s: %s", line, key, m[2])
}

// keyAt gives the dotted path (customers[0].tier) of the value that starts on line, a
// list or map when collection, else a scalar; "" for none.
func keyAt(n *yaml.Node, line int, path string, collection bool) string {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if k := keyAt(c, line, path, collection); k != "" {
				return k
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := strings.TrimPrefix(path+"."+k.Value, ".")
			if v.Line == line && (v.Kind == yaml.ScalarNode) != collection {
				return p
			}
			if found := keyAt(v, line, p, collection); found != "" {
				return found
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if c.Line == line && (c.Kind == yaml.ScalarNode) != collection {
				return p
			}
			if found := keyAt(c, line, p, collection); found != "" {
				return found
			}
		}
	}
	return ""
}
