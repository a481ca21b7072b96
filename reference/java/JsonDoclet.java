import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.TreePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import jdk.javadoc.doclet.Doclet;
import jdk.javadoc.doclet.DocletEnvironment;
import jdk.javadoc.doclet.Reporter;

/**
 * A javadoc doclet that writes, as JSON, what javadoc documents (public and protected types and
 * their members, with their signatures and doc comments) and each compilation unit's imports
 * resolved to the compilation units they name.
 *
 * <p>Run: {@code javadoc -doclet JsonDoclet -docletpath DIR -sourcepath SRC -subpackages PKG}, with
 * the environment variable {@code JSON_DOCLET_OUT} naming the output file. The JSON is {@code
 * {"records": [...], "edges": [[importer, imported], ...]}}, files as absolute paths.
 */
public class JsonDoclet implements Doclet {
    private DocTrees trees;
    private Elements elements;
    private DocletEnvironment env;
    private final List<Map<String, Object>> records = new ArrayList<>();

    @Override
    public void init(Locale locale, Reporter reporter) {}

    @Override
    public String getName() {
        return "JsonDoclet";
    }

    @Override
    public Set<? extends Option> getSupportedOptions() {
        return Collections.emptySet();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latest();
    }

    @Override
    public boolean run(DocletEnvironment environment) {
        env = environment;
        trees = environment.getDocTrees();
        elements = environment.getElementUtils();
        for (TypeElement type : ElementFilter.typesIn(environment.getIncludedElements())) {
            if (type.getNestingKind().isNested()) {
                continue; // visited from its outer type
            }
            visitType(type);
        }
        StringBuilder out = new StringBuilder("{\"records\": [\n");
        for (int i = 0; i < records.size(); i++) {
            out.append(i == 0 ? "" : ",\n").append(json(records.get(i)));
        }
        out.append("\n], \"edges\": [\n");
        List<String> edges = new ArrayList<>(edges());
        for (int i = 0; i < edges.size(); i++) {
            out.append(i == 0 ? "" : ",\n").append(edges.get(i));
        }
        out.append("\n]}\n");
        try {
            Files.write(Paths.get(System.getenv("JSON_DOCLET_OUT")), out.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return true;
    }

    // ---- records -------------------------------------------------------------------------

    private void visitType(TypeElement type) {
        if (!env.isIncluded(type)) {
            return;
        }
        String key = type.getQualifiedName().toString();
        add(key, type, typeKind(type), null);
        for (Element member : type.getEnclosedElements()) {
            if (!env.isIncluded(member) || !written(member)) {
                continue; // javadoc's access filter; default constructors, values(), valueOf() are not in the source
            }
            switch (member.getKind()) {
                case CONSTRUCTOR:
                case METHOD:
                    ExecutableElement method = (ExecutableElement) member;
                    add(key + "#" + name(method) + "(" + parameterKey(method) + ")", method,
                            member.getKind() == ElementKind.CONSTRUCTOR ? "constructor" : "method", signature(method));
                    break;
                case FIELD:
                    Set<Modifier> modifiers = member.getModifiers();
                    boolean constant = modifiers.contains(Modifier.STATIC) && modifiers.contains(Modifier.FINAL);
                    add(key + "." + member.getSimpleName(), member, constant ? "constant" : "field",
                            type(member.asType()) + " " + member.getSimpleName());
                    break;
                case ENUM_CONSTANT:
                    add(key + "." + member.getSimpleName(), member, "enum_constant", null);
                    break;
                case CLASS:
                case INTERFACE:
                case ENUM:
                case ANNOTATION_TYPE:
                case RECORD:
                    visitType((TypeElement) member);
                    break;
                default:
                    break;
            }
        }
    }

    /** Whether the source declares the member (the compiler adds default constructors and an enum's values()). */
    private boolean written(Element member) {
        if (elements.getOrigin(member) != Elements.Origin.EXPLICIT) {
            return false;
        }
        Tree tree = trees.getTree(member);
        TreePath path = trees.getPath(member);
        if (tree == null || path == null) {
            return false;
        }
        long start = trees.getSourcePositions().getStartPosition(path.getCompilationUnit(), tree);
        return start >= 0;
    }

    private void add(String key, Element element, String kind, String signature) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("key", key);
        record.put("file", file(element));
        record.put("kind", kind);
        if (signature != null) {
            record.put("signature", signature);
        }
        record.put("docstring", elements.getDocComment(element));
        records.add(record);
    }

    private static String typeKind(TypeElement type) {
        switch (type.getKind()) {
            case INTERFACE:
                return "interface";
            case ENUM:
                return "enum";
            case ANNOTATION_TYPE:
                return "annotation";
            case RECORD:
                return "record";
            default:
                return "class";
        }
    }

    private String file(Element element) {
        TreePath path = trees.getPath(element);
        return path == null ? null : Paths.get(path.getCompilationUnit().getSourceFile().toUri()).toString();
    }

    private static String name(ExecutableElement method) {
        return method.getKind() == ElementKind.CONSTRUCTOR
                ? method.getEnclosingElement().getSimpleName().toString()
                : method.getSimpleName().toString();
    }

    /** The parameters' types by their simple names, without type arguments: {@code List,String[],int...}. */
    private static String parameterKey(ExecutableElement method) {
        List<String> parts = new ArrayList<>();
        List<? extends VariableElement> parameters = method.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            String text = rawName(parameters.get(i).asType());
            if (method.isVarArgs() && i == parameters.size() - 1) {
                text = text.substring(0, text.length() - 2) + "...";
            }
            parts.add(text);
        }
        return String.join(",", parts);
    }

