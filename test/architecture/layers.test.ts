/**
 * The layering of src/ stays one-way: a folder imports only folders below it
 * (scripts/layers.ts), no file imports itself round a cycle, CLI commands
 * never import each other, and docs/architecture.md draws the graph the code has.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { folderEdges, folderOf, importEdges, ROOT, SRC, transitiveReduction } from "../../scripts/importGraph";
import { LAYERS } from "../../scripts/layers";

const edges = importEdges();

describe("src/ layering", () => {
  it("lists every folder of src/ in exactly one layer", () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect([...LAYERS].sort()).toEqual(folders);
  });

  it("imports only downward: a folder uses only folders below it, and outside src/ only data/ and package.json", () => {
    const rank = new Map<string, number>(LAYERS.map((l, i) => [l, i]));
    const violations: string[] = [];
    for (const { from, to } of edges) {
      const where = `${relative(ROOT, from)} imports ${relative(ROOT, to)}`;
      if (!to.startsWith(`${SRC}/`)) {
        const outside = relative(ROOT, to);
        if (!outside.startsWith("data/") && !outside.startsWith("package.json")) violations.push(`${where} (outside src/)`);
        continue;
      }
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a !== b && (rank.get(b) ?? Infinity) >= (rank.get(a) ?? -1)) violations.push(`${where} (${a} -> ${b} points up)`);
    }
    expect(violations).toEqual([]);
  });

  it("has no import cycle between files", () => {
    const key = (p: string) => p.replace(/\.(ts|cts|mts|cjs|js)$/, "");
    const graph = new Map<string, string[]>();
    for (const { from, to } of edges) graph.set(key(from), [...(graph.get(key(from)) ?? []), key(to)]);
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "open") {
        cycles.push([...path.slice(path.indexOf(node)), node].map((p) => relative(ROOT, p)).join(" -> "));
        return;
      }
      state.set(node, "open");
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, "done");
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("keeps CLI commands independent of each other", () => {
    const commands = join(SRC, "cli", "commands");
    const crossing = edges.filter(({ from, to }) => from.startsWith(`${commands}/`) && to.startsWith(`${commands}/`));
    expect(crossing.map(({ from, to }) => `${relative(ROOT, from)} imports ${relative(ROOT, to)}`)).toEqual([]);
  });

  it.each(["docs/architecture.md", "README.md"])("%s draws the folder graph the code has (`npm run architecture` redraws it)", (file) => {
    const doc = readFileSync(join(ROOT, file), "utf8");
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    const drawn = [...diagram.matchAll(/^\s*(\w+)\s*-->\s*(\w+)\s*$/gm)].map((m) => `${m[1]} --> ${m[2]}`);
    const layers = [...diagram.matchAll(/^\s*(\w+)\[\1\/\]\s*$/gm)].map((m) => m[1]);
    expect(layers).toEqual([...LAYERS]);
    expect(drawn.sort()).toEqual(transitiveReduction(folderEdges(edges)).sort());
  });
});
