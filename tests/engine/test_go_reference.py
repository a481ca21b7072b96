"""Go analysis measured against go/doc and go list (reference/lang_go.py), and each fix it took.

The snippets are copied from cobra 1.6.1, afero 1.9.3 and logrus 1.9.0 (Debian's golang-*-dev
packages) and, for grouped type declarations, which none of those has, from Go 1.19's own
standard library.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codescribe.engine.analysis.languages.go import import_targets
from codescribe.engine.analysis.model import ClassInfo, FileAnalysis, ImportInfo, VariableInfo
from codescribe.engine.analysis.project import analyze_project
from codescribe.engine.analysis.treesitter import analyze_with_treesitter
from reference.harness import DATA, check

# cobra 1.6.1, completions.go
COBRA_COMPLETIONS = """package cobra

// ShellCompDirective is a bit map representing the different behaviors the shell
// can be instructed to have once completions have been provided.
type ShellCompDirective int

type flagCompError struct {
	subCommand string
	flagName   string
}

const (
	// ShellCompDirectiveError indicates an error occurred and completions should be ignored.
	ShellCompDirectiveError ShellCompDirective = 1 << iota

	// ShellCompDirectiveNoSpace indicates that the shell should not add a space
	// after the completion even if there is a single completion provided.
	ShellCompDirectiveNoSpace

	// ===========================================================================

	// All directives using iota should be above this one.
	// For internal use.
	shellCompDirectiveMaxValue

	// ShellCompDirectiveDefault indicates to let the shell perform its default
	// behavior after completions have been provided.
	// This one must be last to avoid messing up the iota count.
	ShellCompDirectiveDefault ShellCompDirective = 0
)

// CompletionOptions are the options to control shell completion
type CompletionOptions struct {
	// DisableDefaultCmd prevents Cobra from creating a default 'completion' command
	DisableDefaultCmd bool
	// DisableNoDescFlag prevents Cobra from creating the '--no-descriptions' flag
	// for shells that support completion descriptions
	DisableNoDescFlag bool
	// DisableDescriptions turns off all completion descriptions for shells
	// that support them
	DisableDescriptions bool
	// HiddenDefaultCmd makes the default 'completion' command hidden
	HiddenDefaultCmd bool
}
"""

# cobra 1.6.1, cobra.go and bash_completions.go
COBRA_VARIABLES = """package cobra

var initializers []func()
var finalizers []func()

// EnablePrefixMatching allows to set automatic prefix matching. Automatic prefix matching can be a dangerous thing
// to automatically enable in CLI tools.
// Set this to true to enable it.
var EnablePrefixMatching = defaultPrefixMatching

// MousetrapHelpText enables an information splash screen on Windows
// if the CLI is started from explorer.exe.
// To disable the mousetrap, just set this variable to blank string ("").
// Works only on Microsoft Windows.
var MousetrapHelpText = `This is a command line tool.

You need to open cmd.exe and run it from there.
`

// Annotations for Bash completion.
const (
	BashCompFilenameExt     = "cobra_annotation_bash_completion_filename_extensions"
	BashCompCustom          = "cobra_annotation_bash_completion_custom"
)
"""

# cobra 1.6.1, args.go
COBRA_ARGS = """package cobra

import (
	"fmt"
	"strings"
)

type PositionalArgs func(cmd *Command, args []string) error
"""

# Go 1.19, html/template/content.go (shortened to two of its types) and runtime/iface.go
GO_TYPE_GROUPS = """package template

// Strings of content from a trusted source.
type (
	// CSS encapsulates known safe content that matches any of:
	//   1. The CSS3 stylesheet production, such as `p { color: purple }`.
	CSS string

	// HTML encapsulates a known safe HTML document fragment.
	HTML string
)

