/**
 * The content this repository ships (rules/, functions/, watchlists/), checked as a team's own
 * content would be. The rest of the suite runs on the frozen fixture in test/fixtures/seed-project,
 * so replacing the shipped content changes only this group: keep it, and it checks yours.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exampleStateText } from "../stand-in/src/exampleState";
import { PROJECT_DIR } from "./helpers/content";

const BIN = join(PROJECT_DIR, "bin", "sentinel-iac.js");

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    env: { ...process.env, SENTINEL_IAC_CACHE: "off" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe("the shipped content", () => {
  it("plans without errors (npm start)", () => {
    const { code, stdout, stderr } = cli(["plan"]);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/\nSummary: .* 0 errors/);
    expect(code).toBe(0);
  });

  it("runs the README's ad-hoc query as written (no file of the reader's needed)", () => {
    const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
    const line = readme.split("\n").find((l) => l.startsWith("npx sentinel-iac query '"));
    expect(line).toBeDefined();
    const query = /^npx sentinel-iac query '(.*)'$/.exec(line ?? "")?.[1];
    expect(query).toBeDefined();
    const { code, stdout, stderr } = cli(["query", query ?? ""]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("203.0.113.99");
  });

  it("passes its own rule tests (sentinel-iac test)", () => {
    const { code, stdout } = cli(["test"]);
    expect(stdout).toMatch(/\n\d+ passed, 0 failed, 0 broken\.\n$/);
    expect(code).toBe(0);
  });

  it("is accepted by the editor JSON Schemas its files name", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
    for (const file of ["rules", "functions", "watchlists"].flatMap((folder) => yamlFiles(join(PROJECT_DIR, folder)))) {
      const text = readFileSync(file, "utf8");
      const schemaRef = /^# yaml-language-server: \$schema=(\S+)/.exec(text)?.[1];
      expect(schemaRef, `${relative(PROJECT_DIR, file)} names its JSON Schema`).toBeDefined();
      const schemaFile = join(file, "..", schemaRef!);
      const validate = compiled.get(schemaFile) ?? ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")) as object);
      compiled.set(schemaFile, validate);
      expect(validate(parse(text)), `${relative(PROJECT_DIR, file)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("is what the stand-in's example workspace was made from (regenerate with npm run stand-in:example)", () => {
    expect(readFileSync(join(PROJECT_DIR, "stand-in", "example-state.json"), "utf8")).toBe(exampleStateText(PROJECT_DIR));
  });
});
