// Loaded by cucumber (`requireModule`) before a project's TypeScript step files, in every process that loads
// them (parallel workers too): ts-node, transpile-only, with the TypeScript this package pins (ts-node breaks on
// newer majors), compiling to CommonJS whatever the project's "type" or tsconfig `module` says.
const compiler = require.resolve("typescript", { paths: [__dirname] });
const tsNode = require(require.resolve("ts-node", { paths: [__dirname] })) as typeof import("ts-node");

tsNode.register({
  transpileOnly: true,
  compiler,
  compilerOptions: { module: "commonjs", moduleResolution: "node", verbatimModuleSyntax: false, sourceMap: true },
  moduleTypes: { "**/*.ts": "cjs", "**/*.cts": "cjs", "**/*.mts": "cjs" },
  projectSearchDir: process.cwd(),
});
