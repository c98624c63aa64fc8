/**
 * Adoption: turns the workspace's unmanaged analytics rules, hunting queries,
 * functions and watchlists into content files, plus a `pulumi import` file so
 * the next `pulumi up` adopts them instead of creating duplicates.
 *
 * Every export is checked before anything is written: the generated files are
 * loaded by the same loader as the rest of the content and compared with the
 * live resources they came from, so an export that would not reproduce the
 * live resource exactly is reported, never silently written.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import type { LiveResource, LiveWatchlist, LiveWorkspace } from "../azure/liveWorkspace";
import { compareWorkspace, type DriftReport, type FieldChange } from "../diff/compare";
import type { Diagnostic } from "../diagnostics/diagnostic";
import { ConfigError } from "../config/settings";
import { buildDesiredState } from "../loader/desiredState";
import { armResourceId, type WorkspaceScope } from "../azure/armId";
import type { DesiredState } from "../model/types";
import type { NrtMode } from "../model/stack";
import { AZURE_NATIVE_VERSION, logicalName, NRT_PACKAGE, TYPE_TOKENS, typeTokenFor } from "../pulumi/naming";
import { AZURE_NATIVE_PLUGIN } from "../pulumi/parameterizedPackage";
import { watchlistRoutes } from "../model/watchlistRoutes";
import { searchKeyIdentity } from "../sentinel/watchlistItem";
import { exportAnalyticsRule } from "./analyticsRule";
import { exportHuntingQuery } from "./huntingQuery";
import { exportSavedFunction } from "./savedFunction";
import { fileStem, type ExportedFile, type ExportOutcome } from "./types";
import { GUID_PATTERN, KQL_IDENTIFIER_PATTERN } from "../schema/common";
import { containedPath } from "../util/paths";
import { exportWatchlist } from "./watchlist";

export interface PulumiImportEntry {
  type: string;
  /** The entry's name in this file (other entries name their parent by it). */
  name: string;
  /** The Pulumi logical name, when it differs from `name` (two entries would otherwise share a name). */
  logicalName?: string;
  id: string;
  version: string;
  /** The `name` of the entry of the parent resource (watchlist items: their watchlist). */
  parent?: string;
  /**
   * For a resource of a parameterized package (NRT rules): the base plugin and the package's
   * parameter, so `pulumi import` loads the same provider the program registers (CLI 3.251+).
   * `value` is the base64 of the parameter bytes, as the file format's JSON `[]byte` requires.
   */
  parameterization?: { pluginName: string; pluginVersion: string; value: string };
}

/** The bulk import file `pulumi import --file` reads. */
export interface PulumiImportFile {
  resources: PulumiImportEntry[];
}

export type Exported = Extract<ExportOutcome, { ok: true }>;
export type Skipped = Extract<ExportOutcome, { ok: false }>;

export interface RoundTripMismatch {
  kind: string;
  name: string;
  changes: FieldChange[];
}

export interface ExportResult {
  exported: Exported[];
  skipped: Skipped[];
  /** Files to write, relative to the output directory. */
  files: ExportedFile[];
  importFile: PulumiImportFile;
  /** Exported resources whose files would not reproduce the live resource exactly (expected: none). */
  mismatches: RoundTripMismatch[];
  /** What validating the exported files reported (e.g. a portal rule that breaks a limit). */
  diagnostics: Diagnostic[];
  /** Watchlist items of watchlists Git already manages that its CSV lacks: not exported. */
  itemsNotInCsv: number;
  /** Watchlist items the next `pulumi up` replaces, because item ids become derived from the search key. */
  rekeyedItems: number;
}

export interface ExportOptions {
  scope: WorkspaceScope;
  /** The content directory the files are meant for (checked for existing paths and JSON schemas). */
  contentDir: string;
  /** The stack's NRT route (default: the typed NRT rule of the preview package). */
  nrtRules?: NrtMode;
  /**
   * Also list the NRT rules Git defines and the workspace has, with no files: for moving a stack
   * from `nrtRules: genericResource` to the typed NRT rule (docs/azure-behaviours.md §3).
   */
  adoptManagedNrtRules?: boolean;
  /** Every function alias Git defines, in any stack -> its file (the stack's own are in `desired`). */
  gitFunctionAliases?: ReadonlyMap<string, string>;
  /**
   * The stack the import file is for, when its include/exclude leave files out. A resource whose
   * file it would not select is not exported: imported into that stack, it would be deleted by
   * the stack's next `pulumi up`, since the program does not register it.
   */
  selection?: { stack: string; selects: (file: string) => boolean };
}

