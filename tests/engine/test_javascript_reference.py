"""CodeScribe's JavaScript and TypeScript analysis on real code, and against the TypeScript compiler's answers.

The snippets are copied from express 4.22.3, zod 3.25.76, immer 10.1.1 and commander 12.1.0 (bodies
shortened); the slices under ``tests/reference/data`` were recorded by ``reference/lang_javascript.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codescribe.engine.analysis import analyze_source
from codescribe.engine.analysis.languages.javascript import import_targets
from codescribe.engine.analysis.model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo
from codescribe.engine.analysis.project import ProjectAnalysis
from reference.harness import DATA, check

EXPRESS_LICENCE = """/*!
 * express
 * Copyright(c) 2009-2013 TJ Holowaychuk
 * Copyright(c) 2014-2015 Douglas Christopher Wilson
 * MIT Licensed
 */

'use strict';

/**
 * Module dependencies.
 * @private
 */

"""

# express/lib/response.js: the methods are assigned to the object module.exports is.
RESPONSE = (
    EXPRESS_LICENCE
    + """var http = require('http');
var vary = require('vary');

/**
 * Response prototype.
 * @public
 */

var res = Object.create(http.ServerResponse.prototype)

/**
 * Module exports.
 * @public
 */

module.exports = res

/**
 * Set status `code`.
 *
 * @param {Number} code
 * @return {ServerResponse}
 * @public
 */

res.status = function status(code) {
  this.statusCode = code;
  return this;
};

/**
 * Set _Content-Type_ response header with `type` through `mime.contentType()`
 *
 * @param {String} type
 * @return {ServerResponse} for chaining
 * @public
 */

res.contentType =
res.type = function contentType(type) {
  return this.set('Content-Type', type);
};

/**
 * Add `field` to Vary. If already present in the Vary set, then
 * this call is simply ignored.
 *
 * @param {Array|String} field
 * @return {ServerResponse} for chaining
 * @public
 */

res.vary = function(field){
  vary(this, field);
  return this;
};
"""
)


def functions(analysis: FileAnalysis) -> dict[str, FunctionInfo]:
    return {function.name: function for function in analysis.functions}


def classes(analysis: FileAnalysis) -> dict[str, ClassInfo]:
    return {cls.name: cls for cls in analysis.classes}


def test_express_response_methods_assigned_to_the_exported_object_are_seen() -> None:
    analysis = analyze_source(RESPONSE, "lib/response.js")

    found = functions(analysis)
    assert sorted(found) == ["contentType", "status", "type", "vary"]
    assert all(function.is_public for function in found.values())
    assert found["status"].signature == "status(code)"
    assert found["type"].signature == "type(type)"  # named by the property, as TypeScript keys it
    assert found["vary"].signature == "vary(field)"
    assert [(v.name, v.is_public) for v in analysis.variables] == [("res", True)]  # require()s are imports


def test_a_jsdoc_block_a_blank_line_above_its_function_documents_it() -> None:
    analysis = analyze_source(RESPONSE, "lib/response.js")

    found = functions(analysis)
    assert found["status"].docstring == "Set status `code`.\n\n@param {Number} code\n@return {ServerResponse}\n@public"
    assert found["contentType"].docstring == found["type"].docstring  # one statement, two names
    assert analysis.variables[0].docstring == "Response prototype.\n@public"


def test_a_licence_header_is_not_the_module_summary() -> None:
    assert analyze_source(RESPONSE, "lib/response.js").module_docstring is None
    fileoverview = (
        "/*! (c) 2024 */\n\n/**\n * @fileoverview Routing helpers.\n */\n\n/** Adds. */\nexport function add(a, b) {}\n"
    )
    assert analyze_source(fileoverview, "a.js").module_docstring == "@fileoverview Routing helpers."


def test_express_application_app_is_module_exports_and_its_functions_are_exports() -> None:
    source = (
        EXPRESS_LICENCE
        + """var hasOwnProperty = Object.prototype.hasOwnProperty

/**
 * Application prototype.
 */

var app = exports = module.exports = {};

/**
 * Initialize the server.
 *
 * @private
 */

