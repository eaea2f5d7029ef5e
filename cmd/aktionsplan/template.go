package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"aktionsplan/outputs/template"
	"aktionsplan/pipeline"
	"aktionsplan/schemas"
	"aktionsplan/sources"
)

// templateKind is an input that a template can be written for.
type templateKind struct {
	role   string // in the config: [read.<role>], [schemas] <role>
	schema string // the built-in schema
	sheet  string // the data sheet when the config names none
}

var templateKinds = map[string]templateKind{
	"fund-usage":  {role: "fund_usage", schema: schemas.FundUsage, sheet: "Mittelverwendung"},
	"key-figures": {role: "key_figures", schema: schemas.KeyFigures, sheet: "Kennzahlen"},
}

const templateSynopsis = `template fund-usage|key-figures --out FILE.xlsx [--config FILE] [--register FILE]

Writes an input template for staff to fill in: the sheet the run reads
(named as [read.<input>] sheet of the config says, else "Mittelverwendung" or
"Kennzahlen") with the German headers of the schema, dropdowns of the area
names of the register and of the allowed values, number and date formats,
checks of minimum and maximum, and an input hint per column; and a sheet
"Anleitung" that explains every column and how to submit the file.
A template filled in with valid rows passes "aktionsplan validate".`

func (a *app) template(args []string) int {
	fs := newFlagSet("template", templateSynopsis)
	var in inputFlags
	fs.StringVar(&in.config, "config", "", "config `FILE` (TOML): its schemas, register and sheet names; default: the embedded Dortmund example")
	fs.StringVar(&in.register, "register", "", "area register `FILE` (CSV or XLSX) for the area dropdown, overrides the config")
	out := fs.String("out", "", "the template `FILE` to write (.xlsx)")
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if code, stop := a.parse(fs, args); stop {
		return code
	}
	kind, ok := templateKinds[name]
	switch {
	case !ok:
		fmt.Fprintf(a.stderr, "aktionsplan template: name the template: fund-usage or key-figures (not %q)\n", name)
		return exitUsage
	case !strings.EqualFold(filepath.Ext(*out), ".xlsx"):
		fmt.Fprintln(a.stderr, "aktionsplan template: --out FILE.xlsx is required")
		return exitUsage
	}
	cfg, err := loadConfig(in.config)
	if err != nil {
		return a.fail(err)
	}
	schema, err := cfg.schema(cfg.configuredSchema(kind.role), kind.schema)
	if err != nil {
		return a.fail(err)
	}
	reg, rep, err := cfg.register(in.register)
	if err != nil {
		return a.fail(err)
	}
	if reg == nil {
		for _, is := range rep.Issues {
			fmt.Fprintln(a.stderr, is)
		}
		fmt.Fprintln(a.stderr, "aktionsplan template: the area register has errors; no template written")
		return exitInvalid
	}
	t := template.Template{
		Sheet:       kind.sheet,
		Title:       schema.Title,
		Description: schema.Description,
		Fields:      schema.Fields(),
		Areas:       reg.Areas(),
		Publication: cfg.Title,
		Note:        cfg.Note,
		SubmitTo:    cfg.Publisher,
	}
	if s := cfg.Read[kind.role].Sheet; s != "" {
		t.Sheet = s
	}
	var buf bytes.Buffer
	if err := template.Write(&buf, t); err != nil {
		if errors.Is(err, template.ErrTemplate) {
			err = fmt.Errorf("%w: %w", errConfig, err)
		}
		return a.fail(err)
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return a.fail(err)
	}
	fmt.Fprintf(a.stdout, "Vorlage geschrieben: %s (Blatt „%s“, %d Spalten, %d Aktionsräume in der Auswahlliste)\n",
		*out, t.Sheet, len(t.Fields), len(t.Areas))
	return exitOK
}

// configuredSchema returns the schema file the config names for an input
// role, or "" for the built-in one.
func (c *Config) configuredSchema(role string) string {
	switch role {
	case "register":
		return c.Schemas.Register
	case "fund_usage":
		return c.Schemas.FundUsage
	case "key_figures":
		return c.Schemas.KeyFigures
	}
	return ""
}

// register reads the area register as a run does: the configured file (or
// the flag's) through the register schema, read as [read.register] says.
// The register is nil when the report has errors.
func (c *Config) register(flagPath string) (*pipeline.Register, *pipeline.Report, error) {
	in, err := c.input("register", flagPath, c.Inputs.Register)
	if err != nil {
		return nil, nil, err
	}
	s, err := c.schema(c.Schemas.Register, schemas.Register)
	if err != nil {
		return nil, nil, err
	}
	tables := sources.Tables{Options: map[string]sources.Options{in.Name: c.Read["register"]}}
	return pipeline.LoadRegister(in, s, tables)
}

// atomicTemp is the name pattern (for os.CreateTemp) of the temporary file
// writeFileAtomic writes for a file named base, hidden and beside it;
// atomicTemp("*") matches all of them in a folder (filepath.Glob).
func atomicTemp(base string) string { return "." + base + ".*.tmp" }

// writeFileAtomic writes data to a temporary file in the folder of path and
// renames it, so that an existing file is replaced whole or not at all. It
// creates the folder, as run does for its output folder.
func writeFileAtomic(path string, data []byte) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), atomicTemp(filepath.Base(path)))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
