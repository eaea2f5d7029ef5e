package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"aktionsplan/examples"
	"aktionsplan/outputs/report"
	"aktionsplan/pipeline"
	"aktionsplan/schemas"
	"aktionsplan/sources"
	"aktionsplan/sources/folder"
	geojsonsrc "aktionsplan/sources/geojson"
	"aktionsplan/sources/httpsource"
)

// errConfig is wrapped by every error about the configuration or the command
// line; such errors exit with code 2.
var errConfig = errors.New("configuration error")

// Config is the TOML config file: what to read, with which rules, and what to
// publish. Paths are relative to the config file.
type Config struct {
	Title     string `toml:"title"`
	Publisher string `toml:"publisher"`
	Source    string `toml:"source"`
	// Note is printed on every published file, e.g. "Beispieldaten".
	Note string `toml:"note"`
	// Out is the output folder; --out overrides it.
	Out      string `toml:"out"`
	Schedule string `toml:"schedule"`
	Timezone string `toml:"timezone"`
	Inputs   struct {
		Register   string `toml:"register"`
		Areas      string `toml:"areas"`
		FundUsage  string `toml:"fund_usage"`
		KeyFigures string `toml:"key_figures"`
	} `toml:"inputs"`
	// Read says how to read each tabular input, by role (register,
	// fund_usage, key_figures); it applies to a file given by flag too.
	Read  map[string]sources.Options `toml:"read"`
	Areas struct {
		IDProperty string `toml:"id_property"`
		// CRS of the boundary file when it names none, e.g. "EPSG:25832".
		CRS string `toml:"crs"`
	} `toml:"areas"`
	Schemas struct {
		Register   string `toml:"register"`
		FundUsage  string `toml:"fund_usage"`
		KeyFigures string `toml:"key_figures"`
	} `toml:"schemas"`
	Budget struct {
		FundPerArea   *float64 `toml:"fund_per_area_eur"`
		ProjectBudget *float64 `toml:"project_budget_eur"`
	} `toml:"budget"`
	Output struct {
		CSVBOM *bool `toml:"csv_bom"`
	} `toml:"output"`
	Releases struct {
		// Keep is how many releases stay on disk; the current one always.
		Keep *int `toml:"keep"`
	} `toml:"releases"`
	// Webhook receives a JSON POST when a run ends invalid or failed.
	Webhook string `toml:"webhook"`
	// Limits bound the size of each input, so that a damaged or hostile
	// file is refused with a message naming the key that raises the limit
	// rather than exhausting memory or time. Every key is optional:
	//
	//	[limits]
	//	max_file_bytes       = 268435456   # 256 MiB, each input file (also a download without [http] max_bytes)
	//	max_xlsx_unzip_bytes = 2147483648  # 2 GiB, a workbook unpacked, all parts together
	//	max_xlsx_xml_bytes   = 1073741824  # 1 GiB, one part of a workbook unpacked (a worksheet's XML)
	//	max_rows             = 2000000     # rows of a table, the header included
	//	max_cells_per_row    = 1000        # cells of a row up to its last value
	//	max_vertices         = 20000000    # vertices of all boundaries of the areas file
	//	max_feature_vertices = 1000000     # vertices of one boundary
	Limits sources.Limits `toml:"limits"`
	// HTTP says how inputs given as http(s) URLs are fetched. MaxBytes is
	// the largest download; default [limits] max_file_bytes.
	HTTP struct {
		Timeout    duration `toml:"timeout"`
		MaxBytes   int64    `toml:"max_bytes"`
		Retries    *int     `toml:"retries"`
		AuthHeader string   `toml:"auth_header"`
		AuthEnv    string   `toml:"auth_env"`
	} `toml:"http"`
	Server struct {
		Addr string `toml:"addr"`
	} `toml:"server"`
	// Portal says how the release is described for an open data portal
	// (DCAT-AP.de, data package, release page).
	Portal struct {
		// BaseURL is the public URL of the data area: the files of the
		// current release are at BaseURL + "current/<file>". Default: the
		// server's own address, http://<[server] addr>/data/.
		BaseURL string `toml:"base_url"`
		// License is a URI of the dcat-ap.de licence vocabulary; default
		// Datenlizenz Deutschland – Namensnennung – 2.0.
		License      string `toml:"license"`
		LicenseTitle string `toml:"license_title"`
		LicenseURL   string `toml:"license_url"`
		// Attribution is what reusers name; default: the publisher.
		Attribution  string `toml:"attribution"`
		ContactName  string `toml:"contact_name"`
		ContactEmail string `toml:"contact_email"`
		// ContactURL defaults to the release page when no email is given.
		ContactURL            string   `toml:"contact_url"`
		PublisherURL          string   `toml:"publisher_url"`
		PoliticalGeocodingURI string   `toml:"political_geocoding_uri"`
		ContributorID         string   `toml:"contributor_id"`
		Keywords              []string `toml:"keywords"`
	} `toml:"portal"`

	// fsys and dir resolve relative paths: the embedded example, or the
	// folder of the config file.
	fsys fs.FS
	dir  string
	name string
	// raw is the config file as read, for the fingerprint of the settings.
	raw []byte
	// cache is where downloaded inputs are kept for conditional GET; empty
	// fetches them whole every time.
	cache string
}

