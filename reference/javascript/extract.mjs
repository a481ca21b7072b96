// What the TypeScript compiler API sees in a package's JavaScript or TypeScript files.
//
// Input (stdin, JSON): {"root": folder, "files": [paths relative to root], "typescript": folder
// holding node_modules/typescript}. Output (stdout, JSON): {"records": {key: record}, "edges":
// [[importer, imported], ...]}, files named relative to root. The choices made here are listed in
// reference/lang_javascript.py's NORMALISATIONS; this script only gathers.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const input = JSON.parse(readFileSync(0, "utf8"));
const ts = createRequire(path.join(path.resolve(input.typescript), "noop.js"))("typescript");
const root = path.resolve(input.root);
const wanted = new Set(input.files);
const relative = (fileName) => path.relative(root, path.resolve(fileName)).split(path.sep).join("/");

// NodeNext is the module mode in which TypeScript binds CommonJS (exports.x =, module.exports =).
const options = {
  allowJs: true, checkJs: false, noEmit: true, types: [], skipLibCheck: true,
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ESNext, jsx: ts.JsxEmit.Preserve,
};
// Import edges are resolved as bundlers and tsc's "bundler" mode do: extensionless, index, .js -> .ts.
const resolution = { ...options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
const program = ts.createProgram(input.files.map((file) => path.join(root, file)), options);
const checker = program.getTypeChecker();

const FILE_TAGS = /@(file|fileoverview|module|license|packageDocumentation|typedef|callback)\b/;
const records = {};
const edges = [];

// The raw text of the nearest JSDoc block TypeScript attaches to a node, file and type blocks left out.
function jsdoc(node) {
  const blocks = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = blocks.map((block) => block.getText()).filter((raw) => !FILE_TAGS.test(raw));
  return text.length ? text[text.length - 1] : null;
}

// The statement or expression a declaration's JSDoc hangs on: `exports.x = function () {}` -> the assignment.
function owner(decl) {
  if (ts.isPropertyAccessExpression(decl) || ts.isElementAccessExpression(decl)) return decl.parent;
  return decl;
}

// The value assigned to `a.b = ...` (following `a = b = value` chains), or a variable's initializer.
function valueOf(decl) {
  let value = ts.isBinaryExpression(decl) ? decl.right
    : ts.isPropertyAccessExpression(decl) && ts.isBinaryExpression(decl.parent) ? decl.parent.right
    : ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl) ? decl.initializer
    : undefined;
  while (value && ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.EqualsToken) value = value.right;
  while (value && ts.isParenthesizedExpression(value)) value = value.expression;
  return value;
}

// `var proto = module.exports = function () {}`: the variable an anonymous export is bound to.
function boundTo(node) {
  let up = node;
  while (up.parent && ts.isBinaryExpression(up.parent) && up.parent.right === up) up = up.parent;
  return up.parent && ts.isVariableDeclaration(up.parent) && ts.isIdentifier(up.parent.name) ? up.parent.name.text : undefined;
}

const isFunctionValue = (value) => !!value && (ts.isFunctionExpression(value) || ts.isArrowFunction(value));

// `name<T>(parameters): returns` as the source writes it, whitespace runs made one space.
function signature(fn, name) {
  const text = fn.getSourceFile().text;
  const children = fn.getChildren();
  const open = children.find((child) => child.kind === ts.SyntaxKind.OpenParenToken);
  const close = children.find((child) => child.kind === ts.SyntaxKind.CloseParenToken);
  let params;
  if (open && close) params = text.slice(open.getStart(), close.getEnd());
  else params = `(${fn.parameters.map((p) => p.getText()).join(", ")})`; // x => x
  // <T, U,> up to its closing bracket (a trailing comma lies outside the NodeArray's range)
  const generics = fn.typeParameters
    ? text.slice(fn.typeParameters.pos - 1, text.indexOf(">", fn.typeParameters.end) + 1) : "";
  const returns = !fn.type ? "" : ts.isFunctionTypeNode(fn) ? `: ${fn.type.getText()}`
    : text.slice(close ? close.getEnd() : fn.type.pos - 1, fn.type.getEnd());
  const isAsync = (ts.getModifiers?.(fn) ?? fn.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  return ((isAsync ? "async " : "") + name + generics + params + returns).split(/\s+/).join(" ").trim();
}

// A member declared private or protected, #private, or tagged @private / @protected in its JSDoc
// (TypeScript reads the tags in JavaScript; they are applied to TypeScript files too).
function hidden(member) {
  const name = member.name;
  if (name && ts.isPrivateIdentifier(name)) return true;
  if (ts.getJSDocCommentsAndTags(owner(member)).some((doc) => ts.isJSDoc(doc) && /@(private|protected)\b/.test(doc.getText()))) return true;
  if (!ts.isClassElement(member)) return false;
  const flags = ts.getCombinedModifierFlags(member);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
}

// Several declarations of one name (overloads, a getter and its setter) make one record.
function add(key, file, kind, decls, name) {
  const docs = decls.map((decl) => jsdoc(owner(decl))).filter((doc) => doc !== null);
  const record = { file, kind, docstring: docs.length ? docs[0] : null };
  if (kind === "function" || kind === "method") {
    // `const f: (a: A) => R = (...args) => ...`: callers see the declared type's signature, not the arrow's.
    const declared = (decl) => (decl.type && ts.isFunctionTypeNode(decl.type) ? decl.type : undefined);
    const fns = decls.map((decl) => (ts.isFunctionLike(decl) ? decl : declared(decl) ?? valueOf(decl))).filter(Boolean);
    // Overloads: callers see their signatures, never the implementation's ("the signature of the
    // implementation is not visible from the outside", the TypeScript Handbook's Function Overloads);
    // the first is the record's. A getter and its setter: the one with a body.
    const overloads = fns.filter((fn) => !fn.body && (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)));
    const shown = overloads.length && fns.some((fn) => fn.body) ? overloads[0]
      : fns.find((fn) => fn.body || ts.isFunctionTypeNode(fn)) ?? fns[0];
    if (shown) record.signature = signature(shown, name);
  }
  records[key] = record;
}

