/**
 * Issue 11, items 1 and 4: a pull request cannot make the tools read files outside the content
 * folder (through `queryFile`, `itemsFile`, `..` or symbolic links), and content that is not
 * UTF-8 is an error with its line, never replacement characters deployed.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPlan } from "../../src/cli/commands/plan";
import { buildDesiredState } from "../../src/loader/desiredState";
import { buildValidatedState } from "../../src/loader/validatedState";
import { errorsOf, PROJECT_DIR, ruleYaml, writeContent } from "../helpers/content";

class Collected {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

const SECRET = "ghp_SECRET_TOKEN_0123456789abcdef";
const FUNCTION_YAML = "alias: Fn\ncategory: Security\n";
const WATCHLIST_YAML = "alias: Allow\ndisplayName: Allow\nprovider: Team\nitemsSearchKey: Key\n";

/** A project folder with a secret beside the content folder, as a CI checkout has .git/config and the runner's files. */
function project(files: Record<string, string>): { root: string; content: string } {
  const root = writeContent({ "outside/secret.txt": `Authorization: basic ${SECRET}\n`, "outside/rule.yaml": ruleYaml() });
  const content = join(root, "content");
  mkdirSync(content);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(content, path, ".."), { recursive: true });
    writeFileSync(join(content, path), text);
  }
  return { root, content };
}

async function plan(content: string) {
  const out = new Collected();
  const code = await runPlan({ content, format: "text", queries: false }, out);
  return { code, out: out.text };
}

describe("paths in content stay inside the content folder", () => {
  it.each([
    ["an absolute queryFile", "functions/Fn.yaml", `${FUNCTION_YAML}queryFile: /proc/self/environ\n`, "queryFile", 3],
    ["a queryFile climbing out with ..", "functions/Fn.yaml", `${FUNCTION_YAML}queryFile: ../../outside/secret.txt\n`, "queryFile", 3],
    [
      "an itemsFile climbing out with ..",
      "watchlists/Allow.yaml",
      `${WATCHLIST_YAML}itemsFile: ../../outside/secret.txt\n`,
      "itemsFile",
      5,
    ],
  ])("refuses %s, naming file, line and field, and never prints the file", async (_what, file, yaml, field, line) => {
    const { content } = project({ [file]: yaml });
    const state = buildDesiredState(content);
    expect(errorsOf(state.diagnostics)).toEqual([
      expect.objectContaining({ code: "content/path-outside", file, field, position: expect.objectContaining({ line }) }),
    ]);
    const { code, out } = await plan(content);
    expect(code).toBe(1);
    expect(out).toContain("only files inside the content folder can be read");
    expect(out).not.toContain(SECRET);
  });

  it("refuses a companion file that is a symbolic link out of the folder", () => {
    const { root, content } = project({ "functions/Fn.yaml": FUNCTION_YAML });
    symlinkSync(join(root, "outside", "secret.txt"), join(content, "functions", "Fn.kql"));
    const errors = errorsOf(buildDesiredState(content).diagnostics);
    expect(errors).toEqual([expect.objectContaining({ code: "content/path-outside", file: "functions/Fn.yaml" })]);
    expect(errors[0]?.message).toContain("resolves through a symbolic link");
    expect(JSON.stringify(errors)).not.toContain(SECRET);
  });

  it("accepts a companion path that goes up and back inside the folder", () => {
    const { content } = project({ "functions/Fn.yaml": `${FUNCTION_YAML}queryFile: ../shared/body.kql\n`, "shared/body.kql": "print 1\n" });
    const state = buildDesiredState(content);
    expect(errorsOf(state.diagnostics)).toEqual([]);
    expect(state.resources.map((r) => r.name)).toEqual(["Fn"]);
  });
});

