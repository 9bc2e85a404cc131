package arazzo

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Limits on the shape of a document or inputs file, checked before anything walks it. yaml.v3
// stops the worst alias bombs when it decodes a value, but the parser follows aliases node by
// node: a document of 2 KiB whose workflows, steps and parameters are lists of aliases took
// 44 seconds to parse before these checks.
const (
	// MaxNestingDepth bounds how deeply mappings and lists nest, aliases followed.
	MaxNestingDepth = 512
	// MaxAliasNodes is the alias expansion budget: following every alias may add this many
	// nodes to those written, or as many as were written when that is more.
	MaxAliasNodes = 100_000
)

// checkLimits measures the tree under n with every alias expanded and reports the first limit
// it breaks (nesting deeper than MaxNestingDepth, aliases expanding beyond their budget, an
// alias inside the node it names) as a diagnostic at the offending node. It costs one pass over
// the written nodes: the expanded size of each anchored node is remembered, not recomputed.
func checkLimits(file string, n *yaml.Node) *Diagnostic {
	written := countWritten(n)
	w := &limitWalk{
		file:   file,
		budget: written + max(MaxAliasNodes, written),
		size:   map[*yaml.Node]int{},
		depth:  map[*yaml.Node]int{},
		open:   map[*yaml.Node]bool{},
	}
	_, _, d := w.walk(n, 0)
	return d
}

// countWritten counts the nodes as written, an alias counting once.
func countWritten(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	c := 1
	for _, k := range n.Content {
		c += countWritten(k)
	}
	return c
}

type limitWalk struct {
	file   string
	budget int
	size   map[*yaml.Node]int  // expanded node count under each finished anchored node
	depth  map[*yaml.Node]int  // expanded nesting depth under each finished anchored node
	open   map[*yaml.Node]bool // anchored nodes being walked, to find an alias inside what it names
	total  int                 // expanded nodes counted so far
}

// walk returns the expanded size and depth of n, found at nesting level level.
func (w *limitWalk) walk(n *yaml.Node, level int) (size, depth int, d *Diagnostic) {
	if n == nil {
		return 0, 0, nil
	}
	if level > MaxNestingDepth {
		return 0, 0, w.diag(n, fmt.Sprintf("document nests deeper than %d levels: flatten it", MaxNestingDepth))
	}
	target := n
	if n.Kind == yaml.AliasNode {
		target = n.Alias
		if target == nil {
			return 1, 0, nil
		}
		if w.open[target] {
			return 0, 0, w.diag(n, fmt.Sprintf("alias *%s is inside the node it names: remove the cycle", n.Value))
		}
	}
	anchored := target.Anchor != "" // only anchored nodes can be reached twice, through aliases
	if s, ok := w.size[target]; anchored && ok {
		if level+w.depth[target] > MaxNestingDepth {
			return 0, 0, w.diag(n, fmt.Sprintf("document nests deeper than %d levels once aliases are expanded: flatten it", MaxNestingDepth))
		}
		w.total += s
		if w.total > w.budget {
			return 0, 0, w.aliasDiag(n)
		}
		return s, w.depth[target], nil
	}
	if anchored {
		w.open[target] = true
		defer delete(w.open, target)
	}
	before := w.total
	w.total++
	if w.total > w.budget {
		return 0, 0, w.aliasDiag(n)
	}
	for _, k := range target.Content {
		_, kd, d := w.walk(k, level+1)
		if d != nil {
			return 0, 0, d
		}
		depth = max(depth, kd+1)
	}
	size = w.total - before
	if anchored {
		w.size[target], w.depth[target] = size, depth
	}
	return size, depth, nil
}

func (w *limitWalk) aliasDiag(n *yaml.Node) *Diagnostic {
	return w.diag(n, fmt.Sprintf("aliases expand the document to more than %d nodes: write the repeated parts out or use fewer aliases", w.budget))
}

func (w *limitWalk) diag(n *yaml.Node, msg string) *Diagnostic {
	return &Diagnostic{File: w.file, Line: max(n.Line, 1), Col: max(n.Column, 1), Severity: SeverityError,
		Rule: RuleDocumentTooComplex, Message: msg}
}