// Members of an ES class: methods, constructors, accessors (properties), function-valued fields (methods).
function classMembers(file, className, decl) {
  const groups = new Map();
  for (const member of decl.members ?? []) {
    if (hidden(member)) continue;
    let kind;
    if (ts.isConstructorDeclaration(member)) kind = "method";
    else if (ts.isMethodDeclaration(member)) kind = "method";
    else if (ts.isGetAccessor(member) || ts.isSetAccessor(member)) kind = "property";
    else if (ts.isPropertyDeclaration(member) && isFunctionValue(valueOf(member))) kind = "method";
    else continue;
    const name = ts.isConstructorDeclaration(member) ? "constructor" : member.name.getText();
    const entry = groups.get(name) ?? { kind, decls: [] };
    entry.decls.push(member);
    groups.set(name, entry);
  }
  for (const [name, { kind, decls }] of groups) add(`${file}:${className}.${name}`, file, kind, decls, name);
}

// Methods of a JavaScript constructor function: `X.prototype.m = function () {}` (and `X.m = function`).
function prototypeMembers(file, className, symbol) {
  for (const table of [symbol.members, symbol.exports]) {
    for (const [name, member] of table ?? []) {
      const decls = (member.declarations ?? []).filter((d) => d.getSourceFile().fileName === symbol.valueDeclaration.getSourceFile().fileName);
      const assigned = decls.filter((d) => (ts.isPropertyAccessExpression(d) || ts.isBinaryExpression(d)) && isFunctionValue(valueOf(d)) && !hidden(d));
      if (assigned.length && name !== "prototype") add(`${file}:${className}.${name}`, file, "method", assigned, String(name));
    }
  }
}

function kindOf(symbol, decl) {
  if (ts.isFunctionDeclaration(decl)) return symbol.flags & ts.SymbolFlags.Class ? "class" : "function";
  if (ts.isClassLike(decl)) return "class";
  if (ts.isInterfaceDeclaration(decl)) return "interface";
  if (ts.isTypeAliasDeclaration(decl)) return "type";
  if (ts.isEnumDeclaration(decl)) return "enum";
  if (ts.isModuleDeclaration(decl)) return "namespace";
  const value = valueOf(decl);
  if (isFunctionValue(value)) return "function";
  if (value && ts.isClassExpression(value)) return "class";
  return "variable";
}

const VALUE_KINDS = new Set(["function", "class", "enum", "variable"]);

function isRequire(value) {
  return !!value && ts.isCallExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === "require";
}

