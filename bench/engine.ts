/**
 * The local KQL engine's benchmark: seed 000 (test/fixtures/seed-project/rules/analytics/ROPC-SignInFromNewCountryOrASN.yaml,
 * which invokes ExcludeAllowlistedIPs_AADNI over the NetworkAllowlist watchlist) over 100,000
 * generated sign-in rows spread over 14 days, then the whole shared corpus on empty tables.
 * Goals: seed 000 in <= 2 s with peak memory <= 300 MB; the corpus in <= 10 s.
 *
 *   npx tsx bench/engine.ts            # prints the figures as JSON
 *
 * benchEngine() takes no arguments and returns the figures (bench/run.ts can call it). Each
 * part runs in a fresh process so its peak memory is its own.
 */
import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { projectEngine, projectWatchlists, ruleQuery } from "../test/engine/project";
import { corpusAvailable, corpusEngine, corpusQueries, runCorpus } from "../test/helpers/engineCorpus";

const MB = 1024 * 1024;
const SEED_000 = "rules/analytics/ROPC-SignInFromNewCountryOrASN.yaml";
const NOW = new Date("2026-11-20T12:00:00Z");

export interface SeedFigures {
  rows: number;
  resultRows: number;
  /** JSON rows converted to typed columns */
  convertMs: number;
  /** parse, bind and support check (Kusto.Language; independent of the data) */
  checkMs: number;
  /** evaluation over the rows */
  evaluateMs: number;
  /** check + evaluation */
  queryMs: number;
  totalMs: number;
  /** CPU time of convert + check + evaluate (the machine may be shared: wall time includes waiting) */
  cpuMs: number;
  peakRssMb: number;
}

export interface CorpusFigures {
  queries: number;
  ran: number;
  setupMs: number;
  runMs: number;
  cpuMs: number;
  peakRssMb: number;
}

export interface EngineBenchFigures {
  seed000: SeedFigures;
  corpus: CorpusFigures | null;
}

