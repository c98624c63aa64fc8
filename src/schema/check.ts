/**
 * Checks a parsed YAML document against a content schema and turns every
 * problem into a diagnostic that names the file, line, field, what is wrong
 * and what to do.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { TSchema } from "typebox";
import { formatFieldPath, type Diagnostic } from "../diagnostics/diagnostic";
import { FieldReporter } from "../diagnostics/fieldReporter";
import type { FieldPath, SourceDocument } from "../diagnostics/source";
import { parseDuration } from "../sentinel/duration";
import { didYouMean } from "../util/suggest";
import { CANONICAL_KEYWORD, DURATION_PATTERN, GUID_PATTERN, KQL_IDENTIFIER_PATTERN } from "./common";
import { spellingMatch } from "./spelling";

// verbose: errors carry their parentSchema, whose properties and descriptions feed the messages.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
ajv.addKeyword(CANONICAL_KEYWORD);
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** Keywords whose failure means the value does not have the shape its TypeScript type promises. */
const SHAPE_KEYWORDS = new Set(["type", "required", "enum", "const", "anyOf", "oneOf"]);

export interface SchemaCheck<T> {
  /** The document with upstream key-case variants normalised; present when its shape matches the type. */
  value?: T;
  diagnostics: Diagnostic[];
}

export interface SchemaCheckOptions {
  /** Human name of the content type for messages, e.g. "analytics rule". */
  what: string;
}

export function checkSchema<T>(schema: TSchema, source: SourceDocument, options: SchemaCheckOptions): SchemaCheck<T> {
  const diagnostics: Diagnostic[] = [];
  const file = source.file;
  if (typeof source.value !== "object" || source.value === null || Array.isArray(source.value)) {
    diagnostics.push({
      severity: "error",
      code: "schema/not-a-mapping",
      file,
      position: { line: 1, column: 1 },
      message: `an ${options.what} file must hold a YAML mapping (key: value pairs), but this one holds ${describe(source.value)}`,
      hint: "Check the file is not empty and its top level is `key: value` lines.",
    });
    return { diagnostics };
  }
  const value = normaliseSpelling(schema, source.value, [], source, diagnostics);
  const validate = validatorFor(schema);
  let shapeOk = true;
  if (!validate(value)) {
    const errors = pruneErrors(validate.errors ?? []);
    for (const error of errors) {
      if (SHAPE_KEYWORDS.has(error.keyword)) shapeOk = false;
      diagnostics.push(toDiagnostic(error, source, value));
    }
  }
  return shapeOk ? { value: value as T, diagnostics } : { diagnostics };
}

/** Drops errors that only restate another: `if` wrappers and the per-branch noise of unions. */
function pruneErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const unionPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  return errors.filter((e) => {
    if (e.keyword === "if") return false;
    if (e.keyword !== "anyOf" && /\/anyOf\/\d+\//.test(e.schemaPath)) {
      // A branch of a union failed; the union's own error speaks for it.
      return ![...unionPaths].some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));
    }
    return true;
  });
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the text '${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  return `the ${typeof v} ${String(v)}`;
}

const typeWords: Record<string, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "empty",
};

