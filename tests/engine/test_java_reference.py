"""CodeScribe's Java analysis against javadoc's: one test per fix, on Java copied from the corpus
(Apache commons-csv 1.9.0, commons-io 2.11.0, commons-lang3 3.12.0), and the recorded slices.

The slices (``tests/reference/data/commons-*``) hold a few files of each library with javadoc's
answers about them (``python -m reference record commons-csv commons-io commons-lang3``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codescribe.engine.analysis.model import ClassInfo, FileAnalysis, FunctionInfo
from codescribe.engine.analysis.project import analyze_project
from codescribe.engine.analysis.treesitter import analyze_with_treesitter
from reference.harness import DATA, check

pytest.importorskip("tree_sitter_java")

JAVA_SLICES = sorted(
    path
    for path in DATA.iterdir()
    if (path / "reference.json").is_file()
    and json.loads((path / "reference.json").read_text(encoding="utf-8"))["language"] == "java"
)


def analyse(source: str) -> FileAnalysis:
    return analyze_with_treesitter(source, "Example.java", "java")


def klass(analysis: FileAnalysis, name: str) -> ClassInfo:
    return next(cls for cls in analysis.classes if cls.name == name)


def method(analysis: FileAnalysis, qualname: str) -> FunctionInfo:
    return next(m for cls in analysis.classes for m in cls.methods if m.qualname == qualname)


# commons-io 2.11.0, input/ProxyInputStream.java
PROXY_INPUT_STREAM = """\
public abstract class ProxyInputStream extends FilterInputStream {

    /**
     * Invoked by the read methods after the proxied call has returned
     * successfully.
     *
     * @since 2.0
     * @param n number of bytes read, or -1 if the end of stream was reached
     * @throws IOException if the post-processing fails
     */
    @SuppressWarnings("unused") // Possibly thrown from subclasses.
    protected void afterRead(final int n) throws IOException {
        // no-op
    }

    private void skipNothing() {
    }
}
"""


def test_protected_members_are_documented_api_as_javadoc_has_them() -> None:
    analysis = analyse(PROXY_INPUT_STREAM)

    assert method(analysis, "ProxyInputStream.afterRead").is_public
    assert not method(analysis, "ProxyInputStream.skipNothing").is_public


def test_signature_leaves_out_comments_between_annotations_modifiers_and_throws() -> None:
    # commons-io 2.11.0, IOUtils.java: "@SuppressWarnings(...) // comment" and "//NOSONAR" before throws
    source = """\
public class IOUtils {
    @SuppressWarnings("resource") // parameter null check
    public static BufferedInputStream buffer(final InputStream inputStream) {
        return null;
    }

    @Deprecated
    public static void write(final StringBuffer data, final Writer writer) //NOSONAR
            throws IOException {
    }
}
"""
    analysis = analyse(source)

    assert method(analysis, "IOUtils.buffer").signature == (
        "public static BufferedInputStream buffer(final InputStream inputStream)"
    )
    assert method(analysis, "IOUtils.write").signature == (
        "public static void write(final StringBuffer data, final Writer writer) throws IOException"
    )
    assert method(analyse(PROXY_INPUT_STREAM), "ProxyInputStream.afterRead").signature == (
        "protected void afterRead(final int n) throws IOException"
    )


def test_javadoc_reaches_past_line_comments_and_blank_lines_as_javac_does() -> None:
    # commons-io 2.11.0: FileUtils.byteCountToDisplaySize (a "// See ..." line between),
    # input/UnsynchronizedByteArrayInputStream ("//@NotThreadSafe"), HexDump.dump (a blank line).
    source = """\
/**
 * This is an alternative to {@link java.io.ByteArrayInputStream}
 * which removes the synchronization overhead for non-concurrent
 * access; as such this class is not thread-safe.
 *
 * @since 2.7
 */
//@NotThreadSafe
public class UnsynchronizedByteArrayInputStream extends InputStream {
    /**
     * Returns a human-readable version of the file size, where the input represents a specific number of bytes.
     *
     * @since 2.4
     */
    // See https://issues.apache.org/jira/browse/IO-226 - should the rounding be changed?
    public static String byteCountToDisplaySize(final BigInteger size) {
        return null;
    }

    /**
     * Dump an array of bytes to an OutputStream.
     */

    public static void dump(final byte[] data, final long offset,
                            final OutputStream stream, final int index)
            throws IOException, ArrayIndexOutOfBoundsException,
            IllegalArgumentException {
    }

