/**
 * Issue 11, item 2: two content files that map to one Azure resource are an error naming both
 * files, reported on the file that introduced the duplicate; nothing is silently dropped.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { summarizeChange } from "../../src/app/baseContent";
import { runPlan } from "../../src/cli/commands/plan";
import { buildDesiredState } from "../../src/loader/desiredState";
import { errorsOf, ruleYaml, writeContent } from "../helpers/content";

class Collected {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

const HUNT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const huntingYaml = (id = HUNT_ID) =>
  `id: ${id}\nname: Hunt\ndescription: Hunt.\nrequiredDataConnectors: []\ntactics: [InitialAccess]\nrelevantTechniques: [T1078]\nquery: SigninLogs\n`;
const functionYaml = (alias: string, savedSearchId?: string) =>
  `alias: ${alias}\ncategory: Security\n${savedSearchId ? `savedSearchId: ${savedSearchId}\n` : ""}`;
const watchlistYaml = (alias: string) => `alias: ${alias}\ndisplayName: ${alias}\nprovider: Team\nitemsSearchKey: Key\n`;

const duplicates = (dir: string) =>
  errorsOf(buildDesiredState(dir).diagnostics)
    .filter((d) => d.code.startsWith("content/duplicate"))
    .map((d) => [d.code, d.file, d.field, d.message]);

describe("two files, one Azure resource", () => {
  it("a function whose savedSearchId is a hunting query's id: an error, and neither is dropped silently", async () => {
    const dir = writeContent({
      "functions/Fn.yaml": functionYaml("Fn", HUNT_ID.toUpperCase()),
      "functions/Fn.kql": "print 1\n",
      "rules/hunting/hunt.yaml": huntingYaml(),
    });
    const state = buildDesiredState(dir);
    expect(duplicates(dir)).toEqual([
      [
        "content/duplicate-saved-search",
        "rules/hunting/hunt.yaml",
        "id",
        `saved-search id '${HUNT_ID}' is already used by the function in functions/Fn.yaml as '${HUNT_ID.toUpperCase()}' (Azure names ignore case): both would be one resource in Azure, and one would silently replace the other`,
      ],
    ]);
    // The plan shows the one kept, and the error stops any deploy.
    expect(state.resources.map((r) => r.origin.file)).toEqual(["functions/Fn.yaml"]);
  });

  it.each([
    [
      "function aliases",
      { "functions/a/MyFn.yaml": functionYaml("MyFn"), "functions/a/MyFn.kql": "print 1\n" },
      { "functions/b/myfn.yaml": functionYaml("myfn"), "functions/b/myfn.kql": "print 2\n" },
      "functions/b/myfn.yaml",
      "content/duplicate-saved-search",
    ],
    [
      "function aliases with different savedSearchIds",
      { "functions/a/MyFn.yaml": functionYaml("MyFn"), "functions/a/MyFn.kql": "print 1\n" },
      { "functions/b/myfn.yaml": functionYaml("myfn", "other-id"), "functions/b/myfn.kql": "print 2\n" },
      "functions/b/myfn.yaml",
      "content/duplicate-alias",
    ],
    [
      "watchlist aliases",
      { "watchlists/a/Allow.yaml": watchlistYaml("Allow"), "watchlists/a/Allow.csv": "Key\nx\n" },
      { "watchlists/b/ALLOW.yaml": watchlistYaml("ALLOW"), "watchlists/b/ALLOW.csv": "Key\ny\n" },
      "watchlists/b/ALLOW.yaml",
      "content/duplicate-alias",
    ],
    [
      "rule ids",
      { "rules/analytics/a.yaml": ruleYaml({}, "0a0b0c0d-0000-4000-8000-00000000abcd") },
      { "rules/analytics/b.yaml": ruleYaml({}, "0A0B0C0D-0000-4000-8000-00000000ABCD") },
      "rules/analytics/b.yaml",
      "content/duplicate-id",
    ],
  ])("%s that differ only in case are an error on the later file, naming the other", (_what, first, second, reported, code) => {
    const dir = writeContent({ ...first, ...second });
    const found = duplicates(dir);
    expect(found).toHaveLength(1);
    expect(found[0]?.slice(0, 2)).toEqual([code, reported]);
    expect(found[0]?.[3]).toContain(Object.keys(first)[0]);
    expect(found[0]?.[3]).toContain("Azure names ignore case");
  });

  it("a watchlist search key repeated modulo case or whitespace is an error", async () => {
    const dir = writeContent({
      "watchlists/Allow.yaml": watchlistYaml("Allow"),
      // Non-breaking space, zero-width space, full-width digits, other case, inner spaces.
      "watchlists/Allow.csv": "Key\nVPN-1\nvpn-1\u00a0\n\u200bVPN-1\nVPN-\uff11\nVPN - 1\nOther\n",
    });
    const errors = errorsOf(buildDesiredState(dir).diagnostics).filter((d) => d.code === "watchlist/duplicate-search-key");
    expect(errors.map((d) => [d.file, d.position?.line])).toEqual([
      ["watchlists/Allow.csv", 3],
      ["watchlists/Allow.csv", 4],
      ["watchlists/Allow.csv", 5],
      ["watchlists/Allow.csv", 6],
    ]);
    expect(errors[1]?.message).toBe("search key '\\u{200B}VPN-1' repeats line 2 ('VPN-1') once case and whitespace are ignored");
  });
});

describe("the file that introduced the duplicate", () => {
  function git(dir: string, ...args: string[]): string {
    return execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
  }

  it("with a git base, is the file the change added, even when its path sorts first", async () => {
    const dir = writeContent({ "Pulumi.yaml": "name: p\nruntime: nodejs\n", "rules/hunting/zz-existing.yaml": huntingYaml() });
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "base");
    git(dir, "checkout", "-qb", "change");
    mkdirSync(join(dir, "functions"));
    writeFileSync(join(dir, "functions", "Fn.yaml"), functionYaml("Fn", HUNT_ID));
    writeFileSync(join(dir, "functions", "Fn.kql"), "print 1\n");

    // Without the base, the later path is reported: the hunting query.
    expect(duplicates(dir).map((d) => d[1])).toEqual(["rules/hunting/zz-existing.yaml"]);
    // With it, the function the change added, naming the hunting query it collides with.
    const summary = await summarizeChange({ base: "main", projectDir: dir });
    expect(summary.errors.filter((d) => d.code.startsWith("content/duplicate")).map((d) => [d.file, d.message])).toEqual([
      [
        "functions/Fn.yaml",
        `saved-search id '${HUNT_ID}' is already used by the hunting query in rules/hunting/zz-existing.yaml: both would be one resource in Azure, and one would silently replace the other`,
      ],
    ]);
    const out = new Collected();
    expect(await runPlan({ projectDir: dir, content: dir, base: "main", format: "text", queries: false }, out)).toBe(1);
    expect(out.text).toMatch(/functions\/Fn\.yaml:3:\d+\s+error\s+\[content\/duplicate-saved-search\]/);
  });
});
