#!/usr/bin/env node
// Loads the compiled CLI; all behaviour lives in src/cli.
require("../dist/cli/main.js").main(process.argv.slice(2));
