// The error catalogue, checked (src/errors-catalogue.test.ts): every error class of src/ (non-test code) has a
// stable `code`, and README.md's "Errors" section lists exactly the codes those classes carry, each with a class
// that carries it. The codes are read by the TypeScript checker from the type of each class's `code` property, so
// a code union, a literal `readonly code = "X"` and `CodedError<"X">` all count.
// Run by hand: `node scripts/error-catalogue.js` prints the problems (exit 1) or the number of codes.
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const TEST_FILE = /(\.test|\.docker\.test|-test-utils|-test-kit|test-support)\.ts$/;
const ROOT = path.join(__dirname, "..");

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && !TEST_FILE.test(e.name) ? [p] : [];
  });
}

/**
 * Every error class under srcDir and its codes: { codes: Map<code, Set<class>>, problems: string[] }.
 * A code is a string literal, `<number>` for a numeric code, or a template such as `EXCHANGE_<ExchangeErrorCode>`
 * when the code type is written as one. Generic or abstract bases whose code is only `string` are left out.
 */
function collectErrorCodes(srcDir) {
  const program = ts.createProgram(sourceFiles(srcDir), {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    lib: ["lib.es2022.d.ts"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    // Only src/ itself: the code types never come from dependencies, and reading their declarations takes seconds.
    noResolve: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const codes = new Map();
  const problems = [];
  const inSrc = (node) =>
    !program.isSourceFileDefaultLibrary(node.getSourceFile()) && !node.getSourceFile().isDeclarationFile;

  const isError = (type, seen = new Set()) => {
    if (seen.has(type)) return false;
    seen.add(type);
    const symbol = type.getSymbol();
    const decl = symbol?.declarations?.[0];
    if (symbol?.getName() === "Error" && decl && program.isSourceFileDefaultLibrary(decl.getSourceFile())) return true;
    const target = type.target ?? type;
    return (checker.getBaseTypes(target) ?? []).some((b) => isError(b, seen));
  };

  /** The codes a type node spells: literals, templates kept as written, anything else by its resolved type. */
  const fromNode = (node) => {
    if (ts.isUnionTypeNode(node)) return node.types.flatMap(fromNode);
    if (ts.isParenthesizedTypeNode(node)) return fromNode(node.type);
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return [node.literal.text];
    if (ts.isTemplateLiteralTypeNode(node)) {
      return [node.head.text + node.templateSpans.map((s) => `<${s.type.getText()}>${s.literal.text}`).join("")];
    }
    return fromType(checker.getTypeFromTypeNode(node));
  };
  /** The codes of a type; `undefined` inside means "not a code" (string, object…). */
  const fromType = (type) => {
    const alias = type.aliasSymbol?.declarations?.[0];
    if (alias && ts.isTypeAliasDeclaration(alias) && inSrc(alias)) return fromNode(alias.type);
    if (type.isUnion()) return type.types.flatMap(fromType);
    if (type.isStringLiteral()) return [type.value];
    if (type.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return ["<number>"];
    return [undefined];
  };

  /** The codes of an error class (none for a generic or abstract base whose code is any string), or a problem. */
  const classCodes = (node) => {
    const prop = checker.getTypeAtLocation(node.name).getProperty("code");
    if (!prop) return "is an error without a `code`";
    let type = checker.getTypeOfSymbolAtLocation(prop, node.name);
    let base = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword) ?? false;
    if (type.flags & ts.TypeFlags.TypeParameter) {
      type = checker.getBaseConstraintOfType(type) ?? checker.getStringType();
      base = true;
    }
    const found = fromType(type);
    if (!found.includes(undefined)) return found;
    if (base && type.flags & ts.TypeFlags.String) return [];
    return `has a \`code\` of type ${checker.typeToString(type)}; give it literal codes`;
  };

  for (const file of program.getSourceFiles()) {
    if (!inSrc(file) || !path.resolve(file.fileName).startsWith(path.resolve(srcDir) + path.sep)) continue;
    const where = path.relative(srcDir, file.fileName);
    const visit = (node) => {
      if (ts.isClassDeclaration(node) && node.name && isError(checker.getTypeAtLocation(node.name))) {
        const name = node.name.text;
        const found = classCodes(node);
        if (typeof found === "string") problems.push(`${name} (${where}) ${found}`);
        else for (const code of found) codes.set(code, (codes.get(code) ?? new Set()).add(name));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { codes, problems };
}

/** The rows of the "## Errors" section of a README: [{ code, classes }] from "| `CODE` | `Class`, `Other` | …". */
function readmeErrorRows(markdown) {
  const start = markdown.search(/^## Errors\s*$/m);
  if (start < 0) return [];
  const rest = markdown.slice(start).split("\n").slice(1);
  const end = rest.findIndex((l) => /^## /.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).flatMap((line) => {
    const m = /^\|\s*`([^`]+)`\s*\|([^|]*)\|/.exec(line);
    return m ? [{ code: m[1], classes: [...m[2].matchAll(/`([^`]+)`/g)].map((c) => c[1]) }] : [];
  });
}

/** Differences between the collected codes and the README rows, as sentences; none when they are in step. */
function compareCatalogue(codes, rows) {
  const problems = [];
  const seen = new Set();
  for (const { code, classes } of rows) {
    if (seen.has(code)) problems.push(`README lists ${code} twice`);
    seen.add(code);
    const owners = codes.get(code);
    if (!owners) {
      problems.push(`README lists ${code}, which no error class carries`);
      continue;
    }
    if (classes.length === 0) problems.push(`README gives no class for ${code} (one of ${[...owners].join(", ")})`);
    for (const c of classes.filter((x) => !owners.has(x))) {
      problems.push(`README says ${c} carries ${code}; the classes that do: ${[...owners].join(", ")}`);
    }
  }
  for (const [code, owners] of codes) {
    if (!seen.has(code)) problems.push(`README's Errors section misses ${code} (${[...owners].join(", ")})`);
  }
  return problems;
}

/** Every problem of src/ and README.md under root. */
function checkErrorCatalogue(root = ROOT) {
  const { codes, problems } = collectErrorCodes(path.join(root, "src"));
  const rows = readmeErrorRows(fs.readFileSync(path.join(root, "README.md"), "utf8"));
  return { codes, problems: [...problems, ...compareCatalogue(codes, rows)] };
}

module.exports = { collectErrorCodes, readmeErrorRows, compareCatalogue, checkErrorCatalogue };

if (require.main === module) {
  const { codes, problems } = checkErrorCatalogue();
  for (const p of problems) console.log(p);
  console.log(`${codes.size} code(s), ${problems.length} problem(s)`);
  process.exitCode = problems.length ? 1 : 0;
}