describe("content at the repository root cannot reach its hidden files", () => {
  // The default contentDir is the repository root, which also holds .git/config (where
  // actions/checkout stores its auth header) and any .env file: inside the folder, never content.
  const GIT_CONFIG = `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`;
  const repo = (files: Record<string, string>) => writeContent({ ".git/config": GIT_CONFIG, ".env": `TOKEN=${SECRET}\n`, ...files });

  it.each([
    ["a queryFile into .git", "functions/Fn/Fn.yaml", `${FUNCTION_YAML}queryFile: ../../.git/config\n`, "queryFile", 3, ".git"],
    ["an itemsFile naming .env", "watchlists/Allow/Allow.yaml", `${WATCHLIST_YAML}itemsFile: ../../.env\n`, "itemsFile", 5, ".env"],
  ])("refuses %s, naming file, line and field, and never prints it", async (_what, file, yaml, field, line, hidden) => {
    const content = repo({ [file]: yaml });
    expect(errorsOf(buildDesiredState(content).diagnostics)).toEqual([
      expect.objectContaining({ code: "content/path-hidden", file, field, position: expect.objectContaining({ line }) }),
    ]);
    const { code, out } = await plan(content);
    expect(code).toBe(1);
    expect(out).toContain(`'${hidden}'`);
    expect(out).not.toContain(SECRET);
  });

  it("refuses a companion file that is a symbolic link into .git", () => {
    const content = repo({ "functions/Fn/Fn.yaml": FUNCTION_YAML });
    symlinkSync(join(content, ".git", "config"), join(content, "functions", "Fn", "Fn.kql"));
    const errors = errorsOf(buildDesiredState(content).diagnostics);
    expect(errors).toEqual([expect.objectContaining({ code: "content/path-hidden", file: "functions/Fn/Fn.yaml" })]);
    expect(JSON.stringify(errors)).not.toContain(SECRET);
  });

  it("refuses, never loads, a content file that is a symbolic link into .git", async () => {
    const content = repo({ "rules/analytics/kept.yaml": ruleYaml() });
    mkdirSync(join(content, "rules", "hunting"), { recursive: true });
    symlinkSync(join(content, ".git", "config"), join(content, "rules", "hunting", "config.yaml"));
    const state = buildDesiredState(content);
    expect(errorsOf(state.diagnostics).map((d) => [d.code, d.file])).toEqual([["content/path-hidden", "rules/hunting/config.yaml"]]);
    const { out } = await plan(content);
    expect(out).not.toContain(SECRET);
  });

  it("refuses a retired.yaml that is a symbolic link into .git", () => {
    const content = repo({ "rules/analytics/kept.yaml": ruleYaml() });
    symlinkSync(join(content, ".git", "config"), join(content, "retired.yaml"));
    const errors = errorsOf(buildDesiredState(content).diagnostics);
    expect(errors).toEqual([expect.objectContaining({ code: "content/path-hidden", file: "retired.yaml" })]);
    expect(JSON.stringify(errors)).not.toContain(SECRET);
  });

  it("refuses a table schema file that is a symbolic link into .git", async () => {
    const content = repo({ "rules/analytics/kept.yaml": ruleYaml() });
    mkdirSync(join(content, "schemas"), { recursive: true });
    symlinkSync(join(content, ".git", "config"), join(content, "schemas", "Evil.json"));
    const state = await buildValidatedState(content, { queries: true });
    expect(errorsOf(state.diagnostics).map((d) => [d.code, d.file])).toEqual([["content/path-hidden", "schemas/Evil.json"]]);
    expect(JSON.stringify(state.diagnostics)).not.toContain(SECRET);
  });

  it("refuses a rule test's sample file in .git", () => {
    const content = repo({
      "rules/analytics/r.yaml": ruleYaml(),
      "rules/analytics/r.tests.yaml":
        "tests:\n  - name: t\n    tables:\n      T:\n        file: ../../.git/config\n    expect: { alert: false }\n",
    });
    const errors = errorsOf(buildDesiredState(content).diagnostics);
    expect(errors).toEqual([expect.objectContaining({ code: "content/path-hidden", file: "rules/analytics/r.tests.yaml" })]);
    expect(JSON.stringify(errors)).not.toContain(SECRET);
  });
});