    public static void undocumented() {
    }
}
"""
    analysis = analyse(source)

    assert klass(analysis, "UnsynchronizedByteArrayInputStream").docstring == (
        "This is an alternative to {@link java.io.ByteArrayInputStream}\n"
        "which removes the synchronization overhead for non-concurrent\n"
        "access; as such this class is not thread-safe.\n\n@since 2.7"
    )
    byte_count = method(analysis, "UnsynchronizedByteArrayInputStream.byteCountToDisplaySize")
    assert byte_count.docstring is not None
    assert byte_count.docstring.endswith("@since 2.4")
    dump = method(analysis, "UnsynchronizedByteArrayInputStream.dump")
    assert dump.docstring == "Dump an array of bytes to an OutputStream."
    assert dump.signature == (
        "public static void dump(final byte[] data, final long offset, final OutputStream stream, final int index) "
        "throws IOException, ArrayIndexOutOfBoundsException, IllegalArgumentException"
    )
    assert method(analysis, "UnsynchronizedByteArrayInputStream.undocumented").docstring is None


def test_javadoc_gutter_of_several_stars_and_unicode_escapes_read_as_javac_reads_them() -> None:
    # commons-lang3 3.12.0: BooleanUtils.toBooleanObject (a "**" line), CharUtils.NUL ("\\u0000")
    source = """\
public class CharUtils {
    /**
     * {@code \\u0000} null control character ('\\0'), abbreviated NUL.
     *
     * @since 3.6
     */
    public static final char NUL = '\\0';

    /**
     * <p>The checks are done first for the {@code trueValue}, then for the {@code falseValue} and
     * finally for the {@code nullValue}.</p>
     **
     * <pre>
     *   BooleanUtils.toBooleanObject(Integer.valueOf(0), Integer.valueOf(0), Integer.valueOf(2), \
Integer.valueOf(3)) = Boolean.TRUE
     * </pre>
     */
    public static Boolean toBooleanObject(final Integer value, final Integer trueValue, final Integer falseValue,
                                          final Integer nullValue) {
        return null;
    }
}
"""
    analysis = analyse(source)

    assert klass(analysis, "CharUtils").attributes[0].docstring == (
        "{@code \x00} null control character ('\\0'), abbreviated NUL.\n\n@since 3.6"
    )
    assert method(analysis, "CharUtils.toBooleanObject").docstring == (
        "<p>The checks are done first for the {@code trueValue}, then for the {@code falseValue} and\n"
        "finally for the {@code nullValue}.</p>\n\n<pre>\n"
        "  BooleanUtils.toBooleanObject(Integer.valueOf(0), Integer.valueOf(0), Integer.valueOf(2),"
        " Integer.valueOf(3)) = Boolean.TRUE\n</pre>"
    )


def test_fields_constants_and_enum_constants_are_attributes() -> None:
    # commons-csv 1.9.0, QuoteMode.java and Constants.java (shortened); commons-io 2.11.0, IOCase.java
    source = """\
public enum QuoteMode {

    /**
     * Quotes all fields.
     */
    ALL,

    /**
     * Never quotes fields.
     */
    NONE
}

final class Constants {

    static final char BACKSPACE = '\\b';

    static final String[] EMPTY_STRING_ARRAY = {};
}

public enum IOCase {
    SENSITIVE("Sensitive", true);

    /** Serialization version. */
    private static final long serialVersionUID = -6343169151696340687L;

    /** The enumeration name. */
    private final transient String name;

    /** The sensitivity flag. */
    protected final transient boolean sensitive;
}

