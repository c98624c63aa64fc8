/** `npm run architecture`: redraws the layer diagram in docs/architecture.md and README.md from the code's imports. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { folderEdges, importEdges, mermaidDiagram, ROOT, transitiveReduction } from "./importGraph";
import { LAYERS } from "./layers";

const diagram = mermaidDiagram(LAYERS, transitiveReduction(folderEdges(importEdges())));
for (const name of ["docs/architecture.md", "README.md"]) {
  const file = join(ROOT, name);
  const doc = readFileSync(file, "utf8");
  if (!doc.includes("```mermaid\n")) throw new Error(`${name} has no mermaid block to redraw`);
  const updated = doc.replace(/```mermaid\n[\s\S]*?```/, `\`\`\`mermaid\n${diagram}\`\`\``);
  writeFileSync(file, updated);
  process.stdout.write(updated === doc ? `${name} is up to date\n` : `redrew the diagram in ${name}\n`);
}
