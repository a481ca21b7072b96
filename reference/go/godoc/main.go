// Command godoc prints, as JSON, the exported declarations that go/doc finds in every package
// folder under a root: the reference side of CodeScribe's Go comparison (reference/lang_go.py).
//
// Usage: go run main.go ROOT > records.json
//
// Every folder under ROOT holding .go files other than _test.go files is parsed with go/parser
// (build constraints are not applied: every file is read, as CodeScribe reads every file) and
// handed to doc.New (exported declarations only). One record is printed per package, const,
// var, type, func, method (receiver methods declared in the package, not promoted ones),
// exported interface method and exported named struct field. Signatures are printed by go/printer, as gofmt writes them,
// without body and doc comment; doc comments are go/doc's text (ast.CommentGroup.Text).
package main

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Record is one declaration as go/doc sees it.
type Record struct {
	Package   string `json:"package"`   // the folder relative to ROOT, "." for ROOT itself
	Name      string `json:"name"`      // Name, or Type.Method for methods, Type.Field for fields
	Kind      string `json:"kind"`      // package, const, var, struct, interface, type, func, method, field
	Signature string `json:"signature"` // as gofmt prints it; "" for packages and types
	Doc       string `json:"doc"`       // go/doc's text of the doc comment
	File      string `json:"file"`      // relative to ROOT
}

type collector struct {
	fset    *token.FileSet
	root    string
	folder  string
	records []Record
}

func (c *collector) file(pos token.Pos) string {
	name := c.fset.Position(pos).Filename
	rel, err := filepath.Rel(c.root, name)
	if err != nil {
		return name
	}
	return filepath.ToSlash(rel)
}

func (c *collector) print(node interface{}) string {
	var buf bytes.Buffer
	if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&buf, c.fset, node); err != nil {
		return ""
	}
	return buf.String()
}

func (c *collector) add(name, kind, signature, docText string, pos token.Pos) {
	c.records = append(c.records, Record{c.folder, name, kind, signature, strings.TrimRight(docText, "\n"), c.file(pos)})
}

func (c *collector) funcs(funcs []*doc.Func, owner string) {
	for _, f := range funcs {
		if f.Level > 0 { // promoted from an embedded type: declared elsewhere
			continue
		}
		decl := *f.Decl
		decl.Doc, decl.Body = nil, nil
		name, kind := f.Name, "func"
		if f.Recv != "" {
			name, kind = owner+"."+f.Name, "method"
		}
		c.add(name, kind, c.print(&decl), f.Doc, f.Decl.Name.Pos())
	}
}

func (c *collector) values(values []*doc.Value, kind string) {
	for _, v := range values {
		for _, spec := range v.Decl.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok {
				continue
			}
			// A name's doc: its spec's own comment inside a group, else the declaration's (the group's).
			docText := v.Doc
			if vs.Doc != nil && v.Decl.Lparen.IsValid() {
				docText = vs.Doc.Text()
			}
			for i, ident := range vs.Names {
				if ident.Name == "_" || !ast.IsExported(ident.Name) {
					continue
				}
				signature := ident.Name
				if vs.Type != nil {
					signature += " " + c.print(vs.Type)
				}
				if len(vs.Values) == len(vs.Names) {
					signature += " = " + c.print(vs.Values[i])
				}
				c.add(ident.Name, kind, signature, docText, ident.Pos())
			}
		}
	}
}

func (c *collector) typ(t *doc.Type) {
	spec, ok := t.Decl.Specs[0].(*ast.TypeSpec)
	if !ok {
		return
	}
	kind := "type"
	switch body := spec.Type.(type) {
	case *ast.StructType:
		kind = "struct"
		for _, field := range body.Fields.List { // go/doc has dropped the unexported ones
			docText := ""
			if field.Doc != nil {
				docText = field.Doc.Text()
			}
			for _, ident := range field.Names { // an embedded field has none
				if ast.IsExported(ident.Name) {
					c.add(t.Name+"."+ident.Name, "field", ident.Name+" "+c.print(field.Type), docText, ident.Pos())
				}
			}
		}
	case *ast.InterfaceType:
		kind = "interface"
		for _, field := range body.Methods.List {
			method, isFunc := field.Type.(*ast.FuncType)
			if !isFunc || len(field.Names) == 0 {
				continue // an embedded interface or a type union
			}
			signature := strings.TrimPrefix(c.print(method), "func")
			docText := ""
			if field.Doc != nil {
				docText = field.Doc.Text()
			}
			for _, ident := range field.Names {
				if ast.IsExported(ident.Name) {
					c.add(t.Name+"."+ident.Name, "method", ident.Name+signature, docText, ident.Pos())
				}
			}
		}
	}
	if spec.Assign.IsValid() {
		kind = "alias"
	}
	c.add(t.Name, kind, "", t.Doc, spec.Name.Pos())
	c.values(t.Consts, "const")
	c.values(t.Vars, "var")
	c.funcs(t.Funcs, t.Name)
	c.funcs(t.Methods, t.Name)
}

func (c *collector) pkg(files map[string]*ast.File, importPath string) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	docFile := names[0]
	for _, name := range names {
		if files[name].Doc != nil {
			docFile = name
			break
		}
	}
	pkg := &ast.Package{Name: files[docFile].Name.Name, Files: files}
	d := doc.New(pkg, importPath, 0)
	c.add("", "package", "", d.Doc, files[docFile].Package)
	c.values(d.Consts, "const")
	c.values(d.Vars, "var")
	for _, t := range d.Types {
		c.typ(t)
	}
	c.funcs(d.Funcs, "")
}

func main() {
	root, err := filepath.Abs(os.Args[1])
	if err != nil {
		panic(err)
	}
	var records []Record
	err = filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !entry.IsDir() {
			return nil
		}
		base := entry.Name()
		if path != root && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") || base == "testdata") {
			return filepath.SkipDir
		}
		fset := token.NewFileSet()
		notTest := func(info fs.FileInfo) bool { return !strings.HasSuffix(info.Name(), "_test.go") }
		pkgs, err := parser.ParseDir(fset, path, notTest, parser.ParseComments)
		if err != nil {
			return err
		}
		folder, _ := filepath.Rel(root, path)
		folder = filepath.ToSlash(folder)
		for _, p := range pkgs {
			c := &collector{fset: fset, root: root, folder: folder}
			c.pkg(p.Files, folder)
			records = append(records, c.records...)
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", " ")
	if err := out.Encode(records); err != nil {
		panic(err)
	}
}