app.init = function init() {
  this.cache = {};
  this.engines = {};
};
"""
    )
    analysis = analyze_source(source, "lib/application.js")

    init = functions(analysis)["init"]
    assert (init.is_public, init.signature, init.docstring) == (True, "init()", "Initialize the server.\n\n@private")
    assert "init" in analysis.exports
    assert [v.name for v in analysis.variables if v.is_public] == []  # module.exports = {} is the module itself


def test_express_constructor_function_with_prototype_methods_is_a_class() -> None:
    # express/lib/router/route.js
    source = (
        EXPRESS_LICENCE
        + """var debug = require('debug')('express:router:route');

/**
 * Module exports.
 * @public
 */

module.exports = Route;

/**
 * Initialize `Route` with the given `path`,
 *
 * @param {String} path
 * @public
 */

function Route(path) {
  this.path = path;
  this.stack = [];

  debug('new %o', path)

  // route handlers for various http methods
  this.methods = {};
}

/**
 * Determine if the route handles a given method.
 * @private
 */

Route.prototype._handles_method = function _handles_method(method) {
  return Boolean(this.methods[method]);
};

/**
 * Add a handler for all HTTP verbs to this route.
 *
 * @param {function} handler
 * @return {Route} for chaining
 * @api public
 */

Route.prototype.all = function all() {
  return this;
};
"""
    )
    analysis = analyze_source(source, "lib/router/route.js")

    route = classes(analysis)["Route"]
    assert (route.kind, route.is_public) == ("class", True)
    assert route.docstring is not None
    assert route.docstring.startswith("Initialize `Route` with the given `path`,")
    assert [(m.qualname, m.is_public) for m in route.methods] == [("Route._handles_method", False), ("Route.all", True)]
    assert route.methods[1].signature == "all()"
    assert "Route" not in functions(analysis)


def test_express_module_exports_a_function_declared_below() -> None:
    source = (
        EXPRESS_LICENCE
        + """var mixin = require('merge-descriptors');
var proto = require('./application');

/**
 * Expose `createApplication()`.
 */

exports = module.exports = createApplication;

/**
 * Create an express application.
 *
 * @return {Function}
 * @api public
 */

function createApplication() {
  var app = function(req, res, next) {
    app.handle(req, res, next);
  };

  mixin(app, proto, false);
  return app;
}

exports.application = proto;
"""
    )
    analysis = analyze_source(source, "lib/express.js")

    create = functions(analysis)["createApplication"]
    assert create.is_public
    assert create.docstring == "Create an express application.\n\n@return {Function}\n@api public"
    assert analysis.variables == ()  # proto is an import, exported again: not this module's variable


def test_commander_jsdoc_private_method_is_not_public() -> None:
    # commander/lib/command.js
    source = """class Command extends EventEmitter {
  /**
   * Register option.
   *
   * @param {Option} option
   * @private
   */
  _registerOption(option) {
    this.options.push(option);
  }

  /**
   * Get or set the name of the command.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */

  name(str) {
    if (str === undefined) return this._name;
    this._name = str;
    return this;
  }
}

exports.Command = Command;
"""
    analysis = analyze_source(source, "lib/command.js")

    command = classes(analysis)["Command"]
    assert command.is_public
    assert [(m.name, m.is_public) for m in command.methods] == [("_registerOption", False), ("name", True)]
    assert command.methods[1].docstring is not None  # a blank line between the block and the method


def test_zod_variance_annotations_parse_without_errors() -> None:
    # zod/src/v4/classic/schemas.ts and src/v4/core/schemas.ts
    source = """import * as core from "zod/v4/core";

export interface ZodType<
  out Output = unknown,
  out Input = unknown,
  out Internals extends core.$ZodTypeInternals<Output, Input> = core.$ZodTypeInternals<Output, Input>,
> extends core.$ZodType<Output, Input, Internals> {
  def: Internals["def"];
}

export interface $ZodObjectInternals<
  /** @ts-ignore Cast variance */
  out Shape extends Readonly<$ZodShape> = Readonly<$ZodShape>,
  out Config extends $ZodObjectConfig = $ZodObjectConfig,
> extends _$ZodTypeInternals {
  def: $ZodObjectDef<Shape>;
}