function toDiagnostic(error: ErrorObject, source: SourceDocument, root: unknown): Diagnostic {
  const path = pointerToPath(error.instancePath);
  const base = { severity: "error" as const, file: source.file };
  const at = (p: FieldPath, part: "key" | "value" = "value") => {
    const r = source.locate(p, part);
    return r ? { position: r.start, end: r.end } : {};
  };
  const field = formatFieldPath(path);
  const actual = valueAt(root, path);
  const description = typeof error.parentSchema?.description === "string" ? error.parentSchema.description : undefined;

  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const keyPath = [...path, key];
      return {
        ...base,
        code: "schema/unknown-key",
        ...at(keyPath, "key"),
        field: formatFieldPath(keyPath),
        message: `unknown key '${key}'`,
        hint: `${didYouMean(key, known)}Keys are case-sensitive. Allowed here: ${known.join(", ")}.`,
      };
    }
    case "required": {
      const key = String(error.params.missingProperty);
      const propSchema = (error.parentSchema?.properties as Record<string, { description?: string }> | undefined)?.[key];
      return {
        ...base,
        code: "schema/missing-key",
        ...at(path, path.length === 0 ? "value" : "key"),
        ...(path.length === 0 ? { position: { line: 1, column: 1 } } : {}),
        field: formatFieldPath([...path, key]),
        message: `required key '${key}' is missing`,
        hint: `Add '${key}'${propSchema?.description ? `: ${propSchema.description}` : "."}`,
      };
    }
    case "type": {
      const expected = String(error.params.type)
        .split(",")
        .map((t) => typeWords[t] ?? t)
        .join(" or ");
      return {
        ...base,
        code: "schema/wrong-type",
        ...at(path),
        field,
        message: `must be ${expected}, but is ${describe(actual)}`,
        hint: description ? `Expected: ${description}` : `Write ${expected} here.`,
      };
    }
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      return {
        ...base,
        code: "schema/invalid-value",
        ...at(path),
        field,
        message: `'${String(actual)}' is not an allowed value`,
        hint: `${didYouMean(String(actual), allowed)}Allowed: ${allowed.join(", ")}.`,
      };
    }
    case "anyOf":
      return {
        ...base,
        code: "schema/wrong-type",
        ...at(path),
        field,
        message: `has an unsupported form: ${describe(actual)}`,
        hint: description ? `Expected: ${description}` : "Check the value against the documented format.",
      };
    case "pattern":
      return { ...base, ...at(path), field, ...patternMessage(String(error.params.pattern), actual, description) };
    case "maxLength":
    case "minLength": {
      const limit = Number(error.params.limit);
      const length = typeof actual === "string" ? actual.length : 0;
      const tooLong = error.keyword === "maxLength";
      return {
        ...base,
        code: "limits/length",
        ...at(path),
        field,
        message: tooLong
          ? `is ${length.toLocaleString("en-US")} characters long; Azure accepts at most ${limit.toLocaleString("en-US")}`
          : limit === 1
            ? "must not be empty"
            : `must be at least ${limit} characters long`,
        hint: tooLong ? "Shorten it." : "Fill it in.",
      };
    }
    case "maxItems":
    case "minItems": {
      const limit = Number(error.params.limit);
      const count = Array.isArray(actual) ? actual.length : 0;
      return {
        ...base,
        code: "limits/count",
        ...at(path),
        field,
        message:
          error.keyword === "maxItems"
            ? `has ${count} entries; Azure accepts at most ${limit}`
            : `must have at least ${limit} ${limit === 1 ? "entry" : "entries"}`,
        hint: error.keyword === "maxItems" ? "Remove or merge entries." : "Add an entry or remove the key.",
      };
    }
    case "maximum":
    case "minimum":
      return {
        ...base,
        code: "limits/range",
        ...at(path),
        field,
        message: `is ${String(actual)}; it must be ${error.keyword === "maximum" ? "at most" : "at least"} ${String(error.params.limit)}`,
        hint: description ?? "Use a value inside the allowed range.",
      };
    default:
      return {
        ...base,
        code: `schema/${error.keyword}`,
        ...at(path),
        field,
        message: error.message ?? "is not valid",
        hint: description,
      };
  }
}

function patternMessage(pattern: string, actual: unknown, description?: string): { code: string; message: string; hint: string } {
  const text = String(actual);
  if (pattern === GUID_PATTERN) {
    return {
      code: "schema/invalid-guid",
      message: `'${text}' is not a GUID`,
      hint: "Use a GUID such as 3f2b8c1e-6d4a-4e9b-9c1f-2a7d5e8b0c46 (e.g. from `uuidgen`); it becomes the resource name in Azure, so never change it after deploying.",
    };
  }
  if (pattern === DURATION_PATTERN) {
    const parsed = parseDuration(text);
    return {
      code: "schema/invalid-duration",
      message: `'${text}' ${parsed.ok ? "is not a supported duration" : parsed.reason}`,
      hint: "Write durations like 5m, 1h, 1h30m, 1d, or ISO-8601 PT1H, P1D.",
    };
  }
  if (pattern === KQL_IDENTIFIER_PATTERN) {
    return {
      code: "schema/invalid-identifier",
      message: `'${text}' is not a plain KQL identifier`,
      hint: "Use letters, digits and underscores, starting with a letter or underscore.",
    };
  }
  if (pattern.startsWith("^T\\d{4}")) {
    return {
      code: "schema/invalid-technique",
      message: `'${text}' is not a MITRE ATT&CK technique id`,
      hint: "Write techniques like T1078 or T1078.004.",
    };
  }
  if (pattern === "^\\d+\\.\\d+\\.\\d+$") {
    return {
      code: "schema/invalid-version",
      message: `'${text}' is not a version like 1.0.0`,
      hint: "Write the version as major.minor.patch, e.g. 1.2.0, quoted or not.",
    };
  }
  return { code: "schema/pattern", message: `'${text}' has the wrong format`, hint: description ?? `It must match ${pattern}.` };
}

function acceptsNull(schema: TSchema | undefined): boolean {
  const s = schema as { type?: unknown; anyOf?: { type?: unknown }[] } | undefined;
  return s?.type === "null" || (s?.anyOf ?? []).some((branch) => branch.type === "null");
}

