#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's require hook, so no build step is needed.
// Node older than 20.19 cannot require() the ES-module-only dependencies: say so in one line.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`error: sentinel-iac needs Node.js 20.19 or newer (22 is recommended); this is Node ${process.versions.node}.`);
  process.exit(1);
}
require("tsx/cjs/api").register();
require("../src/cli/main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
