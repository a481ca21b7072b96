"""Analysis of JavaScript, TypeScript, TSX, Go, Java and Rust through tree-sitter, and the regex fallback."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from codescribe.engine.analysis import analyze_source, treesitter
from codescribe.engine.analysis.model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, Parameter
from codescribe.engine.analysis.treesitter import SUPPORTED_LANGUAGES, TreeSitterUnavailable, analyze_with_treesitter

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_FILES = {
    "javascript": "javascript/cart.js",
    "typescript": "typescript/userService.ts",
    "tsx": "tsx/TodoList.tsx",
    "go": "go/store.go",
    "java": "java/InventoryService.java",
    "rust": "rust/ledger.rs",
}


def analyse(language: str) -> FileAnalysis:
    relative = FIXTURE_FILES[language]
    return analyze_with_treesitter((FIXTURES / relative).read_text(encoding="utf-8"), relative, language)


def function(analysis: FileAnalysis, qualname: str) -> FunctionInfo:
    return next(f for f in analysis.all_functions if f.qualname == qualname)


def klass(analysis: FileAnalysis, name: str) -> ClassInfo:
    return next(c for c in analysis.classes if c.name == name)


# -- the module -------------------------------------------------------------------------------


def test_supported_languages_are_the_six_languages_grammars() -> None:
    assert frozenset({"python", "javascript", "typescript", "tsx", "go", "java", "rust"}) == SUPPORTED_LANGUAGES


def test_importing_the_module_does_not_import_tree_sitter() -> None:
    code = (
        "import sys, codescribe.engine.analysis.treesitter; "
        "sys.exit(any(name.startswith('tree_sitter') for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_an_unsupported_language_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="cobol"):
        analyze_with_treesitter("IDENTIFICATION DIVISION.", "a.cbl", "cobol")


@pytest.fixture
def fresh_grammar_cache() -> Iterator[None]:
    treesitter._language.cache_clear()
    yield
    treesitter._language.cache_clear()


@pytest.mark.usefixtures("fresh_grammar_cache")
def test_a_missing_grammar_raises_tree_sitter_unavailable_naming_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tree_sitter_go", None)  # makes "import tree_sitter_go" fail

    with pytest.raises(TreeSitterUnavailable, match=r"pip install --force-reinstall codescribe-docs") as caught:
        analyze_with_treesitter("package main\n", "main.go", "go")

    assert isinstance(caught.value, ImportError)
    assert "tree-sitter-go" in str(caught.value)

    analysis = analyze_source("package main\n\nfunc Run() {}\n", "main.go")  # a batch goes on: lines only
    assert (analysis.functions, analysis.lines.total, analysis.used_fallback) == ((), 3, True)
    assert "tree-sitter-go" in analysis.warnings[0]


def test_an_extractor_failure_counts_lines_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    class Exploding:
        SPEC = treesitter._extractor("go").SPEC

        @staticmethod
        def extract(ctx: object) -> None:
            raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(treesitter, "_extractor", lambda language: Exploding)

    analysis = analyze_with_treesitter("package p\n\nfunc Run() {}\n", "p.go", "go")

    assert analysis.used_fallback
    assert analysis.functions == ()  # nothing guessed
    assert analysis.lines.total == 3
    assert "RecursionError" in analysis.warnings[0]


@pytest.mark.parametrize("language", sorted(FIXTURE_FILES))
def test_fixtures_parse_cleanly_and_line_counts_add_up(language: str) -> None:
    analysis = analyse(language)
    lines = analysis.lines

    assert analysis.warnings == ()
    assert not analysis.used_fallback
    assert lines.total == len((FIXTURES / FIXTURE_FILES[language]).read_text().splitlines())
    assert lines.code + lines.comment + lines.blank == lines.total
    assert lines.comment > 0


@pytest.mark.parametrize("language", sorted(FIXTURE_FILES))
def test_a_2000_line_file_is_analysed_whole(language: str) -> None:
    source = (FIXTURES / FIXTURE_FILES[language]).read_text()
    big = "\n".join([source] * (2000 // source.count("\n") + 1))
    analyze_with_treesitter(source, "warm-up", language)  # loads the grammar and compiles the query

    analysis = analyze_with_treesitter(big, "big", language)
    single = analyze_with_treesitter(source, "one", language)

    assert analysis.lines.total >= 2000
    copies = big.count(source)
    assert len(analysis.functions) == copies * len(single.functions), "every copy's functions are found"


# -- JavaScript -------------------------------------------------------------------------------


def test_javascript_exported_function_has_signature_docstring_raises_and_complexity() -> None:
    add = function(analyse("javascript"), "addItem")

    assert add.signature == "addItem(cart, item, quantity = 1, ...tags)"
    assert add.parameters[-1] == Parameter("tags", kind="var_positional")
    assert add.docstring is not None
    assert add.docstring.startswith("Adds an item to the cart, merging quantities of the same SKU.")
    assert "@param {Cart} cart - the cart to change" in add.docstring
    assert add.raises == ("RangeError", "TypeError")
    assert add.complexity == 5  # if, ||, if, else-if
    assert (add.returns_value, add.is_public, add.is_method) == (True, True, False)
    assert (add.start_line, add.end_line) == (19, 32)


def test_javascript_arrow_function_assigned_to_a_const_is_a_function() -> None:
    total = function(analyse("javascript"), "cartTotal")

    assert total.signature == "cartTotal(cart, discount = 0)"
    assert total.docstring == "Total price of the cart, after the discount."
    assert total.returns_value  # an expression body returns its value
    assert total.complexity == 1


def test_javascript_plain_comment_is_no_docstring_and_export_clause_makes_public() -> None:
    analysis = analyse("javascript")
    describe = function(analysis, "describe")

    assert describe.docstring is None  # "// Not exported: ..." is a comment, not JSDoc
    assert describe.is_public  # export { describe as describeLine }
    assert describe.complexity == 2  # the ternary
    assert "describeLine" in analysis.exports
    assert "describe" not in analysis.exports


def test_javascript_default_exported_class_and_its_methods() -> None:
    analysis = analyse("javascript")
    cart = klass(analysis, "ObservableCart")

    assert (cart.kind, cart.bases, cart.is_public) == ("class", ("EventEmitter",), True)
    assert cart.docstring == "A cart that tells listeners when it changes."
    assert [m.qualname for m in cart.methods] == [
        "ObservableCart.constructor",
        "ObservableCart.remove",
        "ObservableCart.save",
    ]
    remove, save = cart.methods[1], cart.methods[2]
    assert remove.docstring == "Removes every line with the given SKU."
    assert remove.complexity == 3  # for, if; the arrow passed to filter is a function of its own
    assert save.is_async
    assert save.signature == "async save(store)"
    assert save.complexity == 2  # catch
    assert analysis.exports == ("addItem", "cartTotal", "default", "ObservableCart", "describeLine", "MAX_ITEMS")


def test_javascript_imports_include_require_calls_and_module_docstring() -> None:
    analysis = analyse("javascript")

    assert analysis.imports == (
        ImportInfo("./money.js", ("formatPrice", "roundTo"), 5),
        ImportInfo("../config.js", ("default",), 6, aliases=(("config", "default"),)),  # the default, bound to config
        ImportInfo("events", ("EventEmitter",), 7),
    )
    assert analysis.module_docstring == "Shopping-cart helpers shared by the checkout pages."
    assert (analysis.lines.total, analysis.lines.comment, analysis.lines.blank) == (73, 17, 10)


def test_javascript_commonjs_exports_are_exports() -> None:
    source = (
        "const a = () => 1;\n"
        "function helper() {}\n"
        "/** Handles one event. */\n"
        "exports.handler = async (event) => { return event.id; };\n"
        "module.exports = { a, b: helper };\n"
    )
    analysis = analyze_with_treesitter(source, "lambda.js", "javascript")

    # Node's answer (``Object.keys(require("./lambda.js"))``): the object assigned to ``module.exports`` replaces
    # the one ``exports`` names, so ``handler`` is lost. (TypeScript's checker lists ``handler`` alone.)
    assert analysis.exports == ("a", "b")
    assert {f.name: f.is_public for f in analysis.functions} == {"a": True, "helper": True}
    kept = analyze_with_treesitter(
        source.replace("module.exports = { a, b: helper };\n", ""), "lambda.js", "javascript"
    )
    handler = function(kept, "handler")
    assert handler.is_async
    assert handler.is_public
    assert handler.docstring == "Handles one event."


def test_a_jsdoc_block_touching_the_first_function_documents_it_not_the_file() -> None:
    analysis = analyze_with_treesitter(
        "/** Adds. */\nexport function add(a, b) { return a + b; }\n", "a.js", "javascript"
    )

    assert analysis.module_docstring is None
    assert analysis.functions[0].docstring == "Adds."


# -- TypeScript and TSX -----------------------------------------------------------------------


def test_typescript_signature_has_types_defaults_and_return_type() -> None:
    find = function(analyse("typescript"), "findUser")

    assert find.signature == "async findUser(client: HttpClient, id: UserId, retries: number = 3): Promise<User>"
    assert find.complexity == 5  # for, if, if, &&
    assert find.raises == ("InvalidInput", "NotFoundError")
    assert find.docstring == "Finds a user by id.\n\n@throws NotFoundError when no user has that id"
    assert find.returns_value
    assert find.is_public


def test_typescript_interfaces_enums_and_a_decorated_class() -> None:
    analysis = analyse("typescript")

    assert {c.name: c.kind for c in analysis.classes} == {
        "User": "interface",
        "UserId": "type",
        "Role": "enum",
        "UserCache": "class",
    }
    label = function(analysis, "User.label")
    assert label.signature == "label(prefix?: string): string"
    assert label.returns_value
    assert label.docstring == "Returns the display label."
    cache = klass(analysis, "UserCache")
    assert cache.decorators == ("injectable()",)
    assert cache.bases == ("Iterable<User>",)
    assert cache.docstring == "Caches users in memory."


def test_typescript_method_decorators_privacy_and_parameter_properties() -> None:
    analysis = analyse("typescript")

    get = function(analysis, "UserCache.get")
    assert get.decorators == ("logged",)
    assert get.docstring == "Returns the cached user, fetching it when missing."  # above the decorator
    assert get.signature == "async get(id: string): Promise<User>"
    evict = function(analysis, "UserCache.evict")
    assert evict.signature == "evict(...ids: string[]): void"
    assert not evict.is_public
    assert not evict.returns_value
    constructor = function(analysis, "UserCache.constructor")
    assert constructor.signature == "constructor(private readonly client: HttpClient, public ttl: number = 60)"
    assert function(analysis, "UserCache.[Symbol.iterator]").returns_value  # yield*


def test_typescript_exports_imports_and_leading_line_comments() -> None:
    analysis = analyse("typescript")

    assert analysis.exports == ("User", "UserId", "Role", "findUser", "UserCache")
    assert analysis.imports == (
        ImportInfo("./http", ("HttpClient",), 4),
        ImportInfo("node:path", ("path",), 5, namespace=True),  # import * as path
        ImportInfo("./errors", ("NotFoundError", "ValidationError"), 6, aliases=(("InvalidInput", "ValidationError"),)),
    )
    assert analysis.module_docstring == "User lookups backed by the HTTP API.\nCaches results for a minute."


def test_tsx_components_props_interface_and_default_export() -> None:
    analysis = analyse("tsx")

    todo = function(analysis, "TodoList")
    assert todo.signature == "TodoList({ items, onSelect }: TodoListProps): JSX.Element"
    assert todo.docstring == "Renders the to-do items, highlighting the selected one."
    assert todo.complexity == 2  # the early return; handlers inside the JSX are functions of their own
    empty = function(analysis, "EmptyState")
    assert empty.signature == 'EmptyState({ message = "All done" }: { message?: string })'
    assert empty.returns_value
    assert analysis.exports == ("TodoListProps", "TodoList", "default", "EmptyState")
    assert klass(analysis, "TodoListProps").kind == "interface"
    assert analysis.imports == (ImportInfo("react", ("default", "useState"), 1, aliases=(("React", "default"),)),)


# -- Go ---------------------------------------------------------------------------------------


def test_go_package_comment_imports_and_exports() -> None:
    analysis = analyse("go")

    assert analysis.module_docstring == (
        "Package store keeps key/value pairs in memory with expiry.\n\nIt is safe for concurrent use."
    )
    assert [(i.module, i.line) for i in analysis.imports] == [("errors", 7), ("fmt", 8), ("time", 9)]
    assert analysis.exports == ("ErrNotFound", "Getter", "Store", "New")


def test_go_function_with_result_type_and_doc() -> None:
    new = function(analyse("go"), "New")

    assert new.signature == "func New(ttl tm.Duration) *Store"
    assert new.docstring == "New makes a Store whose entries live for ttl, or the default when ttl is zero."
    assert (new.returns_value, new.is_public, new.complexity) == (True, True, 2)


def test_go_methods_attach_to_their_receiver_struct() -> None:
    analysis = analyse("go")
    store = klass(analysis, "Store")

    assert store.kind == "struct"
    assert store.docstring == "Store is an in-memory key/value store."
    assert [m.qualname for m in store.methods] == ["Store.Get", "Store.Put", "Store.purge"]
    get, put, purge = store.methods
    assert get.docstring == "Get returns the value stored under key."  # without the //go:noinline directive
    assert get.signature == "func (s *Store) Get(key string) (string, error)"
    assert put.signature == "func (s *Store) Put(prefix string, kv ...string)"
    assert not put.returns_value
    assert not purge.is_public
    assert not klass(analysis, "entry").is_public


def test_go_complexity_counts_cases_select_and_logical_operators() -> None:
    analysis = analyse("go")

    assert function(analysis, "Store.Get").complexity == 3  # if, ||
    assert function(analysis, "Store.Put").complexity == 4  # for, two cases (default is not a branch)
    assert function(analysis, "Store.purge").complexity == 6  # for, two select cases, for, if


def test_go_interface_methods_are_the_interfaces_methods() -> None:
    getter = klass(analyse("go"), "Getter")

    assert getter.kind == "interface"
    assert [(m.qualname, m.returns_value, m.docstring) for m in getter.methods] == [
        ("Getter.Get", True, "Get returns the value stored under key.")
    ]


def test_go_methods_of_a_type_declared_in_another_file_form_an_impl_group() -> None:
    source = "package p\n\nfunc (c *Client) Close() error { return nil }\nfunc (c *Client) reset() {}\n"
    analysis = analyze_with_treesitter(source, "client_close.go", "go")

    assert [(c.name, c.kind, c.is_public) for c in analysis.classes] == [("Client", "impl", True)]
    assert [m.name for m in analysis.classes[0].methods] == ["Close", "reset"]


# -- Java -------------------------------------------------------------------------------------


def test_java_class_with_annotation_bases_and_javadoc() -> None:
    analysis = analyse("java")
    service = klass(analysis, "InventoryService")

    assert service.bases == ("BaseService", "AutoCloseable", "Auditable")
    assert service.decorators == ("Service",)
    assert service.docstring == "Keeps stock levels per SKU and reserves items for orders.\n\n@author warehouse-team"
    assert service.is_public
    assert analysis.exports == ("InventoryService",)
    assert analysis.module_docstring is None  # the /* */ header is no Javadoc: javadoc does not read it


def test_java_method_with_varargs_throws_clause_and_annotations() -> None:
    reserve = function(analyse("java"), "InventoryService.reserve")

    assert reserve.signature == (
        "public int reserve(String sku, int quantity, String... notes) throws IOException, IllegalStateException"
    )
    assert reserve.raises == ("IOException", "IllegalStateException")
    assert reserve.decorators == ("Override", "Transactional(timeout = 5)")
    assert reserve.complexity == 5  # if, ||, for, ternary
    assert reserve.docstring is not None
    assert "@return the stock left after reserving" in reserve.docstring
    assert reserve.returns_value
    assert reserve.is_public
    assert reserve.is_method


def test_java_switch_cases_count_but_default_does_not() -> None:
    log = function(analyse("java"), "InventoryService.log")

    assert log.complexity == 4  # case 0, case 1, case 2
    assert not log.returns_value  # a bare "return;"
    assert not log.is_public


def test_java_constructor_interface_and_enum_members() -> None:
    analysis = analyse("java")

    constructor = function(analysis, "InventoryService.InventoryService")
    assert constructor.returns is None
    assert constructor.docstring == "Creates a service over the given stock levels."
    changes = function(analysis, "Auditable.changes")
    assert changes.is_public
    assert changes.returns_value
    assert not klass(analysis, "Auditable").is_public
    assert [(c.name, c.kind) for c in analysis.classes] == [
        ("InventoryService", "class"),
        ("Auditable", "interface"),
        ("Level", "enum"),
    ]
    assert function(analysis, "Level.urgent").returns_value


def test_java_imports_full_names_static_and_wildcard() -> None:
    assert analyse("java").imports == (
        ImportInfo("java.util.List", ("List",), 6),
        ImportInfo("java.util.Map", ("Map",), 7),
        ImportInfo("java.io.IOException", ("IOException",), 8),
        ImportInfo("java.util.Objects.requireNonNull", ("requireNonNull",), 9),
        ImportInfo("java.util.concurrent", ("*",), 10),
    )


# -- Rust -------------------------------------------------------------------------------------


def test_rust_inner_doc_comments_uses_and_pub_exports() -> None:
    analysis = analyse("rust")

    assert analysis.module_docstring == "A small double-entry ledger.\n\nAmounts are kept in cents."
    assert analysis.imports == (
        ImportInfo("std::collections", ("BTreeMap", "HashMap"), 5),
        ImportInfo("std", ("fmt",), 6),
        ImportInfo("crate::error", ("LedgerError",), 7),
        ImportInfo("super", ("*",), 77),
    )
    assert analysis.exports == ("Account", "Entry", "Audit", "total")


def test_rust_pub_async_fn_signature_and_doc() -> None:
    total = function(analyse("rust"), "total")

    assert total.signature == "pub async fn total(accounts: &[Account], floor: Option<i64>) -> i64"
    assert total.docstring == "Sums the balances of the given accounts."
    assert total.is_public
    assert total.returns_value
    assert total.complexity == 2  # for; the closure's if is its own


def test_rust_impl_methods_attach_to_their_struct_with_traits_as_bases() -> None:
    account = klass(analyse("rust"), "Account")

    assert account.kind == "struct"
    assert account.decorators == ("derive(Debug, Clone, PartialEq)",)
    assert account.bases == ("fmt::Display", "Audit")
    assert [m.name for m in account.methods] == ["new", "apply", "reset", "fmt", "audit"]
    new, apply, reset, fmt, audit = account.methods
    assert new.docstring == "Opens an account with a zero balance."
    assert apply.signature == "pub fn apply(&mut self, entry: &Entry) -> Result<i64, Error>"  # as Rust writes it
    assert apply.complexity == 3  # three match arms
    assert audit.complexity == 3  # if, &&
    assert (new.is_public, reset.is_public, fmt.is_public) == (True, False, True)  # trait impls need no pub
    assert not reset.returns_value


def test_rust_traits_attributes_and_functions_in_modules() -> None:
    analysis = analyse("rust")

    audit = klass(analysis, "Audit")
    assert (audit.kind, audit.docstring) == ("trait", "Something that can be audited.")
    assert audit.methods[0].docstring == "Returns the problems found."
    test = function(analysis, "tests::credit_adds")
    assert test.decorators == ("test",)
    assert not test.is_public
    assert klass(analysis, "Entry").kind == "enum"


def test_rust_question_mark_is_not_a_branch_and_never_type_returns_nothing() -> None:
    source = (
        "pub(crate) fn parse(s: &str) -> Result<i32, Error> {\n    let n = s.parse::<i32>()?;\n    Ok(n)\n}\n"
        "fn fail() -> ! { panic!() }\n"
        "impl Widget { pub fn show(&self) {} }\n"
    )
    analysis = analyze_with_treesitter(source, "lib.rs", "rust")

    parse, fail = analysis.functions
    assert parse.complexity == 1
    assert not parse.is_public  # pub(crate) stays inside the crate
    assert not fail.returns_value
    assert [(c.name, c.kind, [m.name for m in c.methods]) for c in analysis.classes] == [("Widget", "impl", ["show"])]


# -- syntax errors and odd input --------------------------------------------------------------

BROKEN = {
    "javascript": ("function ok(a) {\n  return a;\n}\n\nfunction broken(a {\n  return a;\n}\n", 5, "ok"),
    "typescript": ("export function ok(a: number): number {\n  return a;\n}\n\nclass B {\n  m(: void {}\n}\n", 6, "ok"),
    "tsx": ("export const Ok = () => <div>ok</div>;\n\nexport const Broken = () => <div>{items.map(</div>;\n", 3, "Ok"),
    "go": ("package p\n\nfunc Ok() int {\n\treturn 1\n}\n\nfunc Broken( {\n}\n", 7, "Ok"),
    "java": ("class A {\n    int ok() { return 1; }\n\n    void broken( {\n    }\n}\n", 4, "A.ok"),
    "rust": ("fn ok() -> i32 {\n    1\n}\n\nfn broken(x: i32 {\n}\n", 5, "ok"),
}


@pytest.mark.parametrize("language", sorted(BROKEN))
def test_syntax_errors_give_a_warning_with_the_line_and_keep_what_parsed(language: str) -> None:
    source, line, survivor = BROKEN[language]

    analysis = analyze_with_treesitter(source, "broken.src", language)

    assert analysis.warnings == (f"broken.src: syntax errors near line {line}; results may be incomplete",)
    assert survivor in {f.qualname for f in analysis.all_functions}
    assert not analysis.used_fallback


@pytest.mark.parametrize("language", sorted(SUPPORTED_LANGUAGES))
def test_empty_and_comment_only_files_are_fine(language: str) -> None:
    empty = analyze_with_treesitter("", "empty", language)
    marker = "#" if language == "python" else "//"
    comment = analyze_with_treesitter(f"{marker} only a comment\n", "comment", language)

    assert empty.functions == ()
    assert empty.lines.total == 0
    assert comment.lines.comment == 1


def test_line_numbers_and_names_survive_non_ascii_text_and_crlf() -> None:
    source = (
        '// Größe: 寸法\r\nconst label = "ünïcödé";\r\n\r\n'
        '/** Grüßt. */\r\nexport function grüßen(naïve = "é") {\r\n  return naïve;\r\n}\r\n'
    )

    analysis = analyze_with_treesitter(source, "u.js", "javascript")

    greet = analysis.functions[0]
    assert greet.signature == 'grüßen(naïve = "é")'
    assert (greet.start_line, greet.end_line, greet.docstring) == (5, 7, "Grüßt.")
    assert analysis.lines.total == 7
    assert analysis.lines.comment == 2


# -- files no parser reads whole ----------------------------------------------------------------

GARBAGE = {
    "empty": "",
    "whitespace": " \n\t\n",
    "binary": "\x00\x01\x02ELF\x7f\x00" * 500,
    "huge line": "x = (" * 200_000,
    "unbalanced": "class { def ( fn < func ) ] } impl for\n" * 100,
    "lone surrogates": "def \ud800(x):\n    return '\udfff'\n",
    "unclosed comment": "/* never closed\n" * 50,
    "unclosed docstring": 'def f():\n    """never closed\n',
    "control characters": "".join(chr(i) for i in range(32)) * 100,
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
@pytest.mark.parametrize("suffix", [".py", ".js", ".ts", ".go", ".rs", ".java"])
def test_analysis_never_raises_on_garbage(name: str, suffix: str) -> None:
    analysis = analyze_source(GARBAGE[name], f"garbage{suffix}")

    assert analysis.lines.code + analysis.lines.comment + analysis.lines.blank == analysis.lines.total


