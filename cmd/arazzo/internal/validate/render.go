package validate

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/runtime"
)

// Rules is the catalogue of every rule validate reports, in documentation order.
func Rules() []arazzo.RuleInfo {
	return append(arazzo.Rules(), runtime.CheckRules()...)
}

// RulesDoc is where the rule table lives, relative to the repository root.
const RulesDoc = "docs/validate-rules.md"

const infoURI = "https://github.com/arazzo-runner/arazzo"

// Render writes the report in one of Formats.
func Render(w io.Writer, format string, rep *Report) error {
	switch format {
	case FormatText:
		return renderText(w, rep)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case FormatSARIF:
		return renderSARIF(w, rep)
	case FormatGitHub:
		return renderGitHub(w, rep)
	case FormatJUnit:
		return renderJUnit(w, rep)
	}
	return fmt.Errorf("unknown format %q", format)
}

func renderText(w io.Writer, rep *Report) error {
	for _, d := range rep.Findings {
		if _, err := fmt.Fprintln(w, d.Error()); err != nil {
			return err
		}
	}
	return nil
}

// GitHub Actions workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
func renderGitHub(w io.Writer, rep *Report) error {
	for _, d := range rep.Findings {
		cmd := "warning"
		switch {
		case d.Severity == arazzo.SeverityError, rep.Strict && d.Severity == arazzo.SeverityWarning:
			cmd = "error"
		case d.Severity == arazzo.SeverityInfo:
			cmd = "notice"
		}
		_, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", cmd,
			escapeProperty(d.File), d.Line, d.Col, escapeProperty("arazzo "+d.Rule), escapeData(d.Message+" ["+d.Rule+"]"))
		if err != nil {
			return err
		}
	}
	return nil
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// SARIF 2.1.0 (OASIS), the subset code-scanning tools read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	ShortDescription     sarifText     `json:"shortDescription"`
	Help                 sarifText     `json:"help"`
	HelpURI              string        `json:"helpUri"`
	DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

func sarifLevel(s arazzo.Severity, strict bool) string {
	switch s {
	case arazzo.SeverityError:
		return "error"
	case arazzo.SeverityWarning:
		if strict {
			return "error"
		}
		return "warning"
	}
	return "note"
}

func renderSARIF(w io.Writer, rep *Report) error {
	rules := Rules()
	index := map[string]int{}
	driver := sarifDriver{Name: "arazzo", InformationURI: infoURI, Rules: make([]sarifRule, len(rules))}
	for i, r := range rules {
		index[r.ID] = i
		driver.Rules[i] = sarifRule{
			ID:                   r.ID,
			ShortDescription:     sarifText{Text: r.Summary},
			Help:                 sarifText{Text: r.Fix},
			HelpURI:              infoURI + "/blob/main/" + RulesDoc + "#" + r.ID,
			DefaultConfiguration: sarifRuleConf{Level: sarifLevel(r.Severity, false)},
		}
	}
	results := make([]sarifResult, 0, len(rep.Findings))
	for _, d := range rep.Findings {
		i, ok := index[d.Rule]
		if !ok {
			i = -1
		}
		results = append(results, sarifResult{
			RuleID: d.Rule, RuleIndex: i, Level: sarifLevel(d.Severity, rep.Strict), Message: sarifText{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: sarifURI(d.File)},
				Region:           sarifRegion{StartLine: d.Line, StartColumn: d.Col},
			}}},
		})
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifURI writes a path as a relative URI reference with forward slashes.
func sarifURI(file string) string {
	return strings.ReplaceAll(strings.TrimPrefix(file, "./"), "\\", "/")
}

// JUnit XML: one testsuite per document, one testcase per rule; a rule with error findings
// (or, with --strict, warnings) fails, its findings in the failure's text.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func renderJUnit(w io.Writer, rep *Report) error {
	rules := Rules()
	byFile := map[string]map[string]arazzo.Diagnostics{}
	for _, d := range rep.Findings {
		if byFile[d.File] == nil {
			byFile[d.File] = map[string]arazzo.Diagnostics{}
		}
		byFile[d.File][d.Rule] = append(byFile[d.File][d.Rule], d)
	}
	out := junitSuites{Name: "arazzo validate"}
	for _, file := range rep.Documents {
		suite := junitSuite{Name: file}
		for _, r := range rules {
			tc := junitCase{Name: r.ID, ClassName: file}
			ds := byFile[file][r.ID]
			var lines []string
			failing := 0
			for _, d := range ds {
				lines = append(lines, d.Error())
				if d.Severity == arazzo.SeverityError || (rep.Strict && d.Severity == arazzo.SeverityWarning) {
					failing++
				}
			}
			switch {
			case failing > 0:
				tc.Failure = &junitFailure{Message: fmt.Sprintf("%d %s", failing, plural(failing, "finding")), Type: r.ID, Text: strings.Join(lines, "\n")}
				suite.Failures++
			case len(lines) > 0:
				tc.SystemOut = strings.Join(lines, "\n")
			}
			suite.Cases = append(suite.Cases, tc)
		}
		suite.Tests = len(suite.Cases)
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Suites = append(out.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