// loadConfig reads the config file at path, or the embedded example when path
// is empty.
func loadConfig(path string) (*Config, error) {
	var (
		data []byte
		err  error
		c    = &Config{}
	)
	if path == "" {
		c.fsys, c.name = examples.Dortmund(), "Beispiel Dortmund (eingebaut)"
		data, err = fs.ReadFile(c.fsys, examples.DortmundConfig)
	} else {
		c.dir, c.name = filepath.Dir(path), path
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errConfig, err)
	}
	c.raw = data
	md, err := toml.Decode(string(data), c)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", errConfig, c.name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("%w: %s: unknown keys %s", errConfig, c.name, strings.Join(keys, ", "))
	}
	return c, c.check()
}

// check re-checks meaning after parsing.
func (c *Config) check() error {
	if c.Releases.Keep != nil && *c.Releases.Keep < 1 {
		return fmt.Errorf("%w: %s: [releases] keep must be at least 1", errConfig, c.name)
	}
	if c.HTTP.Timeout.Duration < 0 || c.HTTP.MaxBytes < 0 {
		return fmt.Errorf("%w: %s: [http] timeout and max_bytes must not be negative", errConfig, c.name)
	}
	for _, p := range []string{c.Inputs.Register, c.Inputs.Areas, c.Inputs.FundUsage, c.Inputs.KeyFigures} {
		var err error
		switch {
		case strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://"):
			err = httpsource.Source{URL: p, AuthHeader: c.HTTP.AuthHeader, AuthEnv: c.HTTP.AuthEnv}.Check()
		case strings.ContainsAny(filepath.Base(p), "*?["):
			err = folder.Check(filepath.Base(p))
		}
		if err != nil {
			return fmt.Errorf("%w: %s: [inputs] %q: %w", errConfig, c.name, p, err)
		}
	}
	for _, b := range []*float64{c.Budget.FundPerArea, c.Budget.ProjectBudget} {
		if b != nil && *b < 0 {
			return fmt.Errorf("%w: %s: budget figures must not be negative", errConfig, c.name)
		}
	}
	if err := (geojsonsrc.Reader{CRS: c.Areas.CRS}).Check(); err != nil {
		return fmt.Errorf("%w: %s: [areas] crs: %w", errConfig, c.name, err)
	}
	if err := c.Limits.Check(); err != nil {
		return fmt.Errorf("%w: %s: [limits]: %w", errConfig, c.name, err)
	}
	if err := c.checkPortal(); err != nil {
		return err
	}
	for role, o := range c.Read {
		switch role {
		case "register", "fund_usage", "key_figures":
		default:
			return fmt.Errorf("%w: %s: [read.%s]: unknown input (register, fund_usage or key_figures)", errConfig, c.name, role)
		}
		if err := o.Check(); err != nil {
			return fmt.Errorf("%w: %s: [read.%s]: %w", errConfig, c.name, role, err)
		}
	}
	return nil
}

// input returns the input for a configured path; a flag value is a path on
// disk relative to the working directory and wins over the config. Both may
// be an http(s) URL, fetched with conditional GET, or a glob such as
// "eingang/mittelverwendung_*.xlsx", which takes the newest matching file.
func (c *Config) input(role, flagPath, configPath string) (pipeline.Input, error) {
	if flagPath != "" {
		return c.located(flagPath, flagPath), nil
	}
	if configPath == "" {
		return pipeline.Input{}, fmt.Errorf("%w: %s: no input %q configured (set [inputs] %s or the flag)", errConfig, c.name, role, role)
	}
	if c.fsys != nil {
		fsys, p := c.fsys, configPath
		return pipeline.Input{Name: filepath.Base(p), Open: func() (io.ReadCloser, error) { return fsys.Open(p) }}, nil
	}
	return c.located(configPath, c.path(configPath)), nil
}

// located returns the input for what a user wrote (raw) at the resolved path.
func (c *Config) located(raw, resolved string) pipeline.Input {
	switch {
	case strings.HasPrefix(raw, "http://") || strings.HasPrefix(raw, "https://"):
		src := httpsource.Source{URL: raw, Timeout: c.HTTP.Timeout.Duration, MaxBytes: c.HTTP.MaxBytes,
			AuthHeader: c.HTTP.AuthHeader, AuthEnv: c.HTTP.AuthEnv, CacheDir: c.cache}
		if src.MaxBytes == 0 {
			src.MaxBytes = c.Limits.WithDefaults().FileBytes
		}
		if c.HTTP.Retries != nil {
			// The source takes 0 for its default; 0 in the config means none.
			src.Retries = *c.HTTP.Retries
			if src.Retries == 0 {
				src.Retries = -1
			}
		}
		return src.Input()
	case strings.ContainsAny(filepath.Base(resolved), "*?["):
		return folder.Input(filepath.Dir(resolved), filepath.Base(resolved))
	}
	return fileInput(resolved)
}