def test_python_with_a_syntax_error_is_read_around_it_as_ast_reads_the_rest() -> None:
    """tree-sitter's reading of a broken file agrees with ``ast``'s reading of the same file unbroken."""
    source = (FIXTURES / "python/inventory.py").read_text()
    lines = source.splitlines(keepends=True)
    broken_at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("def ")) + 1
    broken = "".join(lines[: broken_at - 1]) + lines[broken_at - 1].replace("(", "(:", 1) + "".join(lines[broken_at:])

    whole = analyze_source(source, "inventory.py")
    recovered = analyze_source(broken, "inventory.py")

    assert recovered.used_fallback
    assert f"syntax error at line {broken_at}" in recovered.warnings[0]

    def facts(analysis: FileAnalysis) -> set[tuple[object, ...]]:
        return {
            (f.qualname, f.start_line, f.end_line, f.docstring, f.is_async, f.raises, f.returns_value, f.complexity)
            for f in analysis.all_functions
            if f.start_line != broken_at
        }

    assert facts(recovered) == facts(whole)
    assert [c.name for c in recovered.classes] == [c.name for c in whole.classes]
    assert recovered.imports == whole.imports
    assert recovered.module_docstring == whole.module_docstring


def test_a_file_too_large_is_analysed_on_its_first_part(monkeypatch: pytest.MonkeyPatch) -> None:
    import codescribe.engine.analysis as analysis_module

    monkeypatch.setattr(analysis_module, "MAX_ANALYSED_CHARS", 200)
    source = "".join(f"def f{i}(x: int = {i}) -> int:\n    return x\n\n" for i in range(50))

    analysis = analyze_source(source, "big.py")

    assert analysis.used_fallback
    assert "only the first part" in analysis.warnings[0]
    assert [f.signature for f in analysis.functions[:2]] == ["f0(x: int = 0) -> int", "f1(x: int = 1) -> int"]
    assert 1 < len(analysis.functions) < 50


