// The TypeScript compiler's diagnostics on files, JSDoc checked (checkJs): one JSON line per diagnostic.
// Usage: node check_jsdoc.mjs <typescript's node_modules> <file>...
import { createRequire } from "node:module";
import { resolve } from "node:path";

const [modules, ...files] = process.argv.slice(2);
const ts = createRequire(`${resolve(modules)}/`)("typescript");
const program = ts.createProgram(files, {
  allowJs: true,
  checkJs: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  lib: ["lib.es2022.d.ts"],
  types: [],
});
for (const d of ts.getPreEmitDiagnostics(program)) {
  const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  console.log(JSON.stringify({ file: d.file?.fileName ?? "", line, code: d.code, message }));
}