// The specialized convTx routines need a type descriptor to use when calling mallocgc.
// We don't need the type to be exact, just to have the correct size, alignment, and pointer-ness.
// However, when debugging, it'd be nice to have some indication in mallocgc where the types came from,
// so we use named types here.
// We then construct interface values of these types,
// and then extract the type word to use as needed.
type (
	uint16InterfacePtr uint16
	uint32InterfacePtr uint32
)
"""

# logrus 1.9.0, doc.go (its start)
LOGRUS_DOC = """/*
Package logrus is a structured logger for Go, completely API compatible with the standard library logger.


The simplest way to use Logrus is simply the package-level exported logger:

  package main
*/
package logrus
"""


def analyse(source: str, path: str = "p.go") -> FileAnalysis:
    return analyze_with_treesitter(source, path, "go")


def variable(analysis: FileAnalysis, name: str) -> VariableInfo:
    return next(v for v in analysis.variables if v.name == name)


def klass(analysis: FileAnalysis, name: str) -> ClassInfo:
    return next(c for c in analysis.classes if c.name == name)


def test_grouped_iota_constants_are_one_variable_a_name_with_their_own_doc() -> None:
    analysis = analyse(COBRA_COMPLETIONS, "completions.go")

    error, no_space = variable(analysis, "ShellCompDirectiveError"), variable(analysis, "ShellCompDirectiveNoSpace")
    assert (error.kind, error.annotation, error.value) == ("constant", "ShellCompDirective", "1 << iota")
    assert error.docstring == "ShellCompDirectiveError indicates an error occurred and completions should be ignored."
    assert (no_space.annotation, no_space.value) == (None, None)  # the implicit repetition of the spec above
    assert no_space.docstring == (
        "ShellCompDirectiveNoSpace indicates that the shell should not add a space\n"
        "after the completion even if there is a single completion provided."
    )
    assert not variable(analysis, "shellCompDirectiveMaxValue").is_public
    assert variable(analysis, "ShellCompDirectiveDefault").value == "0"


def test_vars_and_a_group_without_comments_of_its_own_take_the_declarations_doc() -> None:
    analysis = analyse(COBRA_VARIABLES, "cobra.go")

    prefix = variable(analysis, "EnablePrefixMatching")
    assert (prefix.kind, prefix.value, prefix.line) == ("variable", "defaultPrefixMatching", 9)
    assert str(prefix.docstring).startswith("EnablePrefixMatching allows to set automatic prefix matching.")
    assert str(variable(analysis, "MousetrapHelpText").value).startswith("`This is a command line tool.\n\nYou need")
    assert [(v.name, v.docstring) for v in analysis.variables if v.kind == "constant"] == [
        ("BashCompFilenameExt", "Annotations for Bash completion."),
        ("BashCompCustom", "Annotations for Bash completion."),
    ]
    assert [v.name for v in analysis.variables if not v.is_public] == ["initializers", "finalizers"]


def test_a_named_type_without_methods_is_a_type_as_go_doc_lists_it() -> None:
    analysis = analyse(COBRA_ARGS, "args.go")

    assert [(c.name, c.kind, c.is_public, c.methods) for c in analysis.classes] == [
        ("PositionalArgs", "type", True, ())
    ]
    assert klass(analyse(COBRA_COMPLETIONS), "ShellCompDirective").kind == "type"


def test_in_a_type_group_a_type_without_a_comment_of_its_own_takes_the_groups() -> None:
    analysis = analyse(GO_TYPE_GROUPS, "content.go")

    assert klass(analysis, "CSS").docstring == (
        "CSS encapsulates known safe content that matches any of:\n"
        "  1. The CSS3 stylesheet production, such as `p { color: purple }`."
    )
    assert klass(analysis, "HTML").docstring == "HTML encapsulates a known safe HTML document fragment."
    group_doc = klass(analysis, "uint16InterfacePtr").docstring
    assert group_doc is not None
    assert group_doc.startswith("The specialized convTx routines need a type descriptor")
    assert klass(analysis, "uint32InterfacePtr").docstring == group_doc


def test_struct_fields_are_attributes_with_their_doc() -> None:
    options = klass(analyse(COBRA_COMPLETIONS), "CompletionOptions")

    assert [(a.name, a.kind, a.annotation) for a in options.attributes] == [
        ("DisableDefaultCmd", "field", "bool"),
        ("DisableNoDescFlag", "field", "bool"),
        ("DisableDescriptions", "field", "bool"),
        ("HiddenDefaultCmd", "field", "bool"),
    ]
    assert options.attributes[1].docstring == (
        "DisableNoDescFlag prevents Cobra from creating the '--no-descriptions' flag\n"
        "for shells that support completion descriptions"
    )
    assert [a.is_public for a in klass(analyse(COBRA_COMPLETIONS), "flagCompError").attributes] == [False, False]


def test_a_run_of_blank_lines_in_a_doc_comment_is_one_blank_line_as_in_go_doc() -> None:
    assert analyse(LOGRUS_DOC, "doc.go").module_docstring == (
        "Package logrus is a structured logger for Go, completely API compatible with the standard library logger.\n"
        "\n"
        "The simplest way to use Logrus is simply the package-level exported logger:\n"
        "\n"
        "  package main"
    )


# -- imports: a Go import reaches every file of the package's folder -----------------------------

COBRA_MODULES = {
    "command": "command.go",
    "command_test": "command_test.go",
    "doc/md_docs": "doc/md_docs.go",
    "doc/util": "doc/util.go",
}


def test_with_a_go_mod_imports_are_resolved_below_its_module_path(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module github.com/spf13/cobra\n\ngo 1.15\n", encoding="utf-8")

    reached = import_targets(ImportInfo("github.com/spf13/cobra"), "doc/util.go", COBRA_MODULES, tmp_path)
    assert reached == ["command"]  # not command_test: test files are no part of an imported package
    assert import_targets(ImportInfo("github.com/spf13/cobra/doc"), "x.go", COBRA_MODULES, tmp_path) == [
        "doc/md_docs",
        "doc/util",
    ]
    assert import_targets(ImportInfo("github.com/other/doc"), "x.go", COBRA_MODULES, tmp_path) == []


def test_in_a_gopath_the_module_path_is_the_path_below_src(tmp_path: Path) -> None:
    root = tmp_path / "src" / "github.com" / "spf13" / "cobra"
    root.mkdir(parents=True)

    assert import_targets(ImportInfo("github.com/spf13/cobra"), "doc/util.go", COBRA_MODULES, root) == ["command"]


def test_without_a_go_mod_the_import_paths_suffix_is_matched_against_the_folders(tmp_path: Path) -> None:
    # afero's root package has an os.go: the standard library's "os" must not reach it.
    (tmp_path / "afero.go").write_text("// Package afero provides types and methods.\npackage afero\n", "utf-8")
    modules = {"afero": "afero.go", "os": "os.go", "mem/file": "mem/file.go", "zipfs/fs": "zipfs/fs.go"}

    assert import_targets(ImportInfo("github.com/spf13/afero/mem"), "memmap.go", modules, tmp_path) == ["mem/file"]
    assert import_targets(ImportInfo("github.com/spf13/afero"), "zipfs/fs.go", modules, tmp_path) == ["afero", "os"]
    assert import_targets(ImportInfo("os"), "mem/file.go", modules, tmp_path) == []
    assert import_targets(ImportInfo("github.com/spf13/pflag"), "afero.go", modules, tmp_path) == []


def test_the_project_graph_joins_a_package_to_every_file_of_the_one_it_imports(tmp_path: Path) -> None:
    (tmp_path / "doc").mkdir()
    (tmp_path / "args.go").write_text(COBRA_ARGS, encoding="utf-8")
    (tmp_path / "cobra.go").write_text(COBRA_VARIABLES, encoding="utf-8")
    # cobra 1.6.1, doc/util.go (its imports)
    util = 'package doc\n\nimport (\n\t"strings"\n\n\t"github.com/spf13/cobra"\n)\n'
    (tmp_path / "doc" / "util.go").write_text(util, encoding="utf-8")

    graph = analyze_project(tmp_path).import_graph()

    assert graph == {"args": set(), "cobra": set(), "doc/util": {"args", "cobra"}}


# -- the recorded slices: CodeScribe against go/doc and go list, offline -----------------------


def _go_slices() -> list[Path]:
    if not DATA.is_dir():
        return []
    return sorted(
        folder
        for folder in DATA.iterdir()
        if (folder / "reference.json").is_file()
        and json.loads((folder / "reference.json").read_text(encoding="utf-8"))["language"] == "go"
    )


def test_there_are_two_go_slices_and_one_checks_an_import_edge() -> None:
    slices = _go_slices()
    assert [folder.name for folder in slices] == ["afero-1.9.3", "cobra-1.6.1"]
    assert all(json.loads((folder / "reference.json").read_text(encoding="utf-8"))["edges"] for folder in slices)


@pytest.mark.parametrize("slice_dir", _go_slices(), ids=lambda folder: folder.name)
def test_the_go_slice_meets_the_targets(slice_dir: Path) -> None:
    _, agreement = check(slice_dir)

    assert agreement.misses("go") == [], agreement.disagreements
    assert agreement.fields["names"][1] > 150