def test_go_type_aliases_are_declared_types_of_the_package() -> None:
    # Trial of issue 12: `type Handler = func(int) error` (go doc lists it) was left off every page.
    from codescribe.engine.analysis import analyze_source

    code = "package x\n\n// Handler handles.\ntype Handler = func(int) error\n\n"
    code += "type (\n\tName = string\n\tCount int\n)\n"
    found = {c.name: (c.kind, c.bases, c.docstring) for c in analyze_source(code, "x.go").classes}

    assert found["Handler"] == ("alias", ("func(int) error",), "Handler handles.")
    assert found["Name"][:2] == ("alias", ("string",))
    assert found["Count"][0] == "type"


def test_javascript_imports_keep_the_order_they_are_written_in_on_one_line() -> None:
    # Minified code puts every require() and import() on one line; tree-sitter's captures come in no fixed order.
    code = ";".join(f'v{i}=require("m{i}")' if i % 3 else f'import("m{i}")' for i in range(40))
    code += ';g(()=>require("n1"),f(require("n2")),import("n3"))\n'

    modules = [info.module for info in analyze_source(code, "bundle.min.js").imports]

    assert modules == re.findall(r'(?:require|import)\("([^"]+)"\)', code)


_PYTHON_CAUGHT = """
def kept(x):
    try:
        raise ValueError("x")
    except (TypeError, ValueError):
        return 1
def by_base(x):
    try:
        raise KeyError(x)
    except LookupError:
        return None
def by_exception(x):
    try:
        raise MyError()
    except Exception:
        pass
def bare(x):
    try:
        raise KeyError()
    except:
        raise RuntimeError() from None
def passed_on(x):
    try:
        raise KeyError(x)
    except LookupError:
        raise
def other_type(x):
    try:
        raise KeyError()
    except ValueError:
        pass
def outer_keeps(x):
    try:
        try:
            raise KeyError()
        except KeyError as err:
            raise err
    except Exception:
        return 0
def in_handler(x):
    try:
        pass
    except Exception:
        raise ValueError()
"""
_PYTHON_RAISES = {
    "kept": (),
    "by_base": (),
    "by_exception": (),
    "bare": ("RuntimeError",),
    "passed_on": ("KeyError",),
    "other_type": ("KeyError",),
    "outer_keeps": (),
    "in_handler": ("ValueError",),
}


