/**
 * Generates a content directory with N analytics rules for benchmarks: the
 * project's own rules cycled with fresh ids, each query made distinct (so no
 * cache can hide per-query work), plus the project's function and watchlist.
 * Two of every three rules call the function, the realistic worst case for
 * dependency extraction. Rules after the first 500 are `enabled: false`: a
 * workspace takes at most 512 enabled scheduled rules, so a content set this
 * large is deployed partly disabled (or across workspaces); registering a
 * disabled rule costs the same.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { v4 as uuidv4 } from "uuid";

/** The frozen seed project (test/fixtures/seed-project): figures stay comparable whatever content the repository ships. */
const PROJECT = join(__dirname, "..", "test", "fixtures", "seed-project");
/** Enabled rules in generated content: under Sentinel's 512 per workspace. */
const ENABLED_RULES = 500;

/** Content with `ruleCount` rules; with `watchlistRows`, the allowlist gets that many generated rows. */
export function generateContent(ruleCount: number, watchlistRows?: number): string {
  const dir = mkdtempSync(join(tmpdir(), `sentinel-iac-bench-${ruleCount}-`));
  cpSync(join(PROJECT, "functions"), join(dir, "functions"), { recursive: true });
  cpSync(join(PROJECT, "watchlists"), join(dir, "watchlists"), { recursive: true });
  cpSync(join(PROJECT, "rules", "hunting"), join(dir, "rules", "hunting"), { recursive: true });
  const templates = readdirSync(join(PROJECT, "rules", "analytics")).map((f) =>
    readFileSync(join(PROJECT, "rules", "analytics", f), "utf8"),
  );
  const out = join(dir, "rules", "analytics", "generated");
  mkdirSync(out, { recursive: true });
  for (let i = 0; i < ruleCount; i++) {
    const template = templates[i % templates.length]!;
    const text = template
      .replace(/^id: .*$/m, `id: ${uuidv4()}`)
      .replace(/^name: (.*)$/m, `name: $1 (variant ${i})`)
      .replace(/^query: \|\n/m, `query: |\n  // variant ${i}\n`)
      .replace(/^kind: .*$/m, (kind) => (i < ENABLED_RULES ? kind : `${kind}\nenabled: false`));
    writeFileSync(join(out, `rule-${String(i).padStart(5, "0")}.yaml`), text);
  }
  if (watchlistRows !== undefined) {
    const rows = Array.from(
      { length: watchlistRows },
      (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},Generated row ${i},Bench`,
    );
    writeFileSync(join(dir, "watchlists", "NetworkAllowlist", "NetworkAllowlist.csv"), `IPOrRange,Description,Owner\n${rows.join("\n")}\n`);
  }
  return dir;
}
