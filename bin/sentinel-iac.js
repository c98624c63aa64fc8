#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's require hook, so no build step is needed.
// Node older than 20.19 cannot require() the ES-module-only dependencies: say so in one line.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`error: sentinel-iac needs Node.js 20.19 or newer (22 is recommended); this is Node ${process.versions.node}.`);
  process.exit(1);
}
// The libraries every content-reading command uses load with Node's own loader first: through
// tsx's require hook, which checks each file for ES-module syntax and converts typebox's ES
// modules, they took ~0.2 s more CPU per run (docs/performance.md). tsx compiles only our TypeScript.
for (const library of [
  "typebox",
  "ajv",
  "yaml",
  "js-yaml",
  "commander",
  "csv-parse/sync",
  "jsonc-parser",
  "fastest-levenshtein",
  "picomatch",
  "temporal-polyfill",
])
  require(library);
require("tsx/cjs/api").register();
require("../src/cli/main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