const SCHEMA_FILES: Record<string, string> = {
  alertRule: "analytics-rule.schema.json",
  huntingQuery: "hunting-query.schema.json",
  function: "function.schema.json",
  watchlist: "watchlist.schema.json",
};

/**
 * Why a live resource's name cannot be content of its kind, or undefined when it can. Checked
 * before any path is built: names come from the server, and a rule named `../../../tmp/x` or
 * holding a NUL must never become a file path.
 */
export function liveNameProblem(kind: string, live: LiveResource): string | undefined {
  const shown = quoted(live.name);
  switch (kind) {
    case "alertRule":
      return GUID.test(live.name)
        ? undefined
        : `its name ${shown} is not a GUID, which an analytics rule's YAML id (which becomes that name) must be`;
    case "huntingQuery":
      return GUID.test(live.name)
        ? undefined
        : `its saved-search id ${shown} is not a GUID, and a hunting query's YAML id (which becomes that id) must be one; copy its query into a new hunting query YAML and delete this one after deploying`;
    case "function": {
      const alias = live.properties["functionAlias"];
      if (typeof alias !== "string" || !KQL_IDENTIFIER.test(alias))
        return `its function alias ${quoted(String(alias))} is not a KQL identifier, which function YAML requires`;
      return SAVED_SEARCH_ID.test(live.name)
        ? undefined
        : `its saved-search id ${shown} is not one function YAML can hold (no slashes, ?, #, control characters)`;
    }
    case "watchlist":
      return KQL_IDENTIFIER.test(live.name) ? undefined : `its alias ${shown} is not a KQL identifier, which watchlist YAML requires`;
    default:
      return `its kind ${kind} is not exported`;
  }
}

/** A name for messages, quoted, with control characters (a NUL included) escaped. */
function quoted(name: string): string {
  return `'${name.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}'`;
}