/** Sign-ins of 2,000 users over 14 days: mostly a user's usual (country, ASN), some ROPC, some failures, some allowlisted. */
export function generateSignins(count: number): Record<string, unknown>[] {
  // mulberry32: a small seeded generator whose consecutive draws are independent enough
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const countries = ["NL", "US", "DE", "FR", "GB", "ES", "IT", "SE", "PL", "JP"];
  const apps = ["Custom Script", "Microsoft Office", "Azure AD Connect", "Legacy Mail Client", "Microsoft Authentication Broker"];
  const span = 14 * 24 * 3600 * 1000;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const user = Math.floor(random() * 2000);
    const usual = random() < 0.9;
    const country = usual ? countries[user % countries.length]! : countries[Math.floor(random() * countries.length)]!;
    const asn = usual ? String(64500 + (user % 50)) : String(64500 + Math.floor(random() * 500));
    const allowlisted = random() < 0.05;
    rows.push({
      TimeGenerated: new Date(NOW.getTime() - Math.floor(random() * span)).toISOString(),
      UserPrincipalName: `user${user}@contoso.com`,
      IPAddress: allowlisted ? `198.51.100.25` : `203.0.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
      ResultType: random() < 0.9 ? "0" : "50126",
      AuthenticationProtocol: random() < 0.2 ? "ropc" : "none",
      AppDisplayName: apps[Math.floor(random() * apps.length)],
      Location: country,
      AutonomousSystemNumber: asn,
      CorrelationId: `c${i}`,
    });
  }
  return rows;
}

function convert(engine: ReturnType<typeof projectEngine>, count: number) {
  const before = process.cpuUsage();
  const rows = generateSignins(count);
  const generated = process.cpuUsage(before);
  const started = performance.now();
  const converted = engine.convertTables({ AADNonInteractiveUserSignInLogs: rows });
  return { converted, convertMs: performance.now() - started, cpuAfterGenerate: (generated.user + generated.system) / 1000 };
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs inside its own process: `--seed` or `--corpus`. */
function measureSeed(count: number): SeedFigures {
  const engine = projectEngine();
  const watchlists = projectWatchlists();
  const query = ruleQuery(SEED_000);
  const cpu0 = process.cpuUsage();
  // the generated objects are dropped once converted, as a test runner would
  const { converted, convertMs, cpuAfterGenerate } = convert(engine, count);

  const q0 = performance.now();
  const checked = engine.check(query);
  if (!checked.ok) throw new Error(checked.problems.map((p) => p.message).join("\n"));
  const checkMs = performance.now() - q0;
  const e0 = performance.now();
  const result = engine.run(checked.query, {
    now: NOW,
    tables: converted,
    watchlists,
    timeRange: { start: new Date(NOW.getTime() - 14 * 24 * 3600 * 1000), end: NOW },
  });
  const evaluateMs = performance.now() - e0;
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  const queryMs = checkMs + evaluateMs;
  const cpu = process.cpuUsage(cpu0);

  return {
    rows: count,
    resultRows: result.rows.length,
    convertMs,
    checkMs,
    evaluateMs,
    queryMs,
    totalMs: convertMs + queryMs,
    cpuMs: (cpu.user + cpu.system) / 1000 - cpuAfterGenerate,
    peakRssMb: peakRssMb(),
  };
}

/** The corpus, or every n-th query of it from `part` (0-based) when split across processes. */
function measureCorpus(part = 0, parts = 1): CorpusFigures {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const engine = corpusEngine();
  const queries = corpusQueries().filter((_, i) => i % parts === part);
  const setupMs = performance.now() - t0;
  const t1 = performance.now();
  const outcomes = runCorpus(engine, queries);
  const runMs = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);

  return {
    queries: outcomes.length,
    ran: outcomes.filter((o) => o.outcome === "ran").length,
    setupMs,
    runMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: peakRssMb(),
  };
}

function inChild<T>(...flags: string[]): T {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(__dirname, "engine.ts"), ...flags], {
    encoding: "utf8",
    maxBuffer: 16 * MB,
  });
  return JSON.parse(out.trim().split("\n").pop()!) as T;
}

function inChildAsync<T>(...flags: string[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(__dirname, "engine.ts"), ...flags],
      { encoding: "utf8", maxBuffer: 16 * MB },
      (error, out) => (error ? reject(error) : resolve(JSON.parse(out.trim().split("\n").pop()!) as T)),
    );
  });
}

/** The corpus split across two processes, one per core; wallMs is the time until both finish. */
export async function corpusOnBothCores(): Promise<CorpusFigures & { wallMs: number }> {
  const started = performance.now();
  const [a, b] = await Promise.all([inChildAsync<CorpusFigures>("--corpus", "0", "2"), inChildAsync<CorpusFigures>("--corpus", "1", "2")]);
  return {
    queries: a.queries + b.queries,
    ran: a.ran + b.ran,
    setupMs: Math.max(a.setupMs, b.setupMs),
    runMs: Math.max(a.runMs, b.runMs),
    cpuMs: a.cpuMs + b.cpuMs,
    peakRssMb: Math.max(a.peakRssMb, b.peakRssMb),
    wallMs: performance.now() - started,
  };
}

export function benchEngine(): EngineBenchFigures {
  return {
    seed000: inChild<SeedFigures>("--seed"),
    corpus: corpusAvailable() ? inChild<CorpusFigures>("--corpus") : null,
  };
}

if (require.main === module) {
  if (process.argv.includes("--seed")) console.log(JSON.stringify(measureSeed(100_000)));
  else if (process.argv.includes("--corpus")) {
    const at = process.argv.indexOf("--corpus");
    console.log(JSON.stringify(measureCorpus(Number(process.argv[at + 1] ?? 0), Number(process.argv[at + 2] ?? 1))));
  } else if (process.argv.includes("--corpus-both-cores")) void corpusOnBothCores().then((f) => console.log(JSON.stringify(f)));
  else console.log(JSON.stringify(benchEngine(), null, 2));
}
