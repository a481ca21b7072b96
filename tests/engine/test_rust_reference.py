"""Rust analysis fixes found by comparing with rustdoc's JSON; the snippets are copied from anyhow 1.0.69
and semver 1.0.14 (MIT OR Apache-2.0, David Tolnay)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codescribe.engine.analysis.model import ClassInfo, FileAnalysis, ImportInfo
from codescribe.engine.analysis.project import ProjectAnalysis
from codescribe.engine.analysis.treesitter import analyze_with_treesitter

pytest.importorskip("tree_sitter_rust")

from codescribe.engine.analysis.languages.rust import import_targets


def rust(source: str, path: str = "src/lib.rs") -> FileAnalysis:
    return analyze_with_treesitter(source, path, "rust")


def klass(analysis: FileAnalysis, name: str) -> ClassInfo:
    return next(cls for cls in analysis.classes if cls.name == name)


# anyhow/src/macros.rs
BAIL = """\
/// Return early with an error.
///
/// This macro is equivalent to `return Err(anyhow!($args...))`.
#[macro_export]
macro_rules! bail {
    ($msg:literal $(,)?) => {
        return $crate::__private::Err($crate::__anyhow!($msg))
    };
}

#[doc(hidden)]
macro_rules! __parse_ensure {
    () => {};
}
"""


def test_exported_macros_are_public_functions_named_as_invoked() -> None:
    bail, private = rust(BAIL, "src/macros.rs").functions

    assert (bail.name, bail.declaration, bail.is_public) == ("bail!", "macro_rules! bail", True)
    assert (
        bail.docstring == "Return early with an error.\n\nThis macro is equivalent to `return Err(anyhow!($args...))`."
    )
    assert bail.decorators == ("macro_export",)
    assert (private.name, private.is_public) == ("__parse_ensure!", False)


def test_tilde_tokens_in_a_macro_are_valid_rust() -> None:
    # anyhow/src/macros.rs, ensure! (the fuel its parser counts down)
    source = """/// Return early with an error if a condition is not satisfied.
