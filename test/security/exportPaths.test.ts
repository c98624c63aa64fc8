/**
 * Issue 11, item 10: `export` writes only where it is told. A server that serves names no real
 * workspace has (the stand-in with `allowUnsafeNames`, over HTTPS, with the real SDK clients)
 * cannot make it write outside the output folder, in the round-trip check or with --dry-run,
 * nor crash it with a NUL; and nothing that exists is overwritten without --force.
 */
import { ClientSecretCredential } from "@azure/identity";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveReadOptions } from "../../src/azure/liveWorkspace";
import { runExport } from "../../src/cli/commands/export";
import { startStandIn, type StandIn } from "../../stand-in/src/standIn";
import type { StandInState } from "../../stand-in/src/state";
import { writeContent } from "../helpers/content";
import { TEST_WORKSPACE } from "../helpers/live";

class Collected {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

const MARKER = `escaped-${process.pid}-${Date.now()}`;
const RULE_ID = "5b6c7d8e-0000-4000-8000-000000000001";
const rule = (name: string, displayName: string) => ({
  name,
  kind: "Scheduled",
  properties: {
    displayName,
    enabled: true,
    severity: "Medium",
    query: "SigninLogs",
    queryFrequency: "PT1H",
    queryPeriod: "PT1H",
    triggerOperator: "GreaterThan",
    triggerThreshold: 0,
    suppressionDuration: "PT1H",
    suppressionEnabled: false,
    tactics: ["InitialAccess"],
    techniques: ["T1078"],
  },
});

function hostileWorkspace(): StandInState {
  return {
    ...TEST_WORKSPACE,
    alertRules: [
      rule(`../../../../../../../../tmp/${MARKER}`, ""),
      rule(`a\u0000b`, "NUL in the name"),
      // A valid id with a display name that is a path: the file name is a slug of it.
      rule(RULE_ID, `../../../../tmp/${MARKER}`),
    ],
    watchlists: [
      {
        name: "Partners",
        properties: { displayName: "Partners", provider: "Team", itemsSearchKey: "Key", source: `../../../../tmp/${MARKER}.csv` },
        items: [{ name: "0b0b0b0b-0000-4000-8000-000000000001", properties: { itemsKeyValue: { Key: "x" } } }],
      },
      { name: `..\\${MARKER}`, properties: { displayName: "Evil", provider: "Team", itemsSearchKey: "Key" }, items: [] },
    ],
    savedSearches: [
      { name: `../${MARKER}`, properties: { category: "Security", displayName: "Fn", query: "print 1", functionAlias: "Fn", version: 2 } },
    ],
    tables: [],
  };
}

describe("export against a server with hostile names", () => {
  let standIn: StandIn;
  let connection: LiveReadOptions;

  beforeAll(async () => {
    standIn = await startStandIn({ state: hostileWorkspace(), allowUnsafeNames: true });
    const credential = new ClientSecretCredential(
      standIn.credentials.tenantId,
      standIn.credentials.clientId,
      standIn.credentials.clientSecret,
      {
        authorityHost: standIn.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
      },
    );
    connection = { credential, caPem: standIn.caPem, timeoutMs: 2000, maxRetries: 1, retryDelayMs: 10, maxRetryDelayMs: 50 };
  });
  afterAll(async () => {
    // Nothing was written where the names pointed.
    expect(existsSync(join("/tmp", `${MARKER}.yaml`))).toBe(false);
    expect(existsSync(join("/tmp", `${MARKER}.csv`))).toBe(false);
    expect(readdirSync(tmpdir()).filter((f) => f.includes(MARKER))).toEqual([]);
    await standIn.close();
  });

  async function exportTo(out: string, extra: { dryRun?: boolean; force?: boolean } = {}) {
    const stdout = new Collected();
    const stderr = new Collected();
    const code = await runExport(
      {
        subscription: TEST_WORKSPACE.subscriptionId,
        resourceGroup: TEST_WORKSPACE.resourceGroupName,
        workspace: TEST_WORKSPACE.workspaceName,
        armEndpoint: standIn.armEndpoint,
        authorityHost: standIn.authorityHost,
        content: writeContent({}),
        out,
        importFile: join(out, "pulumi-import.json"),
        format: "json",
        connection,
        ...extra,
      },
      stdout,
      stderr,
    );
    return { code, out: stdout.text, err: stderr.text };
  }

  it("refuses names that are not valid for their kind before building a path, with --dry-run and without", async () => {
    for (const dryRun of [true, false]) {
      const out = join(writeContent({}), "nested", "out");
      const { code, out: text, err } = await exportTo(out, { dryRun });
      expect(err).toBe("");
      expect(code).toBe(0);
      const report = JSON.parse(text) as { exported: { name: string; files: string[] }[]; skipped: { name: string; reason: string }[] };
      expect(report.skipped.map((s) => [s.name, s.reason.split(";")[0]]).sort()).toEqual(
        [
          [
            `../../../../../../../../tmp/${MARKER}`,
            `its name '../../../../../../../../tmp/${MARKER}' is not a GUID, which an analytics rule's YAML id (which becomes that name) must be`,
          ],
          ["a\u0000b", "its name 'a\\u0000b' is not a GUID, which an analytics rule's YAML id (which becomes that name) must be"],
          [`..\\${MARKER}`, `its alias '..\\${MARKER}' is not a KQL identifier, which watchlist YAML requires`],
          [`../${MARKER}`, `its saved-search id '../${MARKER}' is not one function YAML can hold (no slashes, ?, #, control characters)`],
        ].sort(),
      );
      // What is exported gets safe file names: a slug of the display name, and the alias's CSV.
      expect(report.exported.flatMap((e) => e.files).sort()).toEqual([
        `rules/analytics/tmp-${MARKER}.yaml`,
        "watchlists/Partners/Partners.csv",
        "watchlists/Partners/Partners.yaml",
      ]);
      if (!dryRun) expect(existsSync(join(out, `rules/analytics/tmp-${MARKER}.yaml`))).toBe(true);
      else expect(existsSync(out)).toBe(false);
    }
  });

  it("never overwrites an existing file, the import file included, without --force", async () => {
    const out = writeContent({});
    writeFileSync(join(out, "pulumi-import.json"), "hand-kept\n");
    // A ConfigError, which the CLI prints as one line and exit code 1.
    await expect(exportTo(out)).rejects.toThrow(`${join(out, "pulumi-import.json")} already exists; export never overwrites files`);
    await expect(exportTo(out)).rejects.toThrow(/pass --force to overwrite/);
    // Nothing was written: the refusal comes before the first file.
    expect(readFileSync(join(out, "pulumi-import.json"), "utf8")).toBe("hand-kept\n");
    expect(existsSync(join(out, "rules"))).toBe(false);

    const forced = await exportTo(out, { force: true });
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "pulumi-import.json"), "utf8"))).toHaveProperty("resources");
  });

  it("does not follow a symbolic link in the output folder out of it", async () => {
    const out = writeContent({});
    const outside = writeContent({});
    mkdirSync(join(out, "rules"));
    // rules/analytics -> a folder elsewhere: the rule file would land outside the output folder.
    symlinkSync(outside, join(out, "rules", "analytics"));
    await expect(exportTo(out)).rejects.toThrow(/resolves through a symbolic link to .*, outside the folder/);
    expect(readdirSync(outside)).toEqual([]);
  });
});
