/**
 * Safe deletes, every route: a detection (analytics rule, hunting query or function) leaves a
 * deployment only when retired.yaml acknowledges it. The routes a detection can leave by are
 * all visible as a difference between the base and the change, per selection:
 * - its file deleted, or its `id` (a function's alias) changed inside the file: it is gone from
 *   the whole repository, which needs an entry retiring it everywhere;
 * - its file moved out of a stack's `include`, a stack's `exclude` widened, or a file it needs
 *   left out: it is still in the repository but gone from that stack's selection, which needs
 *   an entry retiring it from that stack (`stacks: [...]`).
 * Every stack is checked, whichever one a command was asked about, and a retired entry whose
 * stack still selects the detection is an error too (it would be unprotected while deployed).
 *
 * Two changes keep a detection in the content but cannot deploy safely, and are errors too:
 * - a name that changes only in case (a rule or hunting query id, a function's saved-search id
 *   or alias, a watchlist alias): Azure ignores case, Pulumi does not, so the deploy creates a
 *   "new" resource over the same Azure one and then deletes the "old" one;
 * - a rule's kind (Scheduled, NRT): another Pulumi type at the same ARM id, which the create
 *   refuses while the old rule exists.
 * A function's alias changed under the same saved-search id is updated in place: a warning that
 * its callers must change (KQL validation finds those that did not).
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import { detectionKey, detectionNames } from "../model/detections";
import type { DesiredResource, DesiredState, RetiredDetection } from "../model/types";
import type { Finding } from "./finding";

/** One selection of the content at both ends of a change: the whole content, or one stack's. */
export interface SelectionSides {
  /** The stack, or undefined for the whole content. */
  stack?: string;
  base: DesiredState;
  head: DesiredState;
  /** The stack's content folder at the base (relative to the project), when the change moved it: the base side is that folder's. */
  movedFrom?: string;
}

const WHAT: Record<string, string> = { analyticsRule: "analytics rule", huntingQuery: "hunting query", function: "function" };

/** The retired.yaml entry for a detection, by any name it may be retired by. */
function entryFor(retired: ReadonlyMap<string, RetiredDetection>, r: DesiredResource): RetiredDetection | undefined {
  for (const name of detectionNames(r)) {
    const entry = retired.get(name);
    if (entry) return entry;
  }
  return undefined;
}

/** Each detection by every name retired.yaml may give it. */
function byEveryName(state: DesiredState): Map<string, DesiredResource> {
  const out = new Map<string, DesiredResource>();
  for (const r of state.resources) for (const name of detectionNames(r)) if (!out.has(name)) out.set(name, r);
  return out;
}

function detections(state: DesiredState): Map<string, DesiredResource> {
  const out = new Map<string, DesiredResource>();
  for (const r of state.resources) {
    const key = detectionKey(r);
    if (key !== undefined && !out.has(key)) out.set(key, r);
  }
  return out;
}

/** How a detection is named to reviewers: its display name, or a function's alias. */
export function detectionName(r: DesiredResource): string {
  if (r.content === "function") return r.properties.functionAlias ?? r.name;
  return "displayName" in r.properties ? r.properties.displayName : r.name;
}
const nameOf = detectionName;

/** A file that is still there but produced nothing reported a content error; that error is the finding, not a removal. */
function failedToLoad(file: string, head: DesiredState): boolean {
  return head.files.includes(file) && head.diagnostics.some((d) => d.severity === "error" && d.file === file);
}

export interface RemovalCheck {
  findings: Finding[];
  /** Removals the retired list acknowledges, with the stack they leave (undefined: everywhere). */
  acknowledged: { entry: RetiredDetection; resource: DesiredResource; stack?: string }[];
}

