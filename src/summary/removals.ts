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
 */
import type { Diagnostic } from "../diagnostics/diagnostic";
import { detectionKey } from "../model/detections";
import type { DesiredResource, DesiredState, RetiredDetection } from "../model/types";
import type { Finding } from "./finding";

/** One selection of the content at both ends of a change: the whole content, or one stack's. */
export interface SelectionSides {
  /** The stack, or undefined for the whole content. */
  stack?: string;
  base: DesiredState;
  head: DesiredState;
}

const WHAT: Record<string, string> = { analyticsRule: "analytics rule", huntingQuery: "hunting query", function: "function" };

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
    const entry = retired.get(key);
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
    for (const [key, r] of detections(sides.base)) {
      if (head.has(key) || !inRepository.has(key)) continue;
      const entry = retired.get(key);
      if (entry?.stacks?.includes(stack)) {
        acknowledged.push({ entry, resource: r, stack });
        continue;
      }
      const what = WHAT[r.content] ?? r.content;
      const file = inRepository.get(key)?.origin.file ?? r.origin.file;
      findings.push({
        severity: "error",
        code: "leaves-stack",
        message: `${what} "${nameOf(r)}" (${key}) leaves stack ${stack}: Pulumi.${stack}.yaml's include/exclude no longer select ${file}, so its next deploy deletes it from that workspace${r.content === "analyticsRule" ? " (a protected rule fails the deploy)" : ""}. If that is intended, add { id: ${key}, stacks: [${stack}], reason: ... } to retired.yaml; otherwise select it again`,
        subject: subject(r),
      });
    }
    // A detection retired from this stack that the stack still deploys would be unprotected while deployed.
    for (const entry of whole.head.retired) {
      const r = entry.stacks?.includes(stack) ? head.get(entry.id) : undefined;
      if (!r) continue;
      findings.push({
        severity: "error",
        code: "retired-still-selected",
        message: `retired.yaml retires ${entry.id} from stack ${stack}, but that stack still deploys it (${r.origin.file}); the deploy would unprotect a deployed rule. Remove ${stack} from the entry, or leave the file out of the stack`,
        subject: subject(r),
      });
    }
  }
  return { findings, acknowledged };
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
          : `Add { id: ${f.subject ? detectionKeyOf(f.subject) : "<id>"}, reason: ... }${f.code === "leaves-stack" ? " with the stacks it leaves" : ""} to ${retiredFile} to retire it, or restore it.`,
    }));
}

function detectionKeyOf(subject: NonNullable<Finding["subject"]>): string {
  return subject.kind === "function" ? (subject.displayName ?? subject.name).toLowerCase() : subject.name.toLowerCase();
}
