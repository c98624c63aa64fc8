/** Dependency order for the model: every resource after the ones it depends on. */
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { ContentKind, DesiredResource } from "../model/types";

const RANK: Record<ContentKind, number> = {
  watchlist: 0,
  watchlistItem: 1,
  function: 2,
  analyticsRule: 3,
  huntingQuery: 4,
};

const compare = (a: DesiredResource, b: DesiredResource) =>
  RANK[a.content] - RANK[b.content] ||
  a.origin.file.localeCompare(b.origin.file) ||
  (a.origin.line ?? 0) - (b.origin.line ?? 0) ||
  a.key.localeCompare(b.key);

/**
 * Kahn's algorithm with a deterministic tie-break (content kind, then key), so
 * the plan and the registration order are stable from run to run.
 */
export function orderByDependencies(resources: readonly DesiredResource[]): { ordered: DesiredResource[]; diagnostics: Diagnostic[] } {
  const byKey = new Map(resources.map((r) => [r.key, r]));
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const r of resources) {
    const deps = r.dependsOn.filter((d) => byKey.has(d));
    indegree.set(r.key, deps.length);
    for (const d of deps) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(r.key);
  }
  const ready = resources.filter((r) => indegree.get(r.key) === 0).sort(compare);
  const ordered: DesiredResource[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    ordered.push(next);
    const released: DesiredResource[] = [];
    for (const k of dependents.get(next.key) ?? []) {
      const n = indegree.get(k)! - 1;
      indegree.set(k, n);
      if (n === 0) released.push(byKey.get(k)!);
    }
    if (released.length > 0) {
      ready.push(...released);
      ready.sort(compare);
    }
  }
  const diagnostics: Diagnostic[] = [];
  if (ordered.length < resources.length) {
    const done = new Set(ordered.map((r) => r.key));
    const stuck = resources.filter((r) => !done.has(r.key));
    for (const r of stuck) {
      diagnostics.push({
        severity: "error",
        code: "dependencies/cycle",
        file: r.origin.file,
        position: { line: r.origin.line ?? 1, column: 1 },
        message: `'${r.name}' is part of a dependency cycle (${r.dependsOn.filter((d) => stuck.some((s) => s.key === d)).join(", ")})`,
        hint: "Functions must not call each other in a loop; break the cycle.",
      });
    }
  }
  return { ordered, diagnostics };
}
