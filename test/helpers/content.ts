/** Temporary content directories for tests, and access to ../shared when present. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Diagnostic } from "../../src/diagnostics/diagnostic";

export const PROJECT_DIR = resolve(__dirname, "..", "..");
/** A frozen seed project (content, Pulumi.yaml, an example stack): what tests needing realistic content use (see its README). */
export const SEED_PROJECT_DIR = join(PROJECT_DIR, "test", "fixtures", "seed-project");
export const SHARED_DIR = resolve(PROJECT_DIR, "..", "shared");
export const HAS_SHARED = existsSync(join(SHARED_DIR, "corpus")) && existsSync(join(SHARED_DIR, "oracle"));

/** Tells the reader why a ../shared-based suite did not run. */
export function sharedSkipReason(): string {
  return `../shared not found at ${SHARED_DIR}: corpus and oracle checks skipped (they run in CI, where ../shared sits beside the project)`;
}

/** Writes `files` (path -> text) into a fresh temporary directory and returns it. */
export function writeContent(files: Record<string, string>): string {
  return writeContentInto(mkdtempSync(join(tmpdir(), "sentinel-iac-test-")), files);
}

/** Writes `files` (path -> text) into `dir`, creating folders; returns `dir`. */
export function writeContentInto(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

/** A temporary copy of the seed fixture's content (rules, functions, watchlists). */
export function copySeedContent(): string {
  const dir = mkdtempSync(join(tmpdir(), "sentinel-iac-content-"));
  for (const folder of ["rules", "functions", "watchlists"]) cpSync(join(SEED_PROJECT_DIR, folder), join(dir, folder), { recursive: true });
  return dir;
}

/**
 * A content directory whose rules/analytics and rules/hunting are copies of the shared corpus
 * folders (copies: the loader refuses symbolic links that leave the content directory).
 */
export function corpusContentDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sentinel-iac-corpus-"));
  mkdirSync(join(dir, "rules"));
  cpSync(join(SHARED_DIR, "corpus", "analytics"), join(dir, "rules", "analytics"), { recursive: true });
  cpSync(join(SHARED_DIR, "corpus", "hunting"), join(dir, "rules", "hunting"), { recursive: true });
  return dir;
}

export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** A valid Scheduled analytics rule; `overrides` replaces or adds top-level YAML lines. */
export function ruleYaml(overrides: Record<string, string> = {}, id = "3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46"): string {
  const fields: Record<string, string> = {
    id,
    name: "Test rule",
    description: "A rule for tests.",
    kind: "Scheduled",
    severity: "Medium",
    queryFrequency: "1h",
    queryPeriod: "1h",
    triggerOperator: "gt",
    triggerThreshold: "0",
    tactics: "\n  - InitialAccess",
    relevantTechniques: "\n  - T1078",
    query: '|\n  SigninLogs\n  | where ResultType == "0"\n  | project TimeGenerated, UserPrincipalName, IPAddress',
    ...overrides,
  };
  return (
    Object.entries(fields)
      .filter(([, v]) => v !== "<omit>")
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n") + "\n"
  );
}