export function checkRemovals(whole: SelectionSides, stacks: readonly SelectionSides[]): RemovalCheck {
  const retired = new Map(whole.head.retired.map((r) => [r.id, r]));
  const findings: Finding[] = [];
  const acknowledged: RemovalCheck["acknowledged"] = [];
  const inRepository = detections(whole.head);
  const headByFile = new Map<string, DesiredResource>();
  for (const r of whole.head.resources) if (detectionKey(r) !== undefined) headByFile.set(r.origin.file, r);
  const subject = (r: DesiredResource) => ({
    kind: r.content === "analyticsRule" ? "alertRule" : r.content,
    name: r.name,
    displayName: nameOf(r),
    file: r.origin.file,
  });

  // Gone from the repository: needs an entry that retires it everywhere.
  for (const [key, r] of detections(whole.base)) {
    if (inRepository.has(key) || failedToLoad(r.origin.file, whole.head)) continue;
    const entry = entryFor(retired, r);
    if (entry && entry.stacks === undefined) {
      acknowledged.push({ entry, resource: r });
      continue;
    }
    const what = WHAT[r.content] ?? r.content;
    const now = headByFile.get(r.origin.file);
    const route = now
      ? `${r.origin.file} now defines ${detectionKey(now)} instead; a new id is a new resource, so the deploy deletes the old one (with its alerts' and incidents' link to it)`
      : `${r.origin.file} was deleted`;
    findings.push({
      severity: "error",
      code: "unacknowledged-removal",
      message: `${what} "${nameOf(r)}" (${key}) was removed: ${route}; deploying deletes it from every workspace. If that is intended, add it to retired.yaml with a reason${entry ? " and without 'stacks' (its entry names only some stacks)" : ""}; otherwise restore it`,
      subject: subject(r),
    });
  }

  // Still in the repository, but gone from a stack's selection: needs an entry naming the stack.
  for (const sides of stacks) {
    const stack = sides.stack ?? "(default)";
    const head = detections(sides.head);
    const headNames = byEveryName(sides.head);
    for (const [key, r] of detections(sides.base)) {
      // Gone from the repository is the whole-content check's, unless the stack's folder moved:
      // then what the old folder held and the new one lacks leaves this stack, and only it.
      if (head.has(key) || (!inRepository.has(key) && sides.movedFrom === undefined)) continue;
      const entry = entryFor(retired, r);
      if (entry?.stacks?.includes(stack)) {
        acknowledged.push({ entry, resource: r, stack });
        continue;
      }
      const what = WHAT[r.content] ?? r.content;
      const file = inRepository.get(key)?.origin.file ?? r.origin.file;
      findings.push({
        severity: "error",
        code: "leaves-stack",
        message: `${what} "${nameOf(r)}" (${key}) leaves stack ${stack}: ${sides.movedFrom !== undefined && !inRepository.has(key) ? `its contentDir moves away from ${sides.movedFrom}, and the new folder has no ${file}` : `Pulumi.${stack}.yaml's include/exclude no longer select ${file}`}, so its next deploy deletes it from that workspace${r.content === "analyticsRule" ? " (a protected rule fails the deploy)" : ""}. If that is intended, add { id: ${key}, stacks: [${stack}], reason: ... } to retired.yaml; otherwise select it again`,
        subject: subject(r),
      });
    }
    // A detection retired from this stack that the stack still deploys would be unprotected while deployed.
    for (const entry of whole.head.retired) {
      const r = entry.stacks?.includes(stack) ? headNames.get(entry.id) : undefined;
      if (!r) continue;
      findings.push({
        severity: "error",
        code: "retired-still-selected",
        message: `retired.yaml retires ${entry.id} from stack ${stack}, but that stack still deploys it (${r.origin.file}); the deploy would unprotect a deployed rule. Remove ${stack} from the entry, or leave the file out of the stack`,
        subject: subject(r),
      });
    }
  }
  findings.push(...routeFindings(whole, subject));
  return { findings, acknowledged };
}