    private static String rawName(TypeMirror type) {
        if (type.getKind() == TypeKind.ARRAY) {
            return rawName(((ArrayType) type).getComponentType()) + "[]";
        }
        if (type.getKind() == TypeKind.DECLARED) {
            return ((DeclaredType) type).asElement().getSimpleName().toString();
        }
        if (type.getKind() == TypeKind.TYPEVAR) {
            return ((TypeVariable) type).asElement().getSimpleName().toString();
        }
        return type.toString();
    }

    /** The modifiers the source writes (not those the compiler implies), from the declaration's tree. */
    private Set<Modifier> writtenModifiers(Element element) {
        Tree tree = trees.getTree(element);
        ModifiersTree modifiers = null;
        if (tree instanceof MethodTree) {
            modifiers = ((MethodTree) tree).getModifiers();
        } else if (tree instanceof VariableTree) {
            modifiers = ((VariableTree) tree).getModifiers();
        } else if (tree instanceof ClassTree) {
            modifiers = ((ClassTree) tree).getModifiers();
        }
        return modifiers == null ? element.getModifiers() : modifiers.getFlags();
    }

    private String signature(ExecutableElement method) {
        StringBuilder out = new StringBuilder();
        for (Modifier modifier : new TreeSet<>(writtenModifiers(method))) {
            out.append(modifier).append(' ');
        }
        List<? extends TypeParameterElement> typeParameters = method.getTypeParameters();
        if (!typeParameters.isEmpty()) {
            List<String> parts = new ArrayList<>();
            MethodTree tree = (MethodTree) trees.getTree(method);
            for (int i = 0; i < typeParameters.size(); i++) {
                // <T extends Object> is written so; <T> has the bound Object too
                boolean written = !tree.getTypeParameters().get(i).getBounds().isEmpty();
                parts.add(typeParameter(typeParameters.get(i), written));
            }
            out.append('<').append(String.join(", ", parts)).append("> ");
        }
        if (method.getKind() == ElementKind.METHOD) {
            out.append(type(method.getReturnType())).append(' ');
        }
        out.append(name(method)).append('(');
        List<? extends VariableElement> parameters = method.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            VariableElement parameter = parameters.get(i);
            out.append(i == 0 ? "" : ", ");
            if (writtenModifiers(parameter).contains(Modifier.FINAL)) {
                out.append("final ");
            }
            String text = type(parameter.asType());
            if (method.isVarArgs() && i == parameters.size() - 1) {
                text = text.substring(0, text.length() - 2) + "...";
            }
            out.append(text).append(' ').append(parameter.getSimpleName());
        }
        out.append(')');
        List<? extends TypeMirror> thrown = method.getThrownTypes();
        if (!thrown.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (TypeMirror type : thrown) {
                parts.add(type(type));
            }
            out.append(" throws ").append(String.join(", ", parts));
        }
        return out.toString();
    }

    private String typeParameter(TypeParameterElement parameter, boolean written) {
        List<String> bounds = new ArrayList<>();
        if (written) {
            for (TypeMirror bound : parameter.getBounds()) {
                bounds.add(type(bound));
            }
        }
        return parameter.getSimpleName() + (bounds.isEmpty() ? "" : " extends " + String.join(" & ", bounds));
    }

    /** A type in source form: simple names, type arguments separated by ", ", no annotations. */
    private String type(TypeMirror type) {
        switch (type.getKind()) {
            case ARRAY:
                return type(((ArrayType) type).getComponentType()) + "[]";
            case DECLARED:
                DeclaredType declared = (DeclaredType) type;
                StringBuilder out = new StringBuilder(declared.asElement().getSimpleName());
                if (!declared.getTypeArguments().isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    for (TypeMirror argument : declared.getTypeArguments()) {
                        parts.add(type(argument));
                    }
                    out.append('<').append(String.join(", ", parts)).append('>');
                }
                return out.toString();
            case TYPEVAR:
                return ((TypeVariable) type).asElement().getSimpleName().toString();
            case WILDCARD:
                WildcardType wildcard = (WildcardType) type;
                if (wildcard.getExtendsBound() != null) {
                    return "? extends " + type(wildcard.getExtendsBound());
                }
                if (wildcard.getSuperBound() != null) {
                    return "? super " + type(wildcard.getSuperBound());
                }
                return "?";
            default:
                // primitives, void; their toString may carry type-use annotations
                String text = type.toString();
                return text.substring(text.lastIndexOf(' ') + 1);
        }
    }

    // ---- import edges ----------------------------------------------------------------------

    /** Each compilation unit's imports resolved to the compilation units (of this run) they name. */
    private Set<String> edges() {
        // The specified elements are the accessible types: their packages give the others too
        // (package-private classes import as much); the caller keeps the files it asked about.
        Set<PackageElement> packages = new LinkedHashSet<>(ElementFilter.packagesIn(env.getSpecifiedElements()));
        for (TypeElement type : ElementFilter.typesIn(env.getSpecifiedElements())) {
            packages.add(elements.getPackageOf(type));
        }
        List<TypeElement> types = new ArrayList<>();
        for (PackageElement pkg : packages) {
            types.addAll(ElementFilter.typesIn(pkg.getEnclosedElements()));
        }
        Set<CompilationUnitTree> units = new LinkedHashSet<>();
        for (TypeElement type : types) {
            TreePath path = trees.getPath(type);
            if (path != null) {
                units.add(path.getCompilationUnit());
            }
        }
        Set<String> edges = new TreeSet<>();
        for (CompilationUnitTree unit : units) {
            String importer = Paths.get(unit.getSourceFile().toUri()).toString();
            for (ImportTree imported : unit.getImports()) {
                for (String target : targets(imported)) {
                    if (!target.equals(importer)) {
                        edges.add("[" + quote(importer) + ", " + quote(target) + "]");
                    }
                }
            }
        }
        return edges;
    }

    /**
     * The files an import names: a type's (its outermost type's file for a nested one), a static
     * import's class's, and for {@code pkg.*} every file of that package in this run.
     */
    private Set<String> targets(ImportTree imported) {
        String name = imported.getQualifiedIdentifier().toString();
        Set<String> files = new TreeSet<>();
        boolean wildcard = name.endsWith(".*");
        if (wildcard) {
            name = name.substring(0, name.length() - 2);
        } else if (imported.isStatic()) {
            name = name.substring(0, name.lastIndexOf('.')); // the member's class
        }
        if (wildcard && !imported.isStatic()) {
            PackageElement pkg = elements.getPackageElement(name);
            if (pkg != null && !pkg.getEnclosedElements().isEmpty()) {
                for (TypeElement type : ElementFilter.typesIn(pkg.getEnclosedElements())) {
                    addFile(files, type);
                }
                return files;
            }
        }
        addFile(files, elements.getTypeElement(name));
        return files;
    }

    private void addFile(Set<String> files, TypeElement type) {
        if (type == null) {
            return;
        }
        TreePath path = trees.getPath(type);
        if (path != null) {
            files.add(Paths.get(path.getCompilationUnit().getSourceFile().toUri()).toString());
        }
    }

    // ---- JSON --------------------------------------------------------------------------------

    private static String json(Map<String, Object> record) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> entry : record.entrySet()) {
            out.append(out.length() == 1 ? "" : ", ").append(quote(entry.getKey())).append(": ");
            out.append(entry.getValue() == null ? "null" : quote(entry.getValue().toString()));
        }
        return out.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
