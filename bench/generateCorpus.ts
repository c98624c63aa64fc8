/**
 * A content directory of N rule files made from the shared corpus (150
 * analytics rules, 60 hunting queries), copied with fresh ids, as the
 * validation benchmark asks: "the corpus replicated with new ids".
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { v4 as uuidv4 } from "uuid";

export const CORPUS_DIR = resolve(__dirname, "..", "..", "shared", "corpus");

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS_DIR, "analytics")) && existsSync(join(CORPUS_DIR, "hunting"));
}

/** `distinct`: give each copy's query its own comment line, so no two queries are the same text. */
export function generateCorpusContent(total: number, distinct = false): string {
  const dir = mkdtempSync(join(tmpdir(), `sentinel-iac-corpus-${total}-`));
  const sources = ["analytics", "hunting"].flatMap((kind) =>
    readdirSync(join(CORPUS_DIR, kind)).map((file) => ({ kind, file, text: readFileSync(join(CORPUS_DIR, kind, file), "utf8") })),
  );
  for (const kind of ["analytics", "hunting"]) mkdirSync(join(dir, "rules", kind), { recursive: true });
  for (let i = 0; i < total; i++) {
    const { kind, file, text } = sources[i % sources.length]!;
    const copy = Math.floor(i / sources.length);
    let renamed = text.replace(/^(\uFEFF?id:\s*)['"]?[^\s'"]+['"]?/m, `$1${uuidv4()}`);
    if (distinct) renamed = renamed.replace(/^(query:\s*[|>][-+]?\s*\r?\n)([ \t]+)/m, `$1$2// copy ${copy}\n$2`);
    writeFileSync(join(dir, "rules", kind, `${copy}-${file}`), renamed);
  }
  return dir;
}
