/**
 * The table schemas queries are checked against: the bundle of every Log Analytics and
 * Defender XDR table, the hand-checked tables winning inside it, a project's schemas/
 * (hand-written above pulled above bundled), and bad schema files reported at their line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics/diagnostic";
import { loadTableSchemas, type TableSchema } from "../src/kql/environment";
import { readTableBundle, TABLE_BUNDLE_FILE, TABLES_DATA_DIR } from "../src/kql/tableBundle";
import { buildValidatedState } from "../src/loader/validatedState";
import { buildBundle, buildHandChecked, bundleText, handCheckedText } from "../scripts/tableSchemaSources";
import { HAS_SHARED, SHARED_DIR, writeContent } from "./helpers/content";

const HAND_CHECKED_DIR = join(TABLES_DATA_DIR, "hand-checked");

function tables(contentDir: string): { byName: Map<string, TableSchema>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const list = loadTableSchemas(contentDir, diagnostics);
  return { byName: new Map(list.map((t) => [t.name, t])), diagnostics };
}

const columnNames = (t: TableSchema | undefined) => (t?.columns ?? []).map(([c]) => c);

describe("the bundled tables", () => {
  const { byName } = tables(writeContent({}));

  it("has every Log Analytics / Sentinel table and every Defender XDR advanced-hunting table, custom _CL tables left out", () => {
    expect(byName.size).toBeGreaterThan(700);
    for (const name of ["SecurityEvent", "Syslog", "AzureDiagnostics", "DeviceFileEvents", "EmailEvents", "IdentityInfo", "W3CIISLog"])
      expect(byName.has(name), name).toBe(true);
    expect([...byName.keys()].filter((n) => n.endsWith("_CL"))).toEqual([]);
  });

  it("gives Defender XDR tables in the workspace both TimeGenerated and Timestamp", () => {
    for (const name of ["DeviceProcessEvents", "DeviceFileEvents", "EmailEvents", "AlertInfo"]) {
      const t = byName.get(name);
      expect(columnNames(t), name).toEqual(expect.arrayContaining(["TimeGenerated", "Timestamp"]));
      expect(t?.advancedHuntingOnly).toBeUndefined();
    }
  });

  it("marks tables only advanced hunting has, with the Defender flavour's Timestamp", () => {
    const t = byName.get("ExposureGraphNodes");
    expect(t?.advancedHuntingOnly).toBe(true);
    expect(columnNames(byName.get("AADSignInEventsBeta"))).toContain("Timestamp");
    expect(columnNames(byName.get("AADSignInEventsBeta"))).not.toContain("TimeGenerated");
  });

  it("keeps each hand-checked table's columns and types first and unchanged", () => {
    const files = readdirSync(HAND_CHECKED_DIR).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(26);
    for (const file of files) {
      const checked = JSON.parse(readFileSync(join(HAND_CHECKED_DIR, file), "utf8")) as { table: string; columns: Record<string, string> };
      const bundled = byName.get(checked.table)!;
      expect(bundled.columns.slice(0, Object.keys(checked.columns).length), checked.table).toEqual(Object.entries(checked.columns));
    }
  });

  it("says where each table's columns came from", () => {
    const bundle = readTableBundle();
    for (const [name, entry] of Object.entries(bundle.tables)) {
      expect(entry.sources.length, name).toBeGreaterThan(0);
      for (const s of entry.sources) expect(bundle.sources[s], `${name}: ${s}`).toBeDefined();
    }
    expect(bundle.tables["SigninLogs"]!.sources[0]).toBe("hand-checked");
  });

  it.skipIf(!HAS_SHARED)("is what scripts/import-table-schemas.ts makes from ../shared (regenerate it when this fails)", () => {
    const handChecked = buildHandChecked(SHARED_DIR);
    for (const t of handChecked) expect(readFileSync(join(HAND_CHECKED_DIR, `${t.table}.json`), "utf8")).toBe(handCheckedText(t));
    expect(readFileSync(TABLE_BUNDLE_FILE, "utf8")).toBe(bundleText(buildBundle(SHARED_DIR, handChecked)));
  });
});

describe("a project's schemas/ folder", () => {
  const schema = (table: string, columns: Record<string, string>) => JSON.stringify({ table, columns }, null, 2);

  it("replaces a bundled table, table by table; a hand-written file wins over a pulled one", () => {
    const dir = writeContent({
      "schemas/SigninLogs.json": schema("SigninLogs", { TimeGenerated: "datetime", HandAdded: "string" }),
      "schemas/pulled/SigninLogs.json": schema("SigninLogs", { TimeGenerated: "datetime", Pulled: "string" }),
      "schemas/pulled/Syslog.json": schema("Syslog", { TimeGenerated: "datetime", PulledOnly: "string" }),
      "schemas/MyApp_CL.json": schema("MyApp_CL", { TimeGenerated: "datetime" }),
    });
    const { byName, diagnostics } = tables(dir);
    expect(diagnostics).toEqual([]);
    expect(columnNames(byName.get("SigninLogs"))).toEqual(["TimeGenerated", "HandAdded"]);
    expect(columnNames(byName.get("Syslog"))).toEqual(["TimeGenerated", "PulledOnly"]);
    expect(byName.has("MyApp_CL")).toBe(true);
    expect(columnNames(byName.get("SecurityEvent")).length).toBeGreaterThan(200);
  });

  it("reports invalid JSON at its file, line and column, and still loads the other files", () => {
    const dir = writeContent({
      "schemas/Broken_CL.json": '{\n  "table": "Broken_CL",\n  "columns": {\n    "A": "string",\n  }\n}\n',
      "schemas/Good_CL.json": schema("Good_CL", { A: "string" }),
    });
    const { byName, diagnostics } = tables(dir);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: "error",
      code: "json/syntax",
      file: "schemas/Broken_CL.json",
      position: { line: 5, column: 3 },
    });
    expect(diagnostics[0]!.message).toContain("property name");
    expect(byName.has("Good_CL")).toBe(true);
    expect(byName.has("Broken_CL")).toBe(false);
  });

  it("reports a wrong column type at the column's line, with the allowed types", () => {
    const dir = writeContent({ "schemas/pulled/App_CL.json": '{\n  "table": "App_CL",\n  "columns": {\n    "Count": "integer"\n  }\n}\n' });
    const { diagnostics } = tables(dir);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: "error",
      file: "schemas/pulled/App_CL.json",
      field: "columns.Count",
      position: { line: 4, column: 14 },
    });
    expect(diagnostics[0]!.message).toContain("'integer'");
    expect(diagnostics[0]!.hint).toContain("string, int, long");
  });

  it("reports a file that is not a table schema at the line of the problem", () => {
    const dir = writeContent({ "schemas/App_CL.json": '{\n  "name": "App_CL",\n  "columns": []\n}\n' });
    const { diagnostics } = tables(dir);
    const codes = diagnostics.map((d) => `${d.code} ${d.field} ${d.position?.line}`).sort();
    expect(codes).toEqual(["schema/missing-key table 1", "schema/wrong-type columns 3"]);
    for (const d of diagnostics) expect(d.hint).toContain('{"table": "<name>", "columns"');
  });

  it("warns when two files define the same table", () => {
    const dir = writeContent({
      "schemas/a.json": schema("App_CL", { A: "string" }),
      "schemas/b.json": schema("App_CL", { B: "string" }),
    });
    const { byName, diagnostics } = tables(dir);
    expect(diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(["schemas/duplicate-table schemas/b.json"]);
    expect(columnNames(byName.get("App_CL"))).toEqual(["B"]);
  });
});

describe("Defender XDR advanced-hunting tables", () => {
  const rule = (query: string) =>
    [
      "id: 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      "name: Case",
      "description: d",
      "kind: Scheduled",
      "severity: Low",
      "queryFrequency: 1h",
      "queryPeriod: 1h",
      "triggerOperator: gt",
      "triggerThreshold: 0",
      "query: |",
      `  ${query}`,
      "",
    ].join("\n");

  it("an analytics rule that reads one is warned: the workspace it runs on has no such table", async () => {
    const query = "ExposureGraphNodes | where NodeLabel == 'microsoft.compute/virtualmachines' | project NodeName";
    const content = writeContent({
      "rules/analytics/a.yaml": rule(query),
      "rules/hunting/h.yaml": ["id: 6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "name: H", "description: d", "query: |", `  ${query}`, ""].join(
        "\n",
      ),
    });
    const state = await buildValidatedState(content, { useCache: false });
    const found = state.diagnostics.filter((d) => d.code === "kql/advanced-hunting-only-table");
    expect(found.map((d) => `${d.severity} ${d.file} ${d.position?.line}:${d.position?.column}`)).toEqual([
      "warning rules/analytics/a.yaml 11:3",
    ]);
    expect(state.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
