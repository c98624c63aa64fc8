/**
 * Misconfigurations never look green: an empty or missing content folder, a bad flag, an
 * output file in a missing folder. Each is one line on stderr and exit code 1, before any work.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR, SEED_PROJECT_DIR, ruleYaml, writeContent } from "./helpers/content";

const BIN = join(PROJECT_DIR, "bin", "sentinel-iac.js");

function cli(args: string[], cwd = SEED_PROJECT_DIR) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, SENTINEL_IAC_CACHE: "off" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A git repository with one commit, whose content folder `content/` is empty. */
function emptyRepository(): { repo: string; content: string } {
  const repo = writeContent({ "README.md": "empty\n" });
  const content = join(repo, "content");
  mkdirSync(content);
  for (const args of [
    ["init", "-q", "-b", "main"],
    ["add", "-A"],
    ["-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", "base"],
  ])
    spawnSync("git", args, { cwd: repo });
  return { repo, content };
}

describe("nothing to check is a failure", () => {
  it("validate (also --strict), plan, coverage and summarize exit 1 with one line naming the folder", () => {
    const { repo, content } = emptyRepository();
    // retired.yaml and a tests file alone are not content: there is still nothing to deploy.
    writeFileSync(join(content, "retired.yaml"), "retired: []\n");
    mkdirSync(join(content, "rules", "analytics"), { recursive: true });
    writeFileSync(join(content, "rules", "analytics", "gone.tests.yaml"), "tests: []\n");
    for (const args of [["validate"], ["validate", "--strict"], ["plan"], ["coverage"], ["summarize", "--base", "main"]]) {
      const { code, stdout, stderr } = cli([...args, "--content", content], repo);
      expect(code, args.join(" ")).toBe(1);
      expect(stdout, args.join(" ")).toBe("");
      expect(stderr, args.join(" ")).toBe(
        "error: no rules, functions or watchlists were found under content; check --content (or the stack's sentinel-iac:contentDir), or pass --allow-empty if an empty folder is meant\n",
      );
    }
  });

  it("--allow-empty accepts an empty folder where that is meant", () => {
    const { repo, content } = emptyRepository();
    for (const args of [["validate"], ["plan"], ["coverage"], ["summarize", "--base", "main"]]) {
      const { code, stderr } = cli([...args, "--content", content, "--allow-empty"], repo);
      expect(stderr, args.join(" ")).toBe("");
      expect(code, args.join(" ")).toBe(0);
    }
  });

  it("a folder that does not exist is one line, for every command; summarize does not blame git", () => {
    const missing = join(writeContent({}), "nope");
    const target = ["--subscription", "s", "--resource-group", "r", "--workspace", "w"];
    for (const args of [
      ["validate"],
      ["validate", "--watch"],
      ["plan"],
      ["coverage"],
      ["summarize", "--base", "HEAD"],
      ["retired"],
      ["diff", ...target],
      ["export", ...target],
      ["schemas", "pull", ...target],
    ]) {
      const { code, stdout, stderr } = cli([...args, "--content", missing]);
      expect(code, args.join(" ")).toBe(1);
      expect(stdout, args.join(" ")).toBe("");
      expect(stderr, args.join(" ")).toBe(
        `error: content folder ${missing} does not exist (from --content); pass --content with the folder that holds rules/, functions/ and watchlists/\n`,
      );
    }
  });

  it("a stack whose contentDir is missing says where the path came from", () => {
    const dir = writeContent({ "Pulumi.prod.yaml": "config:\n  sentinel-iac:contentDir: ./detections\n" });
    const { code, stderr } = cli(["validate", "--stack", "prod"], dir);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "error: content folder detections does not exist (from sentinel-iac:contentDir of stack prod); pass --content with the folder that holds rules/, functions/ and watchlists/\n",
    );
  });
});

describe("flags are checked before any work", () => {
  it("--workers takes whole numbers of at least 1", () => {
    const content = writeContent({ "rules/analytics/r.yaml": ruleYaml() });
    for (const value of ["0", "-2", "1.5", "two", "3x"]) {
      const { code, stderr } = cli(["validate", "--content", content, "--workers", value]);
      expect(code, value).toBe(1);
      expect(stderr, value).toContain(
        `error: option '--workers <n>' argument '${value}' is invalid. expected a whole number of at least 1.`,
      );
    }
    expect(cli(["validate", "--content", content, "--workers", "1"]).code).toBe(0);
  });

  it("an output file in a missing folder is one line, before Azure is read", () => {
    const missing = join(writeContent({}), "reports", "out.md");
    const target = ["--subscription", "s", "--resource-group", "r", "--workspace", "w", "--arm-endpoint", "https://127.0.0.1:9"];
    for (const [args, flag] of [
      [["diff", ...target, "--output", missing], "--output"],
      [["summarize", "--base", "HEAD", "--output", missing], "--output"],
      [["coverage", "--output", missing], "--output"],
      [["coverage", "--layer", missing], "--layer"],
    ] as const) {
      const { code, stdout, stderr } = cli([...args]);
      expect(code, args.join(" ")).toBe(1);
      expect(stdout, args.join(" ")).toBe("");
      expect(stderr, args.join(" ")).toBe(
        `error: ${flag} ${missing}: the folder ${join(missing, "..")} does not exist; create it first or choose another path\n`,
      );
    }
  });

  it("--version prints the package's version", () => {
    const { code, stdout } = cli(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${(JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as { version: string }).version}\n`);
  });
});
