/**
 * One sample of the Pulumi program under the mock monitor, in a fresh process
 * (bench/programUnderMocks.ts) started with the node arguments Pulumi.yaml
 * gives the program, so peak memory belongs to that sample alone.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";

export interface Sample {
  resources: number;
  rules: number;
  evaluateMs: number;
  totalMs: number;
  cpuMs: number;
  baselineRss: number;
  peakRss: number;
  baselineHeap: number;
  liveHeap: number;
}

const MB = 1024 * 1024;

/** The node arguments Pulumi.yaml gives the program (runtime.options.nodeargs), so samples run as `pulumi up` does. */
export function programNodeArgs(): string[] {
  const project = load(readFileSync(join(__dirname, "..", "Pulumi.yaml"), "utf8")) as { runtime?: { options?: { nodeargs?: string } } };
  return (project.runtime?.options?.nodeargs ?? "").split(/\s+/).filter((a) => a !== "");
}

export function sampleProgram(contentDir: string, cacheDir: string): Sample {
  const out = execFileSync(
    process.execPath,
    [...programNodeArgs(), "--expose-gc", "--import", "tsx", join(__dirname, "programUnderMocks.ts"), contentDir],
    {
      encoding: "utf8",
      maxBuffer: 16 * MB,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, SENTINEL_IAC_CACHE_DIR: cacheDir, SENTINEL_IAC_CACHE: "on" },
    },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as Sample;
}
