#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's require hook, so no build step is needed.
require("tsx/cjs/api").register();
require("../src/cli/main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