@pytest.mark.parametrize("reader", ["ast", "tree-sitter"])
def test_a_python_raise_its_own_try_catches_and_keeps_is_not_raised(reader: str) -> None:
    if reader == "ast":
        found = analyze_source(_PYTHON_CAUGHT, "m.py")
    else:
        found = analyze_with_treesitter(_PYTHON_CAUGHT, "m.py", "python")
    assert {f.name: f.raises for f in found.functions} == _PYTHON_RAISES


@pytest.mark.parametrize("suffix", ["js", "ts"])
def test_a_javascript_throw_inside_try_with_a_catch_that_keeps_it_is_not_raised(suffix: str) -> None:
    source = """
function kept() { try { throw new E() } catch (e) { return 1 } }
function passedOn() { try { throw new E() } catch (e) { throw e } }
function onlyFinally() { try { throw new E() } finally { } }
function fromCatch() { try { run() } catch (e) { throw new F() } }
"""
    found = analyze_source(source, f"m.{suffix}")
    assert {f.name: f.raises for f in found.functions} == {
        "kept": (),
        "passedOn": ("E",),
        "onlyFinally": ("E",),
        "fromCatch": ("F",),
    }


def test_a_java_throw_its_own_catch_takes_and_keeps_is_not_raised() -> None:
    source = """
class C {
  void listed() {
    try { throw new IllegalStateException(); } catch (IllegalArgumentException | IllegalStateException e) { }
  }
  void other() { try { throw new IllegalStateException(); } catch (IOException e) { } }
  void error() { try { throw new AssertionError(); } catch (Exception e) { } }
  void resources() { try (var r = open()) { throw new X(); } catch (Throwable t) { } }
  void passedOn() { try { throw new X(); } catch (Exception e) { throw e; } }
}
"""
    methods = analyze_source(source, "C.java").classes[0].methods
    assert {m.name: m.raises for m in methods} == {
        "listed": (),
        "other": ("IllegalStateException",),
        "error": ("AssertionError",),
        "resources": (),
        "passedOn": ("X",),
    }