/** The spelling each name had, by content kind and lower-cased name. */
function spellings(state: DesiredState): Map<string, DesiredResource> {
  const out = new Map<string, DesiredResource>();
  for (const r of state.resources) if (r.content !== "watchlistItem") out.set(`${r.content}/${r.name.toLowerCase()}`, r);
  return out;
}

const NAME_OF: Record<string, string> = {
  analyticsRule: "its id",
  huntingQuery: "its id",
  function: "its saved-search id (its alias unless savedSearchId is set)",
  watchlist: "its alias",
};

/** Changes that keep a detection in the content but cannot deploy safely (see the header), and alias changes. */
function routeFindings(whole: SelectionSides, subject: (r: DesiredResource) => NonNullable<Finding["subject"]>): Finding[] {
  const findings: Finding[] = [];
  const head = spellings(whole.head);
  for (const [key, was] of spellings(whole.base)) {
    const now = head.get(key);
    if (!now) continue;
    const what = WHAT[was.content] ?? was.content;
    if (now.name !== was.name) {
      findings.push({
        severity: "error",
        code: "case-only-rename",
        message: `${what} "${nameOf(now)}": ${NAME_OF[was.content] ?? "its name"} changes only in case, from ${was.name} to ${now.name}. Azure ignores case but Pulumi does not: the deploy would create a new resource over the same Azure one, then delete the old one, and with it the ${what}. Keep the spelling ${was.name}${was.content === "function" ? " (set savedSearchId: " + was.name + " to change only the alias's case)" : ""}, or rename the resource in each stack's state first (\`pulumi state rename\`, docs/safe-deletes.md)`,
        subject: subject(now),
      });
      continue;
    }
    if (was.content === "analyticsRule" && now.content === "analyticsRule" && was.kind !== now.kind) {
      findings.push({
        severity: "error",
        code: "kind-changed",
        message: `"${nameOf(now)}": kind changes from ${was.kind} to ${now.kind}, which is another Pulumi resource type at the same ARM id: the deploy creates the new one first, and Azure refuses that create while the old rule exists (and the old one is protected), so every deploy fails until the change is undone. Give the ${now.kind} rule a new id and retire the old one in retired.yaml (docs/safe-deletes.md)`,
        subject: subject(now),
      });
    }
    if (was.content === "function" && now.content === "function") {
      const [before, after] = [was.properties.functionAlias ?? was.name, now.properties.functionAlias ?? now.name];
      if (before !== after)
        findings.push({
          severity: before.toLowerCase() === after.toLowerCase() ? "notice" : "warning",
          code: "function-alias-changed",
          message: `function ${before} is now called ${after} (saved search ${now.name} is updated in place): every query that calls ${before} must call ${after}, in this repository (validation checks those) and anywhere else (workbooks, other repositories, Content Hub rules)`,
          subject: subject(now),
        });
    }
  }
  return findings;
}

/** The check's errors as diagnostics, for `plan --base` and the CLI's content error output. */
export function removalDiagnostics(check: RemovalCheck, retiredFile: string): Diagnostic[] {
  return check.findings
    .filter((f) => f.severity === "error")
    .map((f) => ({
      severity: "error" as const,
      code: `plan/${f.code}`,
      file: f.subject?.file ?? retiredFile,
      message: f.message,
      hint:
        f.code === "retired-still-selected"
          ? `Fix the entry in ${retiredFile}, or the stack's selection.`
          : f.code === "case-only-rename"
            ? "Keep the old spelling, or rename the resource in the state first (pulumi state rename)."
            : f.code === "kind-changed"
              ? `Give the rule a new id and retire the old one in ${retiredFile}.`
              : `Add { id: ${f.subject ? detectionKeyOf(f.subject) : "<id>"}, reason: ... }${f.code === "leaves-stack" ? " with the stacks it leaves" : ""} to ${retiredFile} to retire it, or restore it.`,
    }));
}

function detectionKeyOf(subject: NonNullable<Finding["subject"]>): string {
  return subject.name.toLowerCase();
}
