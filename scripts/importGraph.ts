/**
 * The import graph of src/, read with TypeScript's own pre-processor: file
 * edges, folder edges, and the folder graph's transitive reduction that
 * docs/architecture.md draws. Shared by the layering test and
 * `npm run architecture`, which redraws the diagram.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export const ROOT = resolve(__dirname, "..");
export const SRC = join(ROOT, "src");

export interface ImportEdge {
  /** Absolute path of the importing file. */
  from: string;
  /** Absolute path of the imported module, without extension as written. */
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|cts|mts)$/.test(e.name) ? [full] : [];
  });
}

/** Every relative import, re-export, require and dynamic import of every file under src/. */
export function importEdges(): ImportEdge[] {
  return sourceFiles(SRC).flatMap((from) =>
    ts
      .preProcessFile(readFileSync(from, "utf8"), true, true)
      .importedFiles.map((f) => f.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => ({ from, to: resolve(dirname(from), name) })),
  );
}

export function folderOf(path: string): string {
  return relative(SRC, path).split(/[\\/]/)[0]!;
}

/** `a --> b` for each pair of different src/ folders where a file of a imports a file of b. */
export function folderEdges(edges: readonly ImportEdge[]): Set<string> {
  return new Set(
    edges
      .filter(({ to }) => to.startsWith(`${SRC}/`))
      .map(({ from, to }) => [folderOf(from), folderOf(to)] as const)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => `${a} --> ${b}`),
  );
}

/** The edges no longer path implies: the fewest arrows that keep every dependency readable from the picture. */
export function transitiveReduction(edges: ReadonlySet<string>): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    const [a, b] = e.split(" --> ") as [string, string];
    next.set(a, (next.get(a) ?? new Set()).add(b));
  }
  const reaches = (from: string, to: string, skipDirect: boolean): boolean => {
    const seen = new Set<string>();
    const stack = [...(next.get(from) ?? [])].filter((n) => !(skipDirect && n === to));
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(next.get(n) ?? []));
    }
    return false;
  };
  return [...edges].filter((e) => {
    const [a, b] = e.split(" --> ") as [string, string];
    return !reaches(a, b, true);
  });
}

/** The Mermaid flowchart of the folder layers. */
export function mermaidDiagram(layers: readonly string[], edges: readonly string[]): string {
  const lines = ["flowchart TD", ...layers.map((l) => `  ${l}[${l}/]`), ...[...edges].sort().map((e) => `  ${e}`)];
  return `${lines.join("\n")}\n`;
}
