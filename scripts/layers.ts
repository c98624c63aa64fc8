/**
 * The folders of src/, lowest first. A folder may import only folders listed
 * before it: every arrow of the import graph points down. docs/architecture.md
 * draws this order; test/architecture/layers.test.ts enforces it.
 */
export const LAYERS = [
  // Foundations: no project imports.
  "util",
  "diagnostics",
  "cache",
  // Sentinel and ARM facts and rules: durations, MITRE, item identity, API defaults.
  "sentinel",
  // The desired-state types.
  "model",
  // Content: schemas, reading files, KQL analysis, the local KQL engine.
  "schema",
  "content",
  "kql",
  "engine",
  // Checks and conversion, then the one loader that combines them.
  "validate",
  "convert",
  "loader",
  // Rule tests: the desired state's tests run on the local engine.
  "testing",
  // Consumers of the desired state.
  "config",
  "azure",
  "pulumi",
  "diff",
  "coverage",
  "summary",
  "export",
  // Use cases, then the command-line shell.
  "app",
  "cli",
] as const;