// path resolves a path of the config file against the config's folder; the
// embedded example has none, so its paths stay relative to the working
// directory.
func (c *Config) path(p string) string {
	if p == "" || filepath.IsAbs(p) || c.fsys != nil {
		return p
	}
	return filepath.Join(c.dir, p)
}

func fileInput(p string) pipeline.Input {
	return pipeline.Input{Name: filepath.Base(p), Open: func() (io.ReadCloser, error) { return os.Open(p) }}
}

// schema returns the configured schema file, or the built-in one.
func (c *Config) schema(configured, builtin string) (*schemas.Schema, error) {
	if configured == "" {
		return schemas.Builtin(builtin)
	}
	p := configured
	var data []byte
	var err error
	if c.fsys != nil {
		data, err = fs.ReadFile(c.fsys, p)
	} else {
		if !filepath.IsAbs(p) {
			p = filepath.Join(c.dir, p)
		}
		data, err = os.ReadFile(p)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: schema: %w", errConfig, err)
	}
	s, err := schemas.Parse(filepath.Base(p), data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errConfig, err)
	}
	return s, nil
}

// rules returns the budget figures, the source's where none are configured.
func (c *Config) rules() pipeline.Rules {
	r := pipeline.DefaultRules
	if c.Budget.FundPerArea != nil {
		r.FundPerArea = *c.Budget.FundPerArea
	}
	if c.Budget.ProjectBudget != nil {
		r.ProjectBudget = *c.Budget.ProjectBudget
	}
	return r
}

// page returns what the HTML report shows around the issues.
func (c *Config) page() report.Page { return report.Page{Title: c.Title, Note: c.Note} }

// keep is how many releases to keep, 30 by default.
func (c *Config) keep() int {
	if c.Releases.Keep == nil {
		return 30
	}
	return *c.Releases.Keep
}

// duration is a time.Duration written as "30s" in the config.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

func (c *Config) csvBOM() bool { return c.Output.CSVBOM == nil || *c.Output.CSVBOM }

// The licence of the publication unless [portal] license says otherwise.
const (
	defaultLicense      = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
	defaultLicenseTitle = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
	defaultLicenseURL   = "https://www.govdata.de/dl-de/by-2-0"
)

// checkPortal checks that the URLs of [portal] are absolute and the base URL
// a folder.
func (c *Config) checkPortal() error {
	p := c.Portal
	for _, u := range []struct{ key, value string }{
		{"base_url", p.BaseURL}, {"license", p.License}, {"license_url", p.LicenseURL},
		{"contact_url", p.ContactURL}, {"publisher_url", p.PublisherURL},
		{"political_geocoding_uri", p.PoliticalGeocodingURI},
	} {
		if u.value == "" {
			continue
		}
		if pu, err := url.Parse(u.value); err != nil || !pu.IsAbs() || pu.Host == "" {
			return fmt.Errorf("%w: %s: [portal] %s = %q is no absolute URL (http://… or https://…)", errConfig, c.name, u.key, u.value)
		}
	}
	if p.BaseURL != "" && !strings.HasSuffix(p.BaseURL, "/") {
		return fmt.Errorf("%w: %s: [portal] base_url = %q must end in \"/\"", errConfig, c.name, p.BaseURL)
	}
	if p.ContactEmail != "" && !strings.Contains(p.ContactEmail, "@") {
		return fmt.Errorf("%w: %s: [portal] contact_email = %q is no e-mail address", errConfig, c.name, p.ContactEmail)
	}
	return nil
}

// portal is the publication's description for open data portals, with the
// defaults filled in.
func (c *Config) portal() pipeline.Portal {
	p := pipeline.Portal{
		Title: c.Title, BaseURL: c.Portal.BaseURL,
		License: c.Portal.License, LicenseTitle: c.Portal.LicenseTitle, LicenseURL: c.Portal.LicenseURL,
		Attribution: c.Portal.Attribution,
		ContactName: c.Portal.ContactName, ContactEmail: c.Portal.ContactEmail, ContactURL: c.Portal.ContactURL,
		PublisherURL: c.Portal.PublisherURL, PoliticalGeocodingURI: c.Portal.PoliticalGeocodingURI,
		ContributorID: c.Portal.ContributorID, Keywords: c.Portal.Keywords,
	}
	if p.Title == "" {
		p.Title = "Aktionsplan Soziale Stadt"
	}
	if p.BaseURL == "" {
		addr := c.Server.Addr
		if addr == "" {
			addr = defaultAddr
		}
		p.BaseURL = "http://" + addr + "/data/"
	}
	if p.License == "" {
		p.License = defaultLicense
	}
	if p.License == defaultLicense {
		if p.LicenseTitle == "" {
			p.LicenseTitle = defaultLicenseTitle
		}
		if p.LicenseURL == "" {
			p.LicenseURL = defaultLicenseURL
		}
	}
	if p.Attribution == "" {
		p.Attribution = c.Publisher
	}
	if p.ContactEmail == "" && p.ContactURL == "" {
		p.ContactURL = p.BaseURL + "current/index.html"
	}
	if p.ContactName == "" {
		p.ContactName = c.Publisher
	}
	return p
}
