/**
 * A small persistent cache keyed by content hash: results that depend only on
 * some input text (and the version of the code computing them) are stored
 * once and reused by later runs of the CLI and the Pulumi program.
 *
 * Location: $SENTINEL_IAC_CACHE_DIR, else node_modules/.cache/sentinel-iac in
 * this installation. SENTINEL_IAC_CACHE=off disables it.
 *
 * The cache is untrusted input: CI caches of node_modules/.cache are shared between
 * branches, so a pull request can write any file here. Every value read is checked
 * against its namespace's schema before use; a file that is too large, not JSON or of
 * another version, and every entry that does not match, is treated as absent (a slower
 * run, never an error). Checks that need the input itself (positions inside a file's
 * text) are the caller's: see content/yamlSource.ts and kql/analysisRunner.ts.
 */
import { createHash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import Type, { type TSchema } from "typebox";

/** Most recently used entries kept per namespace. */
const MAX_ENTRIES = 50_000;

/**
 * A cache file larger than this is ignored (and replaced on save). The largest real one,
 * kql-analysis.json for 3,000 rules, is about 2 MB; reading a planted file of gigabytes would
 * exhaust memory before any check could run.
 */
export const MAX_CACHE_FILE_BYTES = 64 * 1024 * 1024;

const ajv = new Ajv({ strict: true, allowUnionTypes: true });
const validators = new WeakMap<TSchema, ValidateFunction>();
function validatorFor(schema: TSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** A cache file's envelope as read; entries' values are checked one by one, on first use (`get`). */
interface ReadFile {
  version: string;
  run: number;
  entries: Map<string, HeldEntry>;
}

/** An entry as read: its value is unchecked until `get` checks it against the schema. */
interface HeldEntry {
  v: unknown;
  r: number;
  checked?: true;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The envelope's shape, by a type guard rather than a schema: it is checked on every run that
 * opens a cache, and compiling an Ajv validator costs ~10 ms, more than reading a small file.
 * Entries that are not `{ v, r }` with a count `r` are left out; the rest of the file is kept.
 */
function envelope(parsed: unknown): ReadFile | undefined {
  if (!isRecord(parsed) || typeof parsed["version"] !== "string" || !isCount(parsed["run"]) || !isRecord(parsed["entries"]))
    return undefined;
  // A Map, not an object: a key such as `__proto__` stays a key.
  const entries = new Map<string, HeldEntry>();
  for (const [key, entry] of Object.entries(parsed["entries"]))
    if (isRecord(entry) && Object.hasOwn(entry, "v") && isCount(entry["r"])) entries.set(key, { v: entry["v"], r: entry["r"] });
  return { version: parsed["version"], run: parsed["run"], entries };
}

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

export class ContentCache<S extends TSchema, T = Type.Static<S>> {
  private readonly file: string;
  private readonly entries: Map<string, HeldEntry>;
  private validValue?: ValidateFunction;
  private readonly run: number;
  private dirty = false;

  /**
   * `version` names everything the cached values depend on besides their input; a change discards the file.
   * `schema` is the shape of one value: a stored value that does not match it is a miss.
   */
  constructor(
    namespace: string,
    private readonly version: string,
    private readonly schema: S,
    dir = defaultCacheDir(),
  ) {
    this.file = join(dir, `${namespace}.json`);
    const stored = this.read();
    this.entries = stored?.entries ?? new Map();
    this.run = (stored?.run ?? 0) + 1;
  }

  private read(): ReadFile | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(this.file, "r");
      const stat = fstatSync(fd);
      // Not a regular file (a FIFO or /dev/zero would never end) or too large: as if absent.
      if (!stat.isFile() || stat.size > MAX_CACHE_FILE_BYTES) return undefined;
      const stored = envelope(JSON.parse(readFileSync(fd, "utf8")));
      return stored?.version === this.version ? stored : undefined;
    } catch {
      return undefined; // Missing, unreadable or damaged: only a slower run.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** The value kept for `key`, if there is one and it has the schema's shape; a value that has not is dropped. */
  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!entry.checked) {
      // Compiled on the first value read: a run that finds nothing in the cache does not pay for it.
      if (!(this.validValue ??= validatorFor(this.schema))(entry.v)) {
        this.forget(key);
        return undefined;
      }
      entry.checked = true;
    }
    if (entry.r !== this.run) {
      entry.r = this.run;
      this.dirty = true;
    }
    return entry.v as T;
  }

  set(key: string, value: T): void {
    this.entries.set(key, { v: value, r: this.run, checked: true });
    this.dirty = true;
  }

  /** Drops a kept value; the next save leaves it out. */
  private forget(key: string): void {
    if (this.entries.delete(key)) this.dirty = true;
  }

  /** Writes the cache if anything changed; concurrent writers each replace the file atomically. */
  save(): void {
    if (!this.dirty) return;
    let entries = [...this.entries];
    if (entries.length > MAX_ENTRIES) entries = entries.sort((a, b) => b[1].r - a[1].r).slice(0, MAX_ENTRIES);
    const body: StoredFile<unknown> = {
      version: this.version,
      run: this.run,
      entries: Object.fromEntries(entries.map(([key, { v, r }]) => [key, { v, r }])),
    };
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
const open = new Map<string, ContentCache<TSchema, unknown>>();
export function contentCache<S extends TSchema>(namespace: string, version: string, schema: S, dir = defaultCacheDir()): ContentCache<S> {
  const key = `${dir}\0${namespace}\0${version}`;
  let cache = open.get(key);
  if (!cache) {
    cache = new ContentCache<TSchema, unknown>(namespace, version, schema, dir);
    open.set(key, cache);
  }
  return cache as ContentCache<S>;
}
