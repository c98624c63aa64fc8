/**
 * A small persistent cache keyed by content hash: results that depend only on
 * some input text (and the version of the code computing them) are stored
 * once and reused by later runs of the CLI and the Pulumi program.
 *
 * Location: $SENTINEL_IAC_CACHE_DIR, else node_modules/.cache/sentinel-iac in
 * this installation. SENTINEL_IAC_CACHE=off disables it.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Most recently used entries kept per namespace. */
const MAX_ENTRIES = 50_000;

export function cacheEnabled(): boolean {
  return process.env["SENTINEL_IAC_CACHE"] !== "off";
}

export function defaultCacheDir(): string {
  return process.env["SENTINEL_IAC_CACHE_DIR"] ?? resolve(__dirname, "..", "..", "node_modules", ".cache", "sentinel-iac");
}

export function contentHash(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("base64url");
}

interface StoredEntry<T> {
  v: T;
  /** Run counter when last used, for eviction. */
  r: number;
}

interface StoredFile<T> {
  version: string;
  run: number;
  entries: Record<string, StoredEntry<T>>;
}

export class ContentCache<T> {
  private readonly file: string;
  private entries: Map<string, StoredEntry<T>>;
  private readonly run: number;
  private dirty = false;

  /** `version` names everything the cached values depend on besides their input; a change discards the file. */
  constructor(
    namespace: string,
    private readonly version: string,
    dir = defaultCacheDir(),
  ) {
    this.file = join(dir, `${namespace}.json`);
    const stored = this.read();
    this.entries = new Map(Object.entries(stored?.entries ?? {}));
    this.run = (stored?.run ?? 0) + 1;
  }

  private read(): StoredFile<T> | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      const parsed = JSON.parse(readFileSync(this.file, "utf8")) as StoredFile<T>;
      return parsed.version === this.version ? parsed : undefined;
    } catch {
      return undefined; // A damaged cache is only a slower run.
    }
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.r !== this.run) {
      entry.r = this.run;
      this.dirty = true;
    }
    return entry.v;
  }

  set(key: string, value: T): void {
    this.entries.set(key, { v: value, r: this.run });
    this.dirty = true;
  }

  /** Writes the cache if anything changed; concurrent writers each replace the file atomically. */
  save(): void {
    if (!this.dirty) return;
    let entries = [...this.entries];
    if (entries.length > MAX_ENTRIES) entries = entries.sort((a, b) => b[1].r - a[1].r).slice(0, MAX_ENTRIES);
    const body: StoredFile<T> = { version: this.version, run: this.run, entries: Object.fromEntries(entries) };
    try {
      mkdirSync(join(this.file, ".."), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(body));
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      // Read-only or full disk: the cache is an optimisation, never a reason to fail.
    }
  }
}

/** One cache object per namespace and version in a process, so every caller shares hits and one save. */
const open = new Map<string, ContentCache<unknown>>();
export function contentCache<T>(namespace: string, version: string, dir = defaultCacheDir()): ContentCache<T> {
  const key = `${dir}\0${namespace}\0${version}`;
  let cache = open.get(key);
  if (!cache) {
    cache = new ContentCache<unknown>(namespace, version, dir);
    open.set(key, cache);
  }
  return cache as ContentCache<T>;
}
