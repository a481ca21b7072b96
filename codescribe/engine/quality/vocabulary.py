"""Names a document may use without the analysed code defining them: keywords, builtins, common methods."""

from __future__ import annotations

import builtins
import encodings.aliases
import keyword
import sys
import typing
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

__all__ = ["COMMON_ALIASES", "COMMON_METHODS", "FILE_EXTENSIONS", "LANGUAGE_NAMES", "language_names"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PYTHON = frozenset(
    {name for name in dir(builtins) if not name.startswith("_")}
    | set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(typing.__all__)
    | set(sys.stdlib_module_names)
    | set(encodings.aliases.aliases)
    | set(encodings.aliases.aliases.values())  # codec names: ``utf_8``, ``latin_1``
    | {"self", "cls", "args", "kwargs", "pytest", "asyncio", "dataclass", "dataclasses", "field", "typing_extensions"}
)


def _global_names(name: str) -> frozenset[str]:
    """The names listed in ``data/<name>`` (one per line; ``#`` lines are its source and notes)."""
    text = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


_JAVASCRIPT = _global_names("javascript_globals.txt") | _words(
    """
    break case catch class const continue debugger default delete do else export extends finally for function if
    import in instanceof let new return super switch this throw try typeof var void while with yield async await of
    static get set null undefined true false NaN Infinity arguments require module exports console Math Promise JSON
    Object Array String Number Boolean Date Error TypeError RangeError SyntaxError ReferenceError Map Set WeakMap
    WeakSet Symbol RegExp BigInt Intl Reflect Proxy parseInt parseFloat isNaN isFinite setTimeout setInterval
    clearTimeout clearInterval setImmediate queueMicrotask fetch process window document globalThis Buffer URL
    URLSearchParams structuredClone AbortController TextEncoder TextDecoder describe it test expect beforeEach
    afterEach beforeAll afterAll jest vi React useState useEffect node npm
    """
)

_TYPESCRIPT = _JAVASCRIPT | _words(
    """
    string number boolean any unknown never void object symbol bigint interface type enum implements namespace
    declare readonly keyof infer is as satisfies abstract private protected public Record Partial Required Readonly
    Pick Omit Exclude Extract NonNullable ReturnType Parameters Awaited InstanceType Array ReadonlyArray
    """
)

_GO = _words(
    """
    break case chan const continue default defer else fallthrough for func go goto if import interface map package
    range return select struct switch type var nil true false iota append cap close complex copy delete imag len
    make new panic print println real recover error string int int8 int16 int32 int64 uint uint8 uint16 uint32
    uint64 uintptr float32 float64 byte rune bool any fmt errors context strings strconv time os io http json log
    sync testing Println Printf Sprintf Errorf
    """
)

_JAVA = _words(
    """
    abstract assert boolean break byte case catch char class const continue default do double else enum extends
    final finally float for goto if implements import instanceof int interface long native new package private
    protected public return short static strictfp super switch synchronized this throw throws transient try void
    volatile while var record null true false String Object Integer Long Double Float Boolean Character List Map Set
    ArrayList HashMap HashSet Optional Stream Collectors System Math Arrays Collections Exception RuntimeException
    IllegalArgumentException IllegalStateException IOException Override println printf
    """
)

_RUST = _words(
    """
    as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move
    mut pub ref return self Self static struct super trait true type unsafe use where while Some None Ok Err Option
    Result Vec String Box Rc Arc RefCell HashMap HashSet BTreeMap str usize isize u8 u16 u32 u64 u128 i8 i16 i32
    i64 i128 f32 f64 bool char println print format vec panic assert assert_eq unwrap expect std clone into iter
    Fn FnMut FnOnce Send Sync Sized Unpin Copy Clone Debug Display Default Drop Eq PartialEq Ord PartialOrd Hash
    Iterator IntoIterator DoubleEndedIterator ExactSizeIterator Extend FromIterator From Into TryFrom TryInto
    AsRef AsMut Borrow ToOwned ToString Deref DerefMut Error Future Pin Cow Cell Mutex RwLock VecDeque BTreeSet
    BinaryHeap PhantomData Formatter Path PathBuf Duration Instant fmt io mem ptr env thread alloc core derive
    cfg macro_rules eprintln write writeln todo unimplemented unreachable matches dbg debug_assert
    """
)

#: Names of naming conventions, which any document may use (``snake_case``, ``camelCase`` ...).
_CONVENTIONS = _words(
    """
    snake_case camelCase lowerCamelCase UpperCamelCase PascalCase kebab-case SCREAMING_SNAKE_CASE
    UPPER_SNAKE_CASE UPPER_CASE lower_case Title_Case
    """
)
#: Processor architectures and operating systems, as platform tags and target triples write them.
_PLATFORMS = _words(
    """
    x86_64 x86 amd64 aarch64 arm64 armv7 armv7l i386 i686 ppc64le s390x riscv64 wasm32 wasm64 macOS iOS iPadOS
    tvOS watchOS visionOS Linux linux macos darwin Darwin win32 win64 Windows FreeBSD OpenBSD NetBSD Android musl
    glibc manylinux musllinux
    """
)

LANGUAGE_NAMES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        language: names | _CONVENTIONS | _PLATFORMS
        for language, names in {
            "python": _PYTHON,
            "javascript": _JAVASCRIPT,
            "jsx": _JAVASCRIPT,
            "typescript": _TYPESCRIPT,
            "tsx": _TYPESCRIPT,
            "go": _GO,
            "java": _JAVA,
            "rust": _RUST,
        }.items()
    }
)
_ALL = frozenset().union(*LANGUAGE_NAMES.values())


def language_names(language: str) -> frozenset[str]:
    """Keywords, builtins and common library names of a language: names a document may use freely.

    Args:
        language: the language's name, any case (``python``, ``TypeScript`` ...).

    Returns:
        The language's names from :data:`LANGUAGE_NAMES`; for a language not in the table, every
        known language's.

    Examples:
        >>> "len" in language_names("Python"), "console" in language_names("typescript")
        (True, True)
        >>> "println" in language_names("cobol")
        True
    """
    return LANGUAGE_NAMES.get(language.lower(), _ALL)


#: Methods of builtin types: ``text.split()`` or ``items.append()`` in an example claims nothing.
COMMON_METHODS: frozenset[str] = frozenset(
    {
        name
        for kind in (str, bytes, list, dict, set, tuple, int, float)
        for name in dir(kind)
        if not name.startswith("_")
    }
    | _words(
        """
        read write close readline readlines flush seek open push shift unshift map filter reduce forEach find
        findIndex some every includes indexOf slice splice concat trim toLowerCase toUpperCase startsWith endsWith
        then catch finally toString valueOf entries has add delete length log warn info debug error sort reverse
        flat flatMap fill at assign freeze resolve reject all race unwrap expect clone iter collect
        """
    )
)

#: Conventional import aliases (``import numpy as np``) that analysis does not record.
COMMON_ALIASES: frozenset[str] = frozenset({"np", "pd", "plt", "tf", "sns", "nx", "sp", "jnp", "torch", "_"})

#: Last parts of dotted names that make them file names (``config.yaml``), not identifiers.
FILE_EXTENSIONS: frozenset[str] = _words(
    """
    py pyi pyc js mjs cjs jsx ts tsx md rst txt json yaml yml toml cfg ini env lock html css scss csv tsv xml sh
    bash rs go java kt c h cpp hpp rb php sql log gz zip tar whl in png jpg svg gif pdf
    """
)
