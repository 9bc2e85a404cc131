package runtime

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"github.com/arazzo-runner/arazzo/arazzo"
	"github.com/arazzo-runner/arazzo/expr"
	"github.com/arazzo-runner/arazzo/openapi"
)

// credential is a value found for one security scheme, and where it came from.
type credential struct {
	user, pass string // http basic
	secret     string // bearer token or api key
	from       string
}

// applySecurity applies the operation's security requirements (cli.md "Credentials"): the first
// requirement whose schemes all have credentials wins. A parameter the step sets itself is never
// overridden. Inline x-security schemes (the Redocly Respect form) are applied as given.
func (x *run) applySecurity(st *wfState, step *arazzo.Step, b *boundStep, req *request, set map[string]bool, cookies *[]string) error {
	c := x.baseContext(st)
	xsec, err := x.xSecurity(st, step, c)
	if err != nil {
		return err
	}
	for _, inline := range xsec.inline {
		x.applyScheme(inline.scheme, inline.cred, req, set, cookies)
	}
	reqs := b.op.Security
	if len(reqs) == 0 {
		return nil
	}
	var missing []string
	for _, requirement := range reqs {
		creds := make([]*credential, len(requirement))
		ok := true
		for i, ref := range requirement {
			scheme := b.src.desc.SecuritySchemes[ref.Name]
			if scheme == nil {
				ok = false
				break
			}
			creds[i] = x.lookupCredential(st, b.src, scheme, xsec.named)
			if creds[i] == nil {
				ok = false
				missing = append(missing, ref.Name)
				break
			}
		}
		if !ok {
			continue
		}
		if len(requirement) == 0 {
			return nil // an empty requirement makes security optional
		}
		for i, ref := range requirement {
			x.applyScheme(b.src.desc.SecuritySchemes[ref.Name], creds[i], req, set, cookies)
			if strings.HasPrefix(creds[i].from, "input") || strings.HasPrefix(creds[i].from, "a placeholder") {
				x.note(fmt.Sprintf("source %q: security scheme %q takes its credentials from %s", b.src.sd.Name, ref.Name, creds[i].from))
			}
		}
		return nil
	}
	if len(xsec.inline) == 0 && len(missing) > 0 {
		name := missing[0]
		x.note(fmt.Sprintf("source %q: no credentials for security scheme %q, so requests go without them: pass --auth %s=VALUE or set %s",
			b.src.sd.Name, name, name, envName("ARAZZO_AUTH_", b.src.sd.Name, name)))
	}
	return nil
}

// note adds a warning to the run's result once.
func (x *run) note(msg string) {
	for _, w := range x.p.warnings {
		if w == msg {
			return
		}
	}
	x.p.warnings = append(x.p.warnings, msg)
}