describe("symbolic links among content files", () => {
  it("loads a linked rule file that resolves inside the content folder", () => {
    const { content } = project({ "library/rule.yaml": ruleYaml() });
    mkdirSync(join(content, "rules", "analytics"), { recursive: true });
    symlinkSync(join(content, "library", "rule.yaml"), join(content, "rules", "analytics", "linked.yaml"));
    const state = buildDesiredState(content);
    expect(errorsOf(state.diagnostics)).toEqual([]);
    expect(state.resources).toEqual([
      expect.objectContaining({ content: "analyticsRule", origin: { file: "rules/analytics/linked.yaml", line: 1 } }),
    ]);
  });

  it("refuses, never skips, a linked rule file or folder that resolves outside", () => {
    const { root, content } = project({ "rules/analytics/kept.yaml": ruleYaml({}, "0a0b0c0d-0000-4000-8000-000000000001") });
    symlinkSync(join(root, "outside", "rule.yaml"), join(content, "rules", "analytics", "linked.yaml"));
    symlinkSync(join(root, "outside"), join(content, "rules", "analytics", "team"));
    symlinkSync(join(root, "nothing-here.yaml"), join(content, "rules", "analytics", "broken.yaml"));
    const state = buildDesiredState(content);
    expect(errorsOf(state.diagnostics).map((d) => [d.code, d.file])).toEqual([
      ["content/broken-link", "rules/analytics/broken.yaml"],
      ["content/link-outside", "rules/analytics/linked.yaml"],
      ["content/link-outside", "rules/analytics/team"],
    ]);
    expect(state.resources.map((r) => r.origin.file)).toEqual(["rules/analytics/kept.yaml"]);
  });

  it("survives a link that loops back up the tree", () => {
    const { content } = project({ "rules/analytics/kept.yaml": ruleYaml() });
    symlinkSync(join(content, "rules"), join(content, "rules", "analytics", "loop"));
    const state = buildDesiredState(content);
    expect(state.resources.filter((r) => r.origin.file === "rules/analytics/kept.yaml")).toHaveLength(1);
  });
});

describe("content that is not UTF-8", () => {
  const latin1 = (text: string) => Buffer.from(text, "latin1");
  it.each([
    ["a rule's YAML", "rules/analytics/r.yaml", ruleYaml({ name: "Connexion refusée" }), 2],
    ["a function's .kql", "functions/Fn.kql", "// Requête\nprint 1\n", 1],
    ["a watchlist's CSV", "watchlists/Allow.csv", "Key\nAndré\n", 2],
    ["retired.yaml", "retired.yaml", "retired:\n  - id: x\n    reason: Remplacée\n", 3],
    ["a table schema", "schemas/T_CL.json", '{"table": "T_CL", "columns": {"Donnée": "string"}}', 1],
  ])("refuses %s saved as Latin-1, naming the line", async (_what, file, text, line) => {
    const files: Record<string, string> = { "functions/Fn.yaml": FUNCTION_YAML, "functions/Fn.kql": "print 1\n" };
    files["watchlists/Allow.yaml"] = WATCHLIST_YAML;
    files["watchlists/Allow.csv"] = "Key\nx\n";
    const dir = writeContent(files);
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), latin1(text));
    const state = await buildValidatedState(dir, { queries: file.startsWith("schemas/") });
    const encoding = state.diagnostics.filter((d) => d.code === "content/encoding");
    expect(encoding).toEqual([expect.objectContaining({ severity: "error", file, position: expect.objectContaining({ line }) })]);
    expect(encoding[0]?.message).toMatch(/byte 0xE[9A]/);
    // Nothing with a replacement character made it into the model.
    expect(JSON.stringify(state.resources)).not.toContain("\uFFFD");
  });

  it("still reads UTF-8 with a byte-order mark", () => {
    const dir = writeContent({ "rules/analytics/r.yaml": `\uFEFF${ruleYaml({ name: "Connexion refusée" })}` });
    const state = buildDesiredState(dir);
    expect(errorsOf(state.diagnostics)).toEqual([]);
    expect(state.resources[0]?.properties).toMatchObject({ displayName: "Connexion refusée" });
  });
});

describe("the pull-request workflow", () => {
  it("keeps no git credentials on disk in any job that runs the tools", () => {
    const workflow = readFileSync(join(PROJECT_DIR, ".github", "workflows", "pull-request.yml"), "utf8");
    const checkouts = workflow.split("- uses: actions/checkout@v4").slice(1);
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.split("\n      - ")[0]).toContain("persist-credentials: false");
  });
});
