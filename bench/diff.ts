/**
 * `sentinel-iac diff` at scale: 1,000 analytics rules in Git against 1,000 live
 * rules served by the local stand-in over HTTPS, with its default (realistic)
 * page sizes: 50 rules and 100 watchlist items per page. One rule in ten is
 * edited live, so the report has real drift to render.
 *
 * Each run is the command as a pipeline runs it: a fresh Node process, the
 * DefaultAzureCredential sign-in, every page, the comparison and the report.
 * Target: <= 5 s. Figures are in docs/performance.md.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDesiredState } from "../src/loader/desiredState";
import { standInStateFromDesired } from "../stand-in/src/fromDesired";
import { startStandIn } from "../stand-in/src/standIn";
import { generateContent } from "./generate";
import { benchProgress } from "./progress";

const BIN = join(__dirname, "..", "bin", "sentinel-iac.js");
const RULES = 1000;
const RUNS = 3;
const NAMES = { subscriptionId: "00000000-0000-4000-8000-0000000000b1", resourceGroupName: "rg-bench", workspaceName: "law-bench" };

export async function benchDiff(rules = RULES): Promise<void> {
  const content = generateContent(rules);
  const scratch = mkdtempSync(join(tmpdir(), "sentinel-iac-bench-diff-"));
  const state = standInStateFromDesired(buildDesiredState(content), NAMES);
  state.alertRules.forEach((rule, i) => {
    if (i % 10 === 0) rule.properties["triggerThreshold"] = 3;
  });
  const standIn = await startStandIn({ state });
  try {
    const caFile = join(scratch, "ca.pem");
    writeFileSync(caFile, standIn.caPem);
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_EXTRA_CA_CERTS: caFile,
      AZURE_TENANT_ID: standIn.credentials.tenantId,
      AZURE_CLIENT_ID: standIn.credentials.clientId,
      AZURE_CLIENT_SECRET: standIn.credentials.clientSecret,
      AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential",
    };
    const args = [
      BIN,
      "diff",
      "--content",
      content,
      "--subscription",
      NAMES.subscriptionId,
      "--resource-group",
      NAMES.resourceGroupName,
      "--workspace",
      NAMES.workspaceName,
      "--arm-endpoint",
      standIn.armEndpoint,
      "--authority-host",
      standIn.authorityHost,
      "--format",
      "json",
    ];
    console.log(
      `\ndiff: ${rules} rules in Git vs ${state.alertRules.length} live (stand-in over HTTPS, 50 rules per page), node ${process.version}`,
    );
    console.log(" run  seconds  pages  drift");
    const seconds: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      benchProgress.phase(`diff of ${rules.toLocaleString("en-US")} rules: run`, RUNS);
      benchProgress.advance(run);
      standIn.clearRequests();
      const started = performance.now();
      // The stand-in serves from this process, so the child must run asynchronously (spawnSync would block it).
      const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, args, { env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });
      const elapsed = (performance.now() - started) / 1000;
      if (result.status !== 2) throw new Error(`diff exited ${result.status}: ${result.stderr}`);
      const report = JSON.parse(result.stdout) as { summary: { alertRule: { update: number } } };
      const pages = standIn.requests.filter((r) => r.route === "alertRules").length;
      seconds.push(elapsed);
      console.log(
        `${String(run).padStart(4)} ${elapsed.toFixed(2).padStart(8)} ${String(pages).padStart(6)} ${String(report.summary.alertRule.update).padStart(6)} rules`,
      );
    }
    const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)]!;
    console.log(`median ${median.toFixed(2)} s (target <= 5 s): ${median <= 5 ? "met" : "NOT met"}`);
  } finally {
    await standIn.close();
    rmSync(content, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) void benchDiff(Number(process.argv[2]) || RULES);