public interface PathCounters {
    int LIMIT = 3, SIZES[] = {1};
}
"""
    analysis = analyse(source)

    assert [(v.name, v.kind, v.docstring) for v in klass(analysis, "QuoteMode").attributes] == [
        ("ALL", "enum_member", "Quotes all fields."),
        ("NONE", "enum_member", "Never quotes fields."),
    ]
    assert [(v.name, v.kind, v.annotation, v.value, v.is_public) for v in klass(analysis, "Constants").attributes] == [
        ("BACKSPACE", "constant", "char", "'\\b'", False),
        ("EMPTY_STRING_ARRAY", "constant", "String[]", "{}", False),
    ]
    assert [(v.name, v.kind, v.value, v.is_public) for v in klass(analysis, "IOCase").attributes] == [
        ("SENSITIVE", "enum_member", '("Sensitive", true)', True),
        ("serialVersionUID", "constant", "-6343169151696340687L", False),
        ("name", "field", None, False),
        ("sensitive", "field", None, True),
    ]
    assert [(v.name, v.kind, v.annotation, v.is_public) for v in klass(analysis, "PathCounters").attributes] == [
        ("LIMIT", "constant", "int", True),
        ("SIZES", "constant", "int[]", True),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # commons-io 2.11.0, file/CountingPathVisitor.java: a nested type
        ("import org.apache.commons.io.file.Counters.PathCounters;", ["io/file/Counters"]),
        # commons-io 2.11.0, input/BoundedReader.java: a static import of a member
        ("import static org.apache.commons.io.IOUtils.EOF;", ["io/IOUtils"]),
        # a package wildcard names every file of the package
        ("import org.apache.commons.io.file.*;", ["io/file/Counters", "io/file/PathUtils"]),
        # commons-csv 1.9.0, CSVFormat.java style: a static wildcard names the class's file
        ("import static org.apache.commons.io.IOUtils.*;", ["io/IOUtils"]),
        ("import java.util.Objects;", []),
    ],
)
def test_imports_resolve_to_files_by_path_suffix(tmp_path: Path, source: str, expected: list[str]) -> None:
    from codescribe.engine.analysis.languages.java import import_targets

    modules = {
        f"src/main/java/org/apache/commons/{name}": f"src/main/java/org/apache/commons/{name}.java"
        for name in ("io/IOUtils", "io/file/Counters", "io/file/PathUtils", "io/file/spi/FileSystemProviders")
    }
    (imported,) = analyse(source + "\nclass A {}\n").imports

    assert import_targets(imported, "A.java", modules, tmp_path) == [
        f"src/main/java/org/apache/commons/{name}" for name in expected
    ]


def test_import_graph_of_a_slice_joins_packages() -> None:
    root = DATA / "commons-io-2.11.0" / "src"
    graph = analyze_project(root).import_graph()
    base = "src/main/java/org/apache/commons/io/"

    assert graph[base + "filefilter/IOFileFilter"] == {base + "file/PathFilter"}
    assert graph[base + "file/CountingPathVisitor"] == {base + "file/Counters"}
    assert graph[base + "filefilter/NameFileFilter"] == {base + "IOCase"}


@pytest.mark.parametrize("slice_dir", JAVA_SLICES, ids=lambda path: path.name)
def test_recorded_java_slices_meet_the_targets(slice_dir: Path) -> None:
    _, agreement = check(slice_dir)

    assert agreement.misses("java") == [], agreement.disagreements
    assert agreement.edges["recall"][1] > 0  # the slice has import edges to check


def test_there_are_java_slices_of_two_libraries_at_least() -> None:
    assert len(JAVA_SLICES) >= 2


def test_annotation_elements_are_methods_without_their_default() -> None:
    # commons-lang3 3.12.0, src/test/java/org/apache/commons/lang3/AnnotationUtilsTest.java
    source = """\
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD})
    public @interface TestMethodAnnotation {
        Class<? extends Throwable> expected() default None.class;

        long timeout() default 0L;
    }
"""
    annotation = klass(analyse(source), "TestMethodAnnotation")

    assert annotation.kind == "annotation"
    assert [(m.signature, m.is_public) for m in annotation.methods] == [
        ("Class<? extends Throwable> expected()", True),
        ("long timeout()", True),
    ]


def test_compact_constructor_takes_its_records_components() -> None:
    # Not from the corpus (its libraries are Java 8, without records): the smallest compact constructor.
    source = "public record Range(int low, int high) {\n    public Range {\n    }\n}\n"
    constructor = method(analyse(source), "Range.Range")

    assert constructor.signature == "public Range(int low, int high)"
    assert [p.name for p in constructor.parameters] == ["low", "high"]


def test_a_licence_header_is_not_the_module_docstring_only_package_javadoc_is() -> None:
    """javadoc reads a package's documentation from the ``/** */`` before ``package``; a ``/* */`` licence is no doc."""
    licence = "/*\n * Licensed to the Apache Software Foundation (ASF).\n */\npackage a.b;\n\npublic class X {}\n"
    assert analyze_with_treesitter(licence, "X.java", "java").module_docstring is None
    package_info = "/*\n * Licensed.\n */\n/**\n * Parsers for CSV.\n */\npackage a.b;\n"
    assert analyze_with_treesitter(package_info, "package-info.java", "java").module_docstring == "Parsers for CSV."


def test_type_parameters_are_documented_and_shown(tmp_path: Path) -> None:
    # Trial of issue 12: `@param <T>` showed as "**Param:** <T> ..." (an HTML tag on the page), and the
    # offline doc comment of a generic method had no `@param <K>`, which javadoc's doclint asks for.
    from codescribe.engine.generator import DocGenerator

    source = (
        "package demo;\n\n/**\n * A box.\n *\n * @param <T> the type of the value\n */\npublic class Box<T> {\n"
        "    public <K, V extends Comparable<V>> java.util.Map<K, V> pair(K key, V value) {\n        return null;\n"
        "    }\n}\n"
    )
    generator = DocGenerator(offline=True)

    page = generator.generate_documentation(source, doc_type="api", filename="Box.java").documentation
    rewritten = generator.generate_documentation(source, doc_type="docstrings", filename="Box.java").documentation

    assert "**Type parameters:**\n\n- `T`: the type of the value" in page
    assert "<T>" not in page.replace("Box<T>", "")
    assert " * @param <K> the type of {@code key}\n" in rewritten
    assert " * @param <V> the type of {@code value}\n" in rewritten