const GUID = new RegExp(GUID_PATTERN);
const KQL_IDENTIFIER = new RegExp(KQL_IDENTIFIER_PATTERN);
/** The savedSearchId pattern of function YAML, without control characters. */
const SAVED_SEARCH_ID = /^[^/\\?#\s\p{Cc}][^/\\?#\p{Cc}]{0,255}$/u;

/** Picks paths that collide neither with existing files nor with each other. */
class PathAllocator {
  private readonly taken = new Set<string>();
  constructor(private readonly contentDir: string) {}

  private free(path: string): boolean {
    return !this.taken.has(path.toLowerCase()) && !existsSync(join(this.contentDir, path));
  }

  file(folder: string, stem: string, uniqueSuffix: string, extension: string): string {
    let path = `${folder}/${stem}${extension}`;
    if (!this.free(path)) path = `${folder}/${stem}-${uniqueSuffix.slice(0, 8).toLowerCase()}${extension}`;
    for (let n = 2; !this.free(path); n++) path = `${folder}/${stem}-${uniqueSuffix.slice(0, 8).toLowerCase()}-${n}${extension}`;
    this.taken.add(path.toLowerCase());
    return path;
  }

  folder(parent: string, name: string, uniqueSuffix: string): string {
    let folder = `${parent}/${name}`;
    if (!this.free(folder)) folder = `${parent}/${name}-${uniqueSuffix.slice(0, 8).toLowerCase()}`;
    for (let n = 2; !this.free(folder); n++) folder = `${parent}/${name}-${uniqueSuffix.slice(0, 8).toLowerCase()}-${n}`;
    this.taken.add(folder.toLowerCase());
    return folder;
  }
}

function header(contentDir: string, path: string, kind: string, scope: WorkspaceScope, live: LiveResource): string[] {
  const lines: string[] = [];
  const schema = join(contentDir, "jsonschema", SCHEMA_FILES[kind] ?? "");
  if (existsSync(schema))
    lines.push(
      `yaml-language-server: $schema=${relative(dirname(join(contentDir, path)), schema)
        .split("\\")
        .join("/")}`,
    );
  lines.push(`Exported by \`sentinel-iac export\` from workspace ${scope.workspaceName} (${live.name}).`);
  return lines;
}

/** Decides and renders what to export; writes nothing to the content directory. */
/** Why a resource whose file the stack would not select is left alone, or undefined when it is selected. */
function outsideSelection(options: ExportOptions, file: string): string | undefined {
  const selection = options.selection;
  if (!selection || selection.selects(file)) return undefined;
  return (
    `stack ${selection.stack}'s include/exclude would not select ${file}: the stack would not deploy it, and its next pulumi up would delete it once imported; ` +
    "export it with the stack that deploys it, or widen this stack's selection first"
  );
}

export function planExport(desired: DesiredState, live: LiveWorkspace, report: DriftReport, options: ExportOptions): ExportResult {
  const paths = new PathAllocator(options.contentDir);
  const outcomes: ExportOutcome[] = [];
  const sources = new Map<string, LiveResource>();
  const byName = <T extends LiveResource>(list: readonly T[]) => new Map(list.map((r) => [r.name.toLowerCase(), r]));
  const rules = byName(live.alertRules);
  const searches = byName(live.savedSearches);
  const lists = byName<LiveWatchlist>(live.watchlists);
  const gitAliases = new Map([
    ...(options.gitFunctionAliases ?? []),
    ...desired.resources.filter((r) => r.content === "function").map((r) => [String(r.properties.functionAlias), r.origin.file] as const),
  ]);

  for (const drift of report.resources) {
    if (drift.classification !== "unmanaged") continue;
    const key = drift.name.toLowerCase();
    let outcome: ExportOutcome | undefined;
    let source: LiveResource | undefined;
    const live = drift.kind === "alertRule" ? rules.get(key) : drift.kind === "watchlist" ? lists.get(key) : searches.get(key);
    const problem = live && drift.kind !== "watchlistItem" ? liveNameProblem(drift.kind, live) : undefined;
    if (live && problem) {
      outcomes.push({
        ok: false,
        kind: drift.kind,
        name: live.name,
        displayName: String(live.properties["displayName"] ?? live.name),
        reason: `${problem}; it was not exported`,
      });
      continue;
    }
    switch (drift.kind) {
      case "alertRule":
      case "huntingQuery": {
        source = (drift.kind === "alertRule" ? rules : searches).get(key);
        if (!source) break;
        const folder = drift.kind === "alertRule" ? "rules/analytics" : "rules/hunting";
        const path = paths.file(folder, fileStem(String(source.properties["displayName"] ?? ""), source.name), source.name, ".yaml");
        const lines = header(options.contentDir, path, drift.kind, options.scope, source);
        outcome = drift.kind === "alertRule" ? exportAnalyticsRule(source, path, lines) : exportHuntingQuery(source, path, lines);
        break;
      }
      case "function": {
        source = searches.get(key);
        if (!source) break;
        const alias = String(source.properties["functionAlias"] ?? "");
        const inGit = gitAliases.get(alias);
        if (inGit) {
          outcome = {
            ok: false,
            kind: "function",
            name: source.name,
            displayName: alias,
            reason: `Git already defines function ${alias} in ${inGit}; to adopt this saved search instead, set savedSearchId: ${source.name} in that file`,
          };
          break;
        }
        const folder = paths.folder("functions", alias, source.name);
        const files = { yaml: `${folder}/${alias}.yaml`, kql: `${folder}/${alias}.kql` };
        outcome = exportSavedFunction(source, files, header(options.contentDir, files.yaml, "function", options.scope, source));
        break;
      }
      case "watchlist": {
        const list = lists.get(key);
        source = list;
        if (!list) break;
        const folder = paths.folder("watchlists", list.name, list.name);
        outcome = exportWatchlist(
          list,
          folder,
          header(options.contentDir, `${folder}/${list.name}.yaml`, "watchlist", options.scope, list),
        );
        break;
      }
      default:
        break;
    }
    // The YAML decides a stack's selection (a watchlist's CSV and a function's .kql follow it).
    const selectionFile = outcome?.ok ? outcome.files.find((f) => f.path.endsWith(".yaml"))?.path : undefined;
    const outside = selectionFile === undefined ? undefined : outsideSelection(options, selectionFile);
    if (outcome && outside)
      outcome = { ok: false, kind: outcome.kind, name: outcome.name, displayName: outcome.displayName, reason: outside };
    if (outcome && source) {
      outcomes.push(outcome);
      if (outcome.ok) sources.set(`${outcome.kind}/${outcome.name.toLowerCase()}`, source);
    }
  }

  const exported = outcomes.filter((o): o is Exported => o.ok);
  const skipped = outcomes.filter((o): o is Skipped => !o.ok);
  const files = exported.flatMap((o) => o.files);
  const check = checkRoundTrip(files, exported, sources);
  const imports = buildImportFile(check.state, sources, options.scope, options.nrtRules ?? "deploy");
  if (options.adoptManagedNrtRules) imports.file.resources.push(...managedNrtEntries(desired, report, options.scope, imports.file));
  const managedLists = new Set(desired.resources.filter((r) => r.content === "watchlist").map((r) => r.name.toLowerCase()));
  const itemsNotInCsv = report.resources.filter(
    (r) => r.kind === "watchlistItem" && r.classification === "unmanaged" && managedLists.has((r.watchlist ?? "").toLowerCase()),
  ).length;
  return {
    exported,
    skipped,
    files,
    importFile: imports.file,
    mismatches: check.mismatches,
    diagnostics: check.state.diagnostics,
    itemsNotInCsv,
    rekeyedItems: imports.rekeyed,
  };
}

/** Loads the generated files with the project's loader and compares them with their live sources. */
function checkRoundTrip(
  files: ExportedFile[],
  exported: Exported[],
  sources: Map<string, LiveResource>,
): { state: DesiredState; mismatches: RoundTripMismatch[] } {
  const dir = mkdtempSync(join(tmpdir(), "sentinel-iac-export-"));
  try {
    for (const f of files) {
      const target = insideOrThrow(dir, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.text, { flag: "wx" });
    }
    const state = buildDesiredState(dir);
    const live: LiveWorkspace = { alertRules: [], savedSearches: [], watchlists: [] };
    for (const o of exported) {
      const source = sources.get(`${o.kind}/${o.name.toLowerCase()}`);
      if (!source) continue;
      if (o.kind === "alertRule") live.alertRules.push(source);
      else if (o.kind === "watchlist") live.watchlists.push(source as LiveWatchlist);
      else live.savedSearches.push(source);
    }
    const mismatches: RoundTripMismatch[] = [];
    for (const r of compareWorkspace(state.resources, live).resources) {
      // Watchlist items are matched by search key (their ids change on adoption), so only their values count.
      if (r.kind === "watchlistItem") continue;
      if (r.classification !== "unchanged")
        mismatches.push({
          kind: r.kind,
          name: r.name,
          changes:
            r.classification === "update" ? r.changes : [{ field: "(resource)", live: r.classification, git: "missing after export" }],
        });
    }
    mismatches.push(...itemMismatches(state, live.watchlists));
    return { state, mismatches };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Items compare by search key and values, since the exported CSV re-derives their ids. */
function itemMismatches(state: DesiredState, lists: LiveWatchlist[]): RoundTripMismatch[] {
  const out: RoundTripMismatch[] = [];
  for (const list of lists) {
    const searchKey = String(list.properties["itemsSearchKey"] ?? "");
    const desired = new Map<string, string>();
    for (const r of state.resources) {
      if (r.content === "watchlistItem" && r.watchlistAlias.toLowerCase() === list.name.toLowerCase()) {
        desired.set(searchKeyIdentity(r.properties.itemsKeyValue[searchKey] ?? ""), JSON.stringify(nonEmpty(r.properties.itemsKeyValue)));
      }
    }
    let missing = 0;
    for (const item of list.items) {
      const values = (item.properties["itemsKeyValue"] ?? {}) as Record<string, unknown>;
      const key = searchKeyIdentity(String(values[searchKey] ?? ""));
      if (desired.get(key) !== JSON.stringify(nonEmpty(values))) missing++;
    }
    if (missing > 0)
      out.push({
        kind: "watchlistItem",
        name: list.name,
        changes: [{ field: "items", live: `${list.items.length} item(s)`, git: `${missing} item(s) differ after export` }],
      });
  }
  return out;
}

function nonEmpty(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(values).sort()) {
    const v = values[k];
    if (v !== undefined && v !== null && v !== "") out[k] = String(v);
  }
  return out;
}

/** One import entry per exported resource, under the logical name the program registers it with. */
function buildImportFile(
  state: DesiredState,
  sources: Map<string, LiveResource>,
  scope: WorkspaceScope,
  nrtRules: NrtMode,
): { file: PulumiImportFile; rekeyed: number } {
  const resources: PulumiImportEntry[] = [];
  // Per watchlist: its search key, and the live item id under each search-key value.
  const liveItems = new Map<string, { searchKey: string; byKey: Map<string, string> }>();
  for (const r of state.resources) {
    if (r.content !== "watchlist") continue;
    const list = sources.get(`watchlist/${r.name.toLowerCase()}`) as LiveWatchlist | undefined;
    const byKey = new Map<string, string>();
    for (const item of list?.items ?? []) {
      const values = (item.properties["itemsKeyValue"] ?? {}) as Record<string, unknown>;
      byKey.set(searchKeyIdentity(String(values[r.properties.itemsSearchKey] ?? "")), item.name);
    }
    liveItems.set(r.name.toLowerCase(), { searchKey: r.properties.itemsSearchKey, byKey });
  }
  // Rows of a list managed as a whole are one resource of the program's own, which adopts the
  // live items by search key: importing them one by one would have the next deploy delete them.
  const bulk = watchlistRoutes(state.resources).bulk;
  let rekeyed = 0;
  // Entry names must be unique in the file; logical names are unique per type only (a function and a watchlist may share one).
  const entryNames = new Map<string, string>();
  const taken = new Set(state.resources.map(logicalName).filter((n, i, all) => all.indexOf(n) !== i));
  for (const r of state.resources) {
    // A function is the program's own dynamic resource, which `pulumi import` cannot read: the
    // first `pulumi up` adopts the saved search in place (its create writes over the same id).
    if (r.content === "function") continue;
    let itemId: string | undefined;
    if (r.content === "watchlistItem") {
      if (bulk.has(r.watchlistKey)) continue;
      const list = liveItems.get(r.watchlistAlias.toLowerCase());
      itemId = list?.byKey.get(searchKeyIdentity(r.properties.itemsKeyValue[list.searchKey] ?? ""));
      if (itemId === undefined) continue;
      if (itemId.toLowerCase() !== r.name.toLowerCase()) rekeyed++;
    }
    const logical = logicalName(r);
    const name = taken.has(logical) ? `${r.content}:${logical}` : logical;
    entryNames.set(r.key, name);
    const parent = r.content === "watchlistItem" ? entryNames.get(r.watchlistKey) : undefined;
    const type = typeTokenFor(r, nrtRules);
    resources.push({
      type,
      name,
      ...(name !== logical ? { logicalName: logical } : {}),
      id: armResourceId(scope, r, itemId),
      version: AZURE_NATIVE_VERSION,
      ...(parent !== undefined ? { parent } : {}),
      ...(type === TYPE_TOKENS.nrtAlertRule
        ? { parameterization: { pluginName: AZURE_NATIVE_PLUGIN, pluginVersion: NRT_PACKAGE.version, value: NRT_PACKAGE.base64Parameter } }
        : {}),
    });
  }
  return { file: { resources }, rekeyed };
}

/** Import entries for the NRT rules Git defines that the workspace already has, as the program registers them. */
function managedNrtEntries(desired: DesiredState, report: DriftReport, scope: WorkspaceScope, file: PulumiImportFile): PulumiImportEntry[] {
  const live = new Set(
    report.resources
      .filter((r) => r.kind === "alertRule" && (r.classification === "unchanged" || r.classification === "update"))
      .map((r) => r.name.toLowerCase()),
  );
  const names = new Set(file.resources.map((e) => e.name));
  return desired.resources
    .filter((r) => r.content === "analyticsRule" && r.kind === "NRT" && live.has(r.name.toLowerCase()) && !names.has(logicalName(r)))
    .map((r) => ({
      type: TYPE_TOKENS.nrtAlertRule,
      name: logicalName(r),
      id: armResourceId(scope, r),
      version: AZURE_NATIVE_VERSION,
      parameterization: { pluginName: AZURE_NATIVE_PLUGIN, pluginVersion: NRT_PACKAGE.version, value: NRT_PACKAGE.base64Parameter },
    }));
}

/**
 * The absolute path of `path` inside `dir`, through `..` and symbolic links; a path that would
 * leave it is a bug (names are checked and slugged first), so it stops the export.
 */
function insideOrThrow(dir: string, path: string): string {
  const inside = containedPath(dir, dir, path);
  if (!inside.ok) throw new ConfigError(`refusing to write ${JSON.stringify(path)}: it ${inside.reason} ${dir}`);
  return inside.path;
}

/**
 * Writes the files and the import file. Nothing is overwritten unless `force`: every target is
 * checked before the first is written, so a refusal leaves the folder as it was.
 */
export function writeExport(result: ExportResult, outDir: string, importFilePath: string, force = false): void {
  const targets = result.files.map((f) => ({ path: insideOrThrow(outDir, f.path), text: f.text }));
  const importText = `${JSON.stringify(result.importFile, null, 2)}\n`;
  if (!force) {
    for (const target of [...targets.map((t) => t.path), importFilePath]) {
      if (existsSync(target))
        throw new ConfigError(
          `${target} already exists; export never overwrites files. Move it away, export to another folder with --out (or --import-file), or pass --force to overwrite`,
        );
    }
  }
  for (const target of targets) {
    mkdirSync(dirname(target.path), { recursive: true });
    writeFileSync(target.path, target.text, { flag: force ? "w" : "wx" });
  }
  mkdirSync(dirname(importFilePath), { recursive: true });
  writeFileSync(importFilePath, importText, { flag: force ? "w" : "wx" });
}