func envName(prefix string, parts ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('_')
		}
		for _, r := range strings.ToUpper(p) {
			if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

func credentialFromValue(scheme *openapi.SecurityScheme, v, from string) *credential {
	c := &credential{from: from}
	if scheme.Type == "http" && scheme.Scheme == "basic" {
		c.user, c.pass, _ = strings.Cut(v, ":")
		return c
	}
	c.secret = v
	return c
}

// lookupCredential finds credentials for one scheme, first match wins: --auth, the
// environment, the step's x-security, then workflow inputs by convention.
func (x *run) lookupCredential(st *wfState, src *source, scheme *openapi.SecurityScheme, named map[string]*credential) *credential {
	for _, a := range x.p.opts.Auth {
		if (a.Source == "" || a.Source == src.sd.Name) && strings.EqualFold(a.Scheme, scheme.Name) {
			return credentialFromValue(scheme, a.Value, "--auth")
		}
	}
	if look := x.p.opts.LookupEnv; look != nil {
		for _, name := range []string{envName("ARAZZO_AUTH_", src.sd.Name, scheme.Name), envName("ARAZZO_AUTH_", scheme.Name)} {
			if v, ok := look(name); ok && v != "" {
				return credentialFromValue(scheme, v, name)
			}
		}
	}
	if c := named[scheme.Name]; c != nil {
		return c
	}
	if c := inputCredential(st.inputs, scheme); c != nil {
		return c
	}
	if src.mocked && x.p.opts.GenerateInputs {
		return mockCredential(scheme)
	}
	return nil
}

// RuleMockCredential is the id of the warning that a mock run with generated inputs sent a
// placeholder credential for a security scheme nothing gave credentials for.
const RuleMockCredential = "mock-credential"

// mockCredential is the placeholder a mock run with generated inputs sends for a security
// scheme it has no credentials for, so that the mock's security check passes; such values never
// reach a real API (GenerateInputs requires Mock, and only mocked sources get them).
func mockCredential(scheme *openapi.SecurityScheme) *credential {
	from := fmt.Sprintf("a placeholder (no credentials given; pass --auth %s=VALUE for a real run) [%s]", scheme.Name, RuleMockCredential)
	switch {
	case scheme.Type == "http" && scheme.Scheme == "basic":
		return &credential{user: "mock-user", pass: "mock-password", from: from}
	case scheme.Type == "apiKey":
		return &credential{secret: "mock-api-key", from: from}
	}
	return &credential{secret: "mock-token", from: from}
}

// inputCredential applies the input naming convention of cli.md.
func inputCredential(in map[string]any, scheme *openapi.SecurityScheme) *credential {
	find := func(names ...string) (string, string, bool) {
		for _, n := range names {
			for k, v := range in {
				if strings.EqualFold(k, n) {
					if s, ok := v.(string); ok && s != "" {
						return k, s, true
					}
				}
			}
		}
		return "", "", false
	}
	switch {
	case scheme.Type == "http" && scheme.Scheme == "basic":
		if uk, u, ok := find("username"); ok {
			_, p, _ := find("password")
			return &credential{user: u, pass: p, from: fmt.Sprintf("inputs %q/%q", uk, "password")}
		}
		if k, v, ok := find("apiKey", "api_key", "key"); ok {
			return &credential{user: v, from: fmt.Sprintf("input %q (as the username, empty password)", k)}
		}
	case scheme.Type == "http" && scheme.Scheme == "bearer", scheme.Type == "oauth2", scheme.Type == "openIdConnect":
		if k, v, ok := find("token", "accessToken", "access_token", "bearerToken", "bearer_token", "apiKey", "api_key"); ok {
			return &credential{secret: v, from: fmt.Sprintf("input %q", k)}
		}
	case scheme.Type == "apiKey":
		if k, v, ok := find(scheme.ParamName, "apiKey", "api_key"); ok {
			return &credential{secret: v, from: fmt.Sprintf("input %q", k)}
		}
	}
	return nil
}

// applyScheme puts one credential on the request, unless the step set that parameter itself.
func (x *run) applyScheme(s *openapi.SecurityScheme, c *credential, req *request, set map[string]bool, cookies *[]string) {
	switch {
	case s.Type == "http" && s.Scheme == "basic":
		if set["header\x00authorization"] {
			return
		}
		tok := base64.StdEncoding.EncodeToString([]byte(c.user + ":" + c.pass))
		req.header.Set("Authorization", "Basic "+tok)
		req.secrets = append(req.secrets, tok, c.user+":"+c.pass)
		if c.pass != "" {
			req.secrets = append(req.secrets, c.pass)
		}
		if c.user != "" {
			req.secrets = append(req.secrets, c.user)
		}
	case s.Type == "http" || s.Type == "oauth2" || s.Type == "openIdConnect":
		if set["header\x00authorization"] {
			return
		}
		scheme := "Bearer"
		if s.Type == "http" && s.Scheme != "" && s.Scheme != "bearer" {
			scheme = s.Scheme
		}
		req.header.Set("Authorization", scheme+" "+c.secret)
		req.secrets = append(req.secrets, c.secret)
	case s.Type == "apiKey":
		if set[s.In+"\x00"+strings.ToLower(s.ParamName)] {
			return
		}
		switch s.In {
		case "header":
			req.header.Set(s.ParamName, c.secret)
		case "query":
			q := req.url.Query()
			q.Set(s.ParamName, c.secret)
			req.url.RawQuery = q.Encode()
		case "cookie":
			*cookies = append(*cookies, s.ParamName+"="+url.QueryEscape(c.secret))
		}
		req.secrets = append(req.secrets, c.secret)
	}
}

type inlineScheme struct {
	scheme *openapi.SecurityScheme
	cred   *credential
}

type xSecurityValues struct {
	named  map[string]*credential
	inline []inlineScheme
}

// xSecurity reads the `x-security` extension of the step and of its workflow (step entries win).
func (x *run) xSecurity(st *wfState, step *arazzo.Step, c *expr.Context) (xSecurityValues, error) {
	out := xSecurityValues{named: map[string]*credential{}}
	for _, ext := range []arazzo.Extensions{step.Extensions, st.wf.Extensions} {
		list, _ := ext["x-security"].([]any)
		for i, e := range list {
			m, _ := e.(map[string]any)
			if m == nil {
				return out, fmt.Errorf("x-security entry %d must be an object with schemeName or scheme, and values", i+1)
			}
			vals, err := x.evalValue(m["values"], c)
			if err != nil {
				return out, fmt.Errorf("x-security entry %d: %w", i+1, err)
			}
			values, _ := vals.(map[string]any)
			get := func(k string) string { return stringify(values[k]) }
			if name, ok := m["schemeName"].(string); ok {
				if _, done := out.named[name]; !done {
					out.named[name] = &credential{user: get("username"), pass: get("password"),
						secret: firstNonEmpty(get("token"), get("apiKey"), get("accessToken")), from: "x-security"}
				}
				continue
			}
			sm, _ := m["scheme"].(map[string]any)
			if sm == nil {
				return out, fmt.Errorf("x-security entry %d has neither schemeName nor scheme", i+1)
			}
			s := &openapi.SecurityScheme{Type: stringify(sm["type"]), Scheme: strings.ToLower(stringify(sm["scheme"])),
				In: stringify(sm["in"]), ParamName: stringify(sm["name"])}
			out.inline = append(out.inline, inlineScheme{scheme: s, cred: &credential{user: get("username"), pass: get("password"),
				secret: firstNonEmpty(get("token"), get("apiKey"), get("accessToken")), from: "x-security"}})
		}
	}
	return out, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