export interface $ZodCheck<in T = never> {
  _zod: $ZodCheckInternals<T>;
}
"""
    analysis = analyze_source(source, "src/v4/classic/schemas.ts")

    assert analysis.warnings == ()
    assert {(cls.name, cls.kind, cls.is_public) for cls in analysis.classes} == {
        ("ZodType", "interface", True),
        ("$ZodObjectInternals", "interface", True),
        ("$ZodCheck", "interface", True),
    }


def test_immer_generic_call_signature_on_its_own_line_parses() -> None:
    # immer/src/types/types-external.ts
    source = """export interface IProduce {
	/** Curried producer that infers the recipe from the curried output function (e.g. when passing to setState) */
	<Curried>(
		recipe: InferRecipeFromCurried<Curried>,
		initialState?: InferInitialStateFromCurried<Curried>
	): Curried

	/** Curried producer that infers curried from the recipe  */
	<Recipe extends AnyFunc>(recipe: Recipe): InferCurriedFromRecipe<
		Recipe,
		false
	>
}
"""
    analysis = analyze_source(source, "src/types/types-external.ts")

    assert analysis.warnings == ()
    assert [(cls.name, cls.kind) for cls in analysis.classes] == [("IProduce", "interface")]


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("export default function (", "): {"),
        ("export default\tfunction(", "): {"),
        ("export  default function  (", "): {"),
    ],
)
def test_zod_declaration_file_anonymous_default_export_parses(header: str, body: str) -> None:
    # zod/v4/locales/en.d.ts, as tsc writes ``export default function () {...}``
    source = 'import type * as errors from "../core/errors.js";\n'
    source += f"/** The English error map. */\n{header}): {{\n    localeError: errors.$ZodErrorMap;\n}};\n"
    source += "export declare function parsedType(data: any): string;\n"
    analysis = analyze_source(source, "v4/locales/en.d.ts")

    assert analysis.warnings == ()
    assert [(f.name, f.is_public, f.docstring, f.start_line) for f in analysis.functions] == [
        ("default", True, "The English error map.", 3),
        ("parsedType", True, None, 6),
    ]
    assert analysis.functions[0].returns == "{ localeError: errors.$ZodErrorMap; }"
    assert set(analysis.exports) == {"default", "parsedType"}


def test_zod_reserved_words_as_exported_names_parse() -> None:
    # zod/v4/core/regexes.js (the built JavaScript)
    source = "const _null = /null/i;\nexport { _null as null };\n"
    source += 'export { globalRegistry, function, clone } from "../core/index.js";\n'
    analysis = analyze_source(source, "v4/core/regexes.js")

    assert analysis.warnings == ()
    assert analysis.exports == ("null", "globalRegistry", "function", "clone")
    assert [(v.name, v.is_public) for v in analysis.variables] == [("_null", True)]
    assert analysis.export_aliases == (("null", "_null"),)
    # users reach it as ``null`` only: its page documents it under that name
    interface = ProjectAnalysis(root=Path("."), files={analysis.path: analysis}).public_interface(analysis.path)
    assert [v.name for v in interface.variables] == ["null"]


def test_zod_overloads_type_aliases_and_merged_declarations() -> None:
    # zod/src/v3/helpers/parseUtil.ts and src/v4/core/core.ts
    source = """export type OK<T> = { status: "valid"; value: T };
export const OK = <T>(value: T): OK<T> => ({ status: "valid", value });