/**
 * A value of a closed list (`enum`) or of a known open list (`canonical`) written in
 * another spelling, read as the canonical one with a warning that says how to write it.
 * Azure and Microsoft's validator read enum values case-insensitively (real files write
 * `singleAlert`, `CommandandControl`), so such a file deploys with Microsoft's tools and
 * must with ours; the model only ever holds the canonical spelling.
 */
/** How to write a value read in another spelling. */
export function valueSpellingHint(value: string, match: string): string {
  return value.toLowerCase() === match.toLowerCase()
    ? `Write it as '${match}': Azure and Microsoft's tools accept other casings, but other tools compare the value exactly.`
    : `Write it as '${match}', the name Sentinel's filters and Microsoft's tools match.`;
}

type SpellingSchema = {
  enum?: unknown[];
  const?: unknown;
  anyOf?: SpellingSchema[];
  [CANONICAL_KEYWORD]?: { values: readonly string[]; ignoreSpaces?: boolean };
};

/** The allowed strings of a closed list: an `enum`, or a union of enums and constants (`string | table`). */
function closedValues(schema: SpellingSchema): string[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum.every((v) => typeof v === "string") ? (schema.enum as string[]) : undefined;
  if (!schema.anyOf) return undefined;
  const values: string[] = [];
  for (const branch of schema.anyOf) {
    if (typeof branch.const === "string") values.push(branch.const);
    else if (Array.isArray(branch.enum) && branch.enum.every((v) => typeof v === "string")) values.push(...(branch.enum as string[]));
    else return undefined;
  }
  return values;
}

function canonicalSpelling(
  schema: SpellingSchema,
  value: string,
  path: (string | number)[],
  source: SourceDocument,
  diagnostics: Diagnostic[],
): string {
  const closed = closedValues(schema);
  const open = schema[CANONICAL_KEYWORD];
  const values = closed ?? open?.values;
  if (!values || values.includes(value)) return value;
  const match = spellingMatch(value, values, { ignoreSpaces: closed === undefined && open?.ignoreSpaces === true });
  if (match === undefined) return value;
  new FieldReporter(source, diagnostics).warning(
    path,
    "schema/value-spelling",
    `'${value}' is read as '${match}'`,
    valueSpellingHint(value, match),
  );
  return match;
}

/**
 * Drops keys written without a value (unless required), renames keys that match a schema key except for letter case (upstream files
 * write `datatypes` for `dataTypes`; Microsoft's validator reads JSON
 * case-insensitively), and reads enum values in their canonical spelling, warning so the file can be fixed. Returns a copy.
 */
function normaliseSpelling(
  schema: TSchema,
  value: unknown,
  path: (string | number)[],
  source: SourceDocument,
  diagnostics: Diagnostic[],
): unknown {
  const s = schema as {
    properties?: Record<string, TSchema>;
    patternProperties?: Record<string, TSchema>;
    items?: TSchema;
    required?: string[];
  };
  if (typeof value === "string") return canonicalSpelling(schema as SpellingSchema, value, path, source, diagnostics);
  if (Array.isArray(value)) {
    return s.items ? value.map((v, i) => normaliseSpelling(s.items!, v, [...path, i], source, diagnostics)) : value;
  }
  if (typeof value !== "object" || value === null) return value;
  const patterns = Object.values(s.patternProperties ?? {});
  if (!s.properties && patterns.length === 1) {
    // A record (customDetails, watchlist columns): every value has the same schema.
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>))
      out[key] = normaliseSpelling(patterns[0]!, v, [...path, key], source, diagnostics);
    return out;
  }
  if (!s.properties) return value;
  const known = Object.keys(s.properties);
  const required = new Set(s.required ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    // `key:` with no value is how upstream writes "not set"; Microsoft's validator reads it as absent.
    if (v === null && !required.has(key) && !acceptsNull(s.properties[key])) continue;
    let name = key;
    if (!(key in s.properties)) {
      const match = known.find((k) => k.toLowerCase() === key.toLowerCase());
      if (match && !(match in (value as Record<string, unknown>))) {
        name = match;
        // Positions are placed lazily (FieldReporter): a warning may never be printed.
        new FieldReporter(source, diagnostics).warning(
          [...path, key],
          "schema/key-case",
          `key '${key}' is read as '${match}'`,
          `Write it as '${match}'; other tools read keys case-sensitively.`,
          "key",
        );
      }
    }
    const child = s.properties[name];
    out[name] = child ? normaliseSpelling(child, v, [...path, name], source, diagnostics) : v;
  }
  return out;
}

/** True when `value` matches `schema`; for optional blocks that are checked as warnings. */
export function matchesSchema(schema: TSchema, value: unknown): boolean {
  return validatorFor(schema)(value) === true;
}
