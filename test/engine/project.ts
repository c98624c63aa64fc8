/**
 * The seed fixture's content (test/fixtures/seed-project: tables, functions, watchlists, rules) as
 * engine inputs, for tests and benchmarks: independent of the content the repository ships.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseYaml } from "yaml";
import { loadTableSchemas } from "../../src/kql/environment";
import type { FunctionSignature } from "../../src/kql/environment";
import { KqlEngine, type WatchlistData } from "../../src/engine";

export const REPO = join(__dirname, "..", "fixtures", "seed-project");

interface FunctionYaml {
  alias: string;
  parameters?: { name: string; type: string; columns?: { name: string; type: string }[]; default?: string }[];
}

function parameterList(doc: FunctionYaml): string {
  return (doc.parameters ?? [])
    .map((p) =>
      p.type === "table"
        ? `${p.name}:(${(p.columns ?? []).map((c) => `${c.name}:${c.type}`).join(", ")})`
        : `${p.name}:${p.type}${p.default ? ` = ${p.default}` : ""}`,
    )
    .join(", ");
}

export function projectFunctions(): FunctionSignature[] {
  const dir = join(REPO, "functions");
  return readdirSync(dir).map((alias) => {
    const doc = parseYaml(readFileSync(join(dir, alias, `${alias}.yaml`), "utf8")) as FunctionYaml;
    return { name: doc.alias, parameters: parameterList(doc), body: readFileSync(join(dir, alias, `${alias}.kql`), "utf8") };
  });
}

/** The project's watchlists with their CSV rows. */
export function projectWatchlists(): Map<string, WatchlistData> {
  const dir = join(REPO, "watchlists");
  const out = new Map<string, WatchlistData>();
  for (const name of readdirSync(dir)) {
    const doc = parseYaml(readFileSync(join(dir, name, `${name}.yaml`), "utf8")) as { alias: string; itemsSearchKey: string };
    const csvPath = join(dir, name, `${name}.csv`);
    const rows = existsSync(csvPath)
      ? (parseCsv(readFileSync(csvPath, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[])
      : [];
    const header = existsSync(csvPath) ? (parseCsv(readFileSync(csvPath, "utf8"), { to_line: 1 }) as string[][])[0]! : [doc.itemsSearchKey];
    out.set(doc.alias, { searchKey: doc.itemsSearchKey, columns: header, rows });
  }
  return out;
}

export function projectEngine(): KqlEngine {
  const watchlists = projectWatchlists();
  return new KqlEngine({
    tables: loadTableSchemas(REPO, []),
    functions: projectFunctions(),
    watchlists: [...watchlists].map(([alias, w]) => ({ alias, columns: w.columns ?? [] })),
  });
}

export function ruleQuery(relative: string): string {
  return (parseYaml(readFileSync(join(REPO, relative), "utf8")) as { query: string }).query;
}

export const SEED_RULES = [
  "rules/analytics/ROPC-SignInFromNewCountryOrASN.yaml",
  "rules/analytics/ROPC-AuthenticationDetected.yaml",
  "rules/analytics/NonInteractiveSignIn-ThreatIntelIP.yaml",
  "rules/hunting/AddedCredentialFromCountryXAndSigninFromCountryY.yaml",
  "rules/hunting/UnfamiliarSigninCorrelationWithPortalSigninAndAuditLogs.yaml",
];