/** Adds a check. */
export function check<O = unknown>(fn: CheckFn<O>): $ZodCheck<O>;
export function check<O = unknown>(fn: CheckFn<O>, params?: string | CheckParams): $ZodCheck<O>;
export function check<O = unknown>(fn: CheckFn<O>, params?: string | CheckParams): $ZodCheck<O> {
  return ch;
}
"""
    analysis = analyze_source(source, "src/v3/helpers/parseUtil.ts")

    assert [(cls.name, cls.kind) for cls in analysis.classes] == [("OK", "type")]
    found = functions(analysis)
    assert found["OK"].signature == "OK<T>(value: T): OK<T>"
    assert found["check"].docstring == "Adds a check."  # the first overload's
    assert found["check"].overloads == (
        "check<O = unknown>(fn: CheckFn<O>): $ZodCheck<O>",
        "check<O = unknown>(fn: CheckFn<O>, params?: string | CheckParams): $ZodCheck<O>",
    )


@pytest.mark.parametrize(
    ("specifier", "importer", "expected"),
    [
        ("./router", "lib/express.js", ["lib/router/index"]),  # express: require('./router')
        ("../utils", "lib/router/route.js", ["lib/utils"]),
        ("./types.js", "src/v3/external.ts", ["src/v3/types"]),  # zod: a .js specifier names the .ts file
        ("./helpers/util.js", "src/v3/external.ts", ["src/v3/helpers/util"]),
        ("../internal", "src/core/scope.ts", ["src/internal"]),  # immer: extensionless
        ("./x.mjs", "src/a.ts", ["src/x.mts"]),  # .mjs names .mts first
        # nanoid 5.1.16: from a file Node runs, ``../index.js`` is index.js, not the index.d.ts beside it
        ("../index.js", "non-secure/index.js", ["index"]),
        ("./lib/command.js", "index.js", ["lib/command"]),
        ("../index.js", "non-secure/index.ts", ["index.d.ts"]),  # TypeScript's rule for a TypeScript file
        ("debug", "lib/express.js", []),
        ("../../outside", "lib/express.js", []),
    ],
)
def test_relative_imports_resolve_to_files(specifier: str, importer: str, expected: list[str]) -> None:
    modules = {
        "lib/express": "lib/express.js",
        "lib/router/index": "lib/router/index.js",
        "lib/router/route": "lib/router/route.js",
        "lib/utils": "lib/utils.js",
        "src/v3/types": "src/v3/types.ts",
        "src/v3/types.js": "src/v3/types.js",  # beside types.ts, named by its path (ProjectAnalysis.modules)
        "src/v3/helpers/util": "src/v3/helpers/util.ts",
        "src/internal": "src/internal.ts",
        "src/x.mts": "src/x.mts",
        "index": "index.js",
        "index.d.ts": "index.d.ts",
        "lib/command": "lib/command.js",
    }
    assert import_targets(ImportInfo(specifier), importer, modules, Path("nowhere")) == expected


def test_import_graph_of_requires_and_export_from(tmp_path: Path) -> None:
    sources = {
        "index.js": "module.exports = require('./lib/express');\n",
        "lib/express.js": "var Router = require('./router');\nexports.Router = Router;\n",
        "lib/router/index.js": "var Route = require('./route');\nmodule.exports = Route;\n",
        "lib/router/route.js": "module.exports = Route;\nfunction Route(path) { this.path = path; }\n",
        "src/index.ts": 'export * from "./v3/external.js";\nimport type { A } from "./a";\n',
        "src/v3/external.ts": 'export * from "./types.js";\n',
        "src/v3/types.ts": "export type T = string;\n",
        "src/a.ts": "export interface A {}\n",
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)
    graph = {name: targets for name, targets in project.import_graph().items() if targets}

    assert graph == {
        "index": {"lib/express"},
        "lib/express": {"lib/router/index"},
        "lib/router/index": {"lib/router/route"},
        "src/index": {"src/v3/external", "src/a"},
        "src/v3/external": {"src/v3/types"},
    }


def _slices() -> list[Path]:
    if not DATA.is_dir():
        return []
    chosen = []
    for folder in sorted(DATA.iterdir()):
        reference = folder / "reference.json"
        if reference.is_file() and json.loads(reference.read_text(encoding="utf-8"))["language"] == "javascript":
            chosen.append(folder)
    return chosen


@pytest.mark.parametrize("slice_dir", _slices(), ids=lambda path: path.name)
def test_recorded_slice_meets_the_targets(slice_dir: Path) -> None:
    module, agreement = check(slice_dir)
    package = next(p for p in module.PACKAGES if p.key == slice_dir.name)
    language = package.options.get("language", module.LANGUAGE)

    assert agreement.misses(language) == [], agreement.disagreements
    assert agreement.fields["names"][1] > 0


def test_every_javascript_and_typescript_package_has_a_slice() -> None:
    from reference import lang_javascript

    assert {path.name for path in _slices()} == {package.key for package in lang_javascript.PACKAGES}


def test_object_define_property_on_the_exports_is_an_export() -> None:
    # body-parser 1.20.3 index.js (abridged): its parsers are getters defined on the exports object.
    source = (
        "exports = module.exports = deprecate.function(bodyParser, 'use individual parsers')\n\n"
        "/**\n * JSON parser.\n * @public\n */\n\n"
        "Object.defineProperty(exports, 'json', {\n  configurable: true,\n  enumerable: true,\n"
        "  get: createParserGetter('json')\n})\n"
    )
    from codescribe.engine.analysis import analyze_source

    analysis = analyze_source(source, "index.js")
    assert "json" in analysis.exports
    assert [(v.name, v.docstring) for v in analysis.variables if v.name == "json"] == [
        ("json", "JSON parser.\n@public")
    ]


def test_reexported_names_are_documented_where_users_import_them(tmp_path: Path) -> None:
    # commander 14.0.3 index.js (CommonJS) and ts-pattern 5.9.2 src/index.ts (ES), abridged.
    sources = {
        "index.js": (
            "const { Command } = require('./lib/command.js');\n"
            "exports.program = new Command();\nexports.Command = Command;\n"
        ),
        "lib/command.js": (
            "/** A command. */\nclass Command {\n  /** Parse argv. */\n  parse(argv) {}\n}\n"
            "exports.Command = Command;\n"
        ),
        "src/index.ts": (
            "import * as Pattern from './patterns';\nexport { match } from './match';\n"
            "export * from './errors';\nexport { Pattern, Pattern as P };\n"
        ),
        "src/patterns.ts": "/** The type of patterns. */\nexport type Pattern<a> = a;\nexport function optional() {}\n",
        "src/match.ts": "/** Match a value. */\nexport function match<T>(value: T): T {\n  return value;\n}\n",
        "src/errors.ts": "export class NonExhaustiveError extends Error {}\nexport default NonExhaustiveError;\n",
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)

    commander = project.public_interface("index.js")
    assert [c.name for c in commander.classes] == ["Command"]
    assert [m.name for m in commander.classes[0].methods] == ["parse"]
    ts_pattern = project.public_interface("src/index.ts")
    assert [f.name for f in ts_pattern.functions] == ["match"]
    assert [c.name for c in ts_pattern.classes] == ["NonExhaustiveError"]  # through ``export *``
    assert "NonExhaustiveError" in ts_pattern.exports
    assert "default" not in ts_pattern.exports  # ``export *`` leaves the default behind
    # ``Pattern`` is the namespace of ./patterns, not the type ``Pattern`` it defines
    assert project.definition("src/index.ts", "Pattern") is None


def test_names_exported_under_another_name_are_documented_under_it(tmp_path: Path) -> None:
    # zod 3 ``types.ts``: ``export { stringType as string }``; ``export { default as X } from``, and
    # ``import { a as b }`` then ``export { b }``, as index files write them.
    sources = {
        "types.ts": (
            "export class ZodString {\n  min(n: number): ZodString {\n    return this;\n  }\n}\n"
            "const stringType = (params?: object): ZodString => new ZodString();\n"
            "export { stringType as string };\n"
        ),
        "command.ts": (
            "/** A command. */\nexport default class Command {\n  run(): void {}\n}\n"
            "export function helper(a: number): number {\n  return a;\n}\n"
        ),
        "index.ts": (
            'export * from "./types";\nexport { default as Cmd } from "./command";\n'
            'import { helper as assist } from "./command";\nexport { assist };\n'
        ),
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)

    types = project.public_interface("types.ts")
    assert [f.name for f in types.functions] == ["string"]
    assert types.functions[0].declaration == "string(params?: object): ZodString"
    index = project.public_interface("index.ts")
    assert sorted(f.name for f in index.functions) == ["assist", "string"]
    assert [(c.name, [m.qualname for m in c.methods]) for c in index.classes if c.name == "Cmd"] == [
        ("Cmd", ["Cmd.run"])
    ]
    assert project.definition("index.ts", "Cmd") == ("command.ts", "Command")


def test_module_exports_of_a_require_hands_on_that_modules_exports(tmp_path: Path) -> None:
    # express 5.3.0 index.js: ``module.exports = require('./lib/express')``; its page used to be empty.
    sources = {
        "index.js": "'use strict';\n\nmodule.exports = require('./lib/express');\n",
        "lib/express.js": (
            "exports = module.exports = createApplication;\n\n"
            "/** Create an express application. */\nfunction createApplication() {\n  return {};\n}\n"
            "exports.Router = require('router');\n"
        ),
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)

    index = project.public_interface("index.js")
    assert [f.name for f in index.functions] == ["createApplication"]
    assert {"createApplication", "Router"} <= set(index.exports)
    assert project.import_graph()["index"] == {"lib/express"}


def test_a_default_taken_under_another_name_is_documented_under_it(tmp_path: Path) -> None:
    # express 4.22 lib/express.js: ``var Router = require('./router'); exports.Router = Router`` where
    # router/index.js is ``var proto = module.exports = function(options) {}``, and ``exports.request = req``;
    # the ES form: ``import P from "./parse"; export { P as read }``. Router and request were missing.
    sources = {
        "lib/router/index.js": (
            "/** Initialize a new `Router` with the given `options`. */\n"
            "var proto = module.exports = function(options) {\n  return options;\n};\n"
        ),
        "lib/request.js": "/** Request prototype. */\nvar req = Object.create(null);\nmodule.exports = req;\n",
        "lib/express.js": (
            "var Router = require('./router');\nvar req = require('./request');\n"
            "var { a: other } = require('./other');\n"
            "exports.Router = Router;\nexports.request = req;\n"
        ),
        "parse.ts": "/** Parses. */\nexport default function parse(text: string): number {\n  return 1;\n}\n",
        "index.ts": 'import P from "./parse";\nexport { P as read };\n',
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)

    express = project.public_interface("lib/express.js")
    assert [(f.name, f.docstring) for f in express.functions] == [
        ("Router", "Initialize a new `Router` with the given `options`.")
    ]
    assert [(v.name, v.docstring) for v in express.variables] == [("request", "Request prototype.")]
    assert project.definition("index.ts", "read") == ("parse.ts", "parse")
    assert [f.name for f in project.public_interface("index.ts").functions] == ["read"]
    assert files["lib/express.js"].imports[2].imported_as("other") == "a"


def test_a_module_exported_as_one_object_is_documented_as_a_namespace(tmp_path: Path) -> None:
    # zod 3.25 src/index.ts: ``import * as z from "./v3/external.js"; export { z }``; express 4.22:
    # ``var proto = require('./application'); exports.application = proto``, where application.js is
    # ``var app = exports = module.exports = {}; app.init = function () {}``. Both were missing.
    sources = {
        "external.ts": "export function string(): number {\n  return 1;\n}\nexport const NEVER = 0;\n",
        "index.ts": 'import * as z from "./external";\nexport * from "./external";\nexport { z };\nexport default z;\n',
        "application.js": "var app = exports = module.exports = {};\n/** Initialize. */\napp.init = function () {};\n",
        "express.js": "var proto = require('./application');\nexports.application = proto;\n",
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)

    z = {v.name: v for v in project.public_interface("index.ts").variables}["z"]
    assert z.value == "import * as z from './external'"
    assert z.docstring == "The module `./external` as one object: its 2 exports, as `z.<export>` (`string`, `NEVER`)."
    application = {v.name: v for v in project.public_interface("express.js").variables}["application"]
    assert application.value is None  # module.exports of ./application, bound by require() here
    assert "`init`" in (application.docstring or "")


def test_a_umd_guarded_module_exports_is_the_default(tmp_path: Path) -> None:
    # helper-24's trial: eventemitter3 5.0.1 ends with `if ('undefined' !== typeof module) { module.exports =
    # EventEmitter; }`, and index.mjs re-exports it (`import EventEmitter from './index.js'; export { EventEmitter }`).
    # The page said `EventEmitter = require('./index.js')`, "0 exports", and documented nothing.
    sources = {
        "index.js": (
            "/** An emitter. */\nfunction EventEmitter() {}\n"
            "/** Emit. */\nEventEmitter.prototype.emit = function (e) {};\n"
            "if ('undefined' !== typeof module) {\n  module.exports = EventEmitter;\n}\n"
        ),
        "index.mjs": "import EventEmitter from './index.js';\nexport { EventEmitter };\nexport default EventEmitter;\n",
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)

    assert files["index.js"].default_export == "EventEmitter"
    interface = project.public_interface("index.mjs")
    assert [(c.name, [m.name for m in c.methods]) for c in interface.classes] == [("EventEmitter", ["emit"])]
    assert interface.variables == ()


@pytest.mark.parametrize(
    "wrap", ["(function () {\n{body}\n}());\n", "(function () {\n{body}\n})();\n", "!function () {\n{body}\n}();\n"]
)
def test_a_module_wrapped_in_a_function_run_at_once_exports_what_it_assigns(wrap: str) -> None:
    # helper-25's re-trial: classnames 2.5.1 wraps its module in an IIFE whose UMD guard sets module.exports;
    # node's require() gives the function classNames, and the page was empty.
    body = (
        "  'use strict';\n  var hasOwn = {}.hasOwnProperty;\n  /** Joins class names. */\n"
        "  function classNames() { return ''; }\n  function helper() {}\n"
        "  if (typeof module !== 'undefined' && module.exports) {\n    classNames.default = classNames;\n"
        "    module.exports = classNames;\n  } else {\n    window.classNames = classNames;\n  }"
    )
    analysis = analyze_source(wrap.replace("{body}", body), "index.js")

    assert analysis.default_export == "classNames"
    assert [(f.name, f.is_public, f.docstring) for f in analysis.functions if f.name != "default"] == [
        ("classNames", True, "Joins class names."),
        ("helper", False, None),
    ]


def test_a_reexported_value_is_listed_apart_with_the_module_that_defines_it(tmp_path: Path) -> None:
    # nanoid 5.0.7 index.js: ``export { urlAlphabet } from './url-alphabet/index.js'`` beside its own exports;
    # commander's CommonJS ``exports.X = X`` of a required value; its page said urlAlphabet was defined there.
    from codescribe.engine.offline import DocRequest, OfflineEngine

    sources = {
        "index.js": (
            "export { urlAlphabet } from './url-alphabet/index.js'\n"
            "export { urlAlphabet as alphabet } from './url-alphabet/index.js'\n"
            "export const POOL_SIZE = 128\nexport function nanoid() {}\n"
        ),
        "url-alphabet/index.js": "/** The URL-safe alphabet. */\nexport const urlAlphabet = 'useandom'\n",
        "lib/index.js": "const { LIMIT } = require('./limits');\nexports.LIMIT = LIMIT;\nexports.own = 1;\n",
        "lib/limits.js": "const LIMIT = 64;\nexports.LIMIT = LIMIT;\n",
    }
    files = {name: analyze_source(text, name) for name, text in sources.items()}
    project = ProjectAnalysis(root=tmp_path, files=files)
    modules = {path: name for name, path in project.modules.items()}
    for path, own, reexported, source in (
        ("index.js", ["POOL_SIZE"], ["urlAlphabet", "alphabet"], "url-alphabet/index.js"),
        ("lib/index.js", ["own"], ["LIMIT"], "lib/limits.js"),
    ):
        page = OfflineEngine().document(DocRequest("module", files[path], sources[path], project=project))
        section = page.partition("## Constants and variables\n")[2].split("\n\n\n")[0]
        defined, _, others = section.partition("**Re-exported:**")
        assert [line.split("`")[1].split(" ")[0] for line in defined.splitlines() if line.startswith("- `")] == own
        lines = [line for line in others.splitlines() if line.startswith("- `")]
        assert [line.split("`")[1].split(" ")[0] for line in lines] == reexported
        assert all(f"(defined in `{modules[source]}`)" in line for line in lines)
    page = OfflineEngine().document(DocRequest("module", files["lib/limits.js"], "", project=project))
    assert "Re-exported" not in page
    assert "**Defined here:**\n\n- `LIMIT = 64`" in page