#[macro_export]
macro_rules! ensure {
    ($($tt:tt)*) => {
        $crate::__parse_ensure!(
            /* fuel */ (~~~~~~~~~~ ~~~~~~~~~~)
            /* rest */ $($tt)*
        )
    };
    (0 $stack:tt $bail:tt (~$($fuel:tt)*) $($rest:tt)*) => {};
}
"""
    analysis = rust(source, "src/macros.rs")

    assert analysis.warnings == ()
    assert [(f.name, f.is_public) for f in analysis.functions] == [("ensure!", True)]


def test_type_aliases_are_types() -> None:
    # anyhow/src/lib.rs
    source = "/// `Result<T, Error>`\npub type Result<T, E = Error> = core::result::Result<T, E>;\n"

    alias = klass(rust(source), "Result")

    assert (alias.kind, alias.is_public, alias.docstring) == ("type", True, "`Result<T, Error>`")


def test_struct_fields_tuple_fields_and_enum_variants_are_attributes() -> None:
    # semver/src/lib.rs and anyhow/src/wrapper.rs
    source = (
        "pub struct Version {\n    pub major: u64,\n    pub minor: u64,\n    pub patch: u64,\n"
        "    pub pre: Prerelease,\n    pub build: BuildMetadata,\n}\n\n"
        "#[repr(transparent)]\npub struct MessageError<M>(pub M);\n\n"
        "pub(crate) struct ContextError<C, E> {\n    pub context: C,\n    pub error: E,\n}\n\n"
        "pub enum Op {\n    Exact,\n    Greater,\n\n    #[cfg(no_non_exhaustive)] // rustc <1.40\n"
        "    #[doc(hidden)]\n    __NonExhaustive,\n}\n"
    )
    analysis = rust(source)

    version = klass(analysis, "Version")
    assert [(a.name, a.kind, a.annotation, a.is_public) for a in version.attributes][:2] == [
        ("major", "field", "u64", True),
        ("minor", "field", "u64", True),
    ]
    assert [(a.name, a.annotation, a.is_public) for a in klass(analysis, "MessageError").attributes] == [
        ("0", "M", True)
    ]
    assert [a.name for a in klass(analysis, "ContextError").attributes] == ["context", "error"]
    assert [(a.name, a.kind, a.line) for a in klass(analysis, "Op").attributes] == [
        ("Exact", "enum_member", 18),
        ("Greater", "enum_member", 19),
        ("__NonExhaustive", "enum_member", 23),
    ]


def test_inherent_impl_consts_and_docs_across_attributes_and_comments() -> None:
    # semver/src/lib.rs
    source = (
        "pub struct VersionReq {\n    pub comparators: Vec<Comparator>,\n}\n\n"
        "impl VersionReq {\n"
        "    /// A `VersionReq` with no constraint on the version numbers it matches.\n"
        "    #[cfg(not(no_const_vec_new))] // rustc <1.39\n"
        "    pub const STAR: Self = VersionReq {\n        comparators: Vec::new(),\n    };\n\n"
        "    /// Create `VersionReq` by parsing from string representation.\n"
        "    pub fn parse(text: &str) -> Result<Self, Error> {\n        Self::from_str(text)\n    }\n}\n"
    )
    request = klass(rust(source), "VersionReq")

    star = request.attributes[-1]
    assert (star.name, star.kind, star.is_public) == ("STAR", "constant", True)
    assert star.docstring == "A `VersionReq` with no constraint on the version numbers it matches."
    assert request.methods[0].docstring == "Create `VersionReq` by parsing from string representation."


def test_types_of_inline_modules_are_named_with_their_module() -> None:
    # anyhow/src/context.rs
    source = (
        "mod ext {\n    use super::*;\n\n    pub trait StdError {\n"
        "        fn ext_context<C>(self, context: C) -> Error\n        where\n"
        "            C: Display + Send + Sync + 'static;\n    }\n}\n\n"
        "pub(crate) mod private {\n    use super::*;\n\n    pub trait Sealed {}\n\n"
        "    impl<T, E> Sealed for Result<T, E> where E: ext::StdError {}\n}\n"
    )
    analysis = rust(source, "src/context.rs")

    trait = klass(analysis, "ext::StdError")
    assert (trait.kind, [m.name for m in trait.methods]) == ("trait", ["ext_context"])
    assert klass(analysis, "private::Sealed").kind == "trait"


def test_mod_declarations_body_uses_and_nested_use_lists_are_imports() -> None:
    # anyhow/src/lib.rs and anyhow/src/error.rs
    source = (
        "mod backtrace;\nmod chain;\n\npub use crate::{chain::Chain, error::{Error as E, ErrorImpl}};\n\n"
        "impl Error {\n    pub fn msg<M>(message: M) -> Self {\n"
        "        use crate::wrapper::MessageError;\n        MessageError(message)\n    }\n}\n"
    )
    assert rust(source).imports == (
        ImportInfo("self", ("backtrace",), 1),
        ImportInfo("self", ("chain",), 2),
        ImportInfo("crate::chain", ("Chain",), 4),
        ImportInfo("crate::error", ("Error", "ErrorImpl"), 4),
        ImportInfo("crate::wrapper", ("MessageError",), 8),
    )


def test_import_targets_follow_the_module_tree(tmp_path: Path) -> None:
    files = {
        "src/lib.rs": "mod context;\nmod error;\nmod ptr;\n",
        "src/error.rs": "use crate::ptr::{Own, Ref};\nuse crate::{Error, StdError};\nuse core::fmt;\n",
        "src/ptr/mod.rs": "use super::error::ErrorImpl;\n",
        "src/context.rs": "mod ext {\n    use super::*;\n}\nuse error::ErrorImpl;\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    project = ProjectAnalysis(root=tmp_path, files={name: rust(text, name) for name, text in files.items()})

    assert project.import_graph() == {
        "src/lib": {"src/context", "src/error", "src/ptr/mod"},
        "src/error": {"src/ptr/mod", "src/lib"},
        "src/ptr/mod": {"src/error"},
        "src/context": set(),  # super inside mod ext is context itself; error is no child of context
    }
    modules = project.modules
    assert import_targets(ImportInfo("super", ("*",), 2), "src/context.rs", modules, tmp_path) == ["src/context"]
    assert import_targets(ImportInfo("std::fmt", ("Debug",)), "src/lib.rs", modules, tmp_path) == []


def test_recorded_rust_slices_meet_the_targets() -> None:
    from reference.harness import DATA, check, language_module

    slices = [p for p in sorted(DATA.iterdir()) if p.is_dir() and any(p.name == k.key for k in _rust_packages())]
    assert len(slices) == 2
    for slice_dir in slices:
        _, agreement = check(slice_dir)
        assert agreement.misses("rust") == [], agreement.disagreements
        assert agreement.fields["names"][1] > 30
    assert language_module("rust").LANGUAGE == "rust"


def _rust_packages() -> tuple[object, ...]:
    from reference import lang_rust

    return tuple(lang_rust.PACKAGES)