function exports(sourceFile, file) {
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  if (!moduleSymbol) return;
  const symbols = [...checker.getExportsOfModule(moduleSymbol)];
  const exportEquals = moduleSymbol.exports?.get("export=");
  if (exportEquals) symbols.push(exportEquals);
  for (const exported of symbols) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decls = (symbol.declarations ?? []).filter((d) => d.getSourceFile() === sourceFile);
    if (!decls.length || decls.some((d) => ts.isJSDocTypedefTag(d) || ts.isJSDocCallbackTag(d))) continue;
    const first = symbol.valueDeclaration && decls.includes(symbol.valueDeclaration) ? symbol.valueDeclaration : decls[0];
    if (isRequire(valueOf(first)) || ts.isSourceFile(first)) continue; // exports.x = require(...): a re-export
    let name = String(symbol.escapedName);
    if (name === "export=" || name === "default") {
      // module.exports = function name() {} / export default function name() {}: the declaration's own name
      const value = ts.isBinaryExpression(first) ? valueOf(first) : first;
      name = value?.name?.getText?.() ?? boundTo(first) ?? "default";
    }
    if (name === "export=" || name.startsWith("__")) continue;
    // Declaration merging (a type and a value of one name): the value's kind, else the first's.
    const kind = decls.map((d) => kindOf(symbol, d)).find((k) => VALUE_KINDS.has(k)) ?? kindOf(symbol, decls[0]);
    add(`${file}:${name}`, file, kind, decls, name);
    const classDecl = decls.find((d) => ts.isClassLike(d));
    if (kind === "class" && classDecl) classMembers(file, name, classDecl);
    else if (kind === "class" && isClassExpression(first)) classMembers(file, name, valueOf(first));
    else if (kind === "class") prototypeMembers(file, name, symbol);
  }
}

const isClassExpression = (decl) => { const value = valueOf(decl); return !!value && ts.isClassExpression(value); };

// The module's own doc: a JSDoc block before the first statement that carries a file tag, or is not
// the nearest block to that statement (TypeDoc's rule), or stands before an import or nothing.
function moduleDoc(sourceFile) {
  const statements = sourceFile.statements.filter((s) => !ts.isPrologueDirective(s));
  const first = statements[0];
  const end = first ? first.getStart() : sourceFile.end;
  const blocks = [];
  const scan = ts.createScanner(ts.ScriptTarget.ESNext, false, sourceFile.languageVariant, sourceFile.text);
  for (let token = scan.scan(); token !== ts.SyntaxKind.EndOfFileToken && scan.getTokenStart() < end; token = scan.scan()) {
    const raw = scan.getTokenText();
    if (token === ts.SyntaxKind.MultiLineCommentTrivia && raw.startsWith("/**") && raw !== "/**/" && !/@license\b/.test(raw)) blocks.push(raw);
  }
  const tagged = blocks.find((raw) => /@(file|fileoverview|module|packageDocumentation)\b/.test(raw));
  if (tagged) return tagged;
  const types = /@(typedef|callback)\b/;
  const plain = blocks.filter((raw) => !types.test(raw));
  if (plain.length >= 2) return plain[0];
  const beforeImport = !first || ts.isImportDeclaration(first);
  if (plain.length === 1 && beforeImport) return plain[0];
  // Or a block of // comments opening the file, set off by a blank line from the import that follows.
  const lines = [];
  let last = -1;
  let stop = null; // the first token after the block
  scan.resetTokenState(0);
  for (let token = scan.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scan.scan()) {
    if ([ts.SyntaxKind.WhitespaceTrivia, ts.SyntaxKind.NewLineTrivia, ts.SyntaxKind.ShebangTrivia].includes(token)) continue;
    const line = sourceFile.getLineAndCharacterOfPosition(scan.getTokenStart()).line;
    if (token !== ts.SyntaxKind.SingleLineCommentTrivia || (lines.length && line > last + 1)) { stop = { token, line }; break; }
    lines.push(scan.getTokenText());
    last = line;
  }
  const startsStatement = stop === null ? !first : !!first && stop.line === sourceFile.getLineAndCharacterOfPosition(first.getStart()).line
    && stop.token !== ts.SyntaxKind.SingleLineCommentTrivia && stop.token !== ts.SyntaxKind.MultiLineCommentTrivia;
  return lines.length && beforeImport && startsStatement && (stop === null || stop.line > last + 1) ? lines.join("\n") : null;
}

// Relative specifiers of import (type-only too), export ... from, require() and import(), resolved to files.
function imports(sourceFile, file) {
  const specifiers = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text); // import type too: a dependency to a reader
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) specifiers.push(expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || isRequire(node))) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  for (const specifier of specifiers) {
    if (!specifier.startsWith(".")) continue;
    const resolved = ts.resolveModuleName(specifier, sourceFile.fileName, resolution, ts.sys).resolvedModule;
    if (!resolved) continue;
    const target = relative(resolved.resolvedFileName);
    if (wanted.has(target) && target !== file) edges.push([file, target]);
  }
}

for (const sourceFile of program.getSourceFiles()) {
  const file = relative(sourceFile.fileName);
  if (!wanted.has(file)) continue;
  records[file] = { file, kind: "module", docstring: moduleDoc(sourceFile) };
  exports(sourceFile, file);
  imports(sourceFile, file);
}
const unique = [...new Set(edges.map((edge) => JSON.stringify(edge)))].map((edge) => JSON.parse(edge));
process.stdout.write(JSON.stringify({ records, edges: unique }));
