/** Reads a `Pulumi.<stack>.yaml` file without the Pulumi CLI, for the CLI's `--stack`. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { checkSettingKeys, CONFIG_NAMESPACE, ConfigError, readProjectSettings, type ProjectSettings } from "./settings";

export interface StackFile {
  stack: string;
  path: string;
  settings: ProjectSettings;
  /** Every `config:` entry of the file, e.g. `azure-native:subscriptionId`. */
  raw: Record<string, unknown>;
}

export interface StackFileOptions {
  /**
   * Ignore keys that are not settings of this version (an older commit's stack file may hold a
   * setting since renamed or removed): what such a file meant is read as well as it can be.
   */
  readonly ignoreUnknownKeys?: boolean;
}

export function readStackFile(projectDir: string, stack: string, options: StackFileOptions = {}): StackFile {
  const path = join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(path)) {
    throw new ConfigError(
      `stack file ${path} does not exist. Create it with \`pulumi stack init ${stack}\` and set ${CONFIG_NAMESPACE}:resourceGroupName and ${CONFIG_NAMESPACE}:workspaceName.`,
    );
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const config = (typeof doc === "object" && doc !== null && "config" in doc ? (doc as { config: unknown }).config : {}) ?? {};
  if (typeof config !== "object" || Array.isArray(config)) throw new ConfigError(`${path}: 'config' must be a mapping.`);
  const raw = config as Record<string, unknown>;
  const encrypted = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      raw[key] = undefined;
      encrypted.add(key);
    }
  }
  if (!options.ignoreUnknownKeys) checkSettingKeys(Object.keys(raw), path, "Rename or remove it in that file.");
  // A key the stack leaves out takes Pulumi.yaml's value, as `pulumi up` does. An encrypted one is
  // set, but the CLI cannot decrypt it: refuse rather than read the project's value in its place.
  const defaults = projectDefaults(projectDir);
  const settings = readProjectSettings((key) => {
    const name = `${CONFIG_NAMESPACE}:${key}`;
    if (encrypted.has(name))
      throw new ConfigError(
        `${path}: ${name} is encrypted; sentinel-iac settings are not secrets, so set it in plain text (pulumi config set ${name} <value>).`,
      );
    return raw[name] ?? defaults.get(key);
  });
  return { stack, path, settings, raw };
}

/**
 * The values Pulumi.yaml gives this project's settings, which the engine uses for a stack that does
 * not set the key: `sentinel-iac:<key>` with a plain value or a declaration's `value:` or
 * `default:`; a key without a namespace belongs to the project named in Pulumi.yaml, so it is ours
 * only when that name is sentinel-iac (the namespace the program reads). Empty without Pulumi.yaml.
 */
export function projectDefaults(projectDir: string): Map<string, unknown> {
  const path = join(projectDir, "Pulumi.yaml");
  const defaults = new Map<string, unknown>();
  if (!existsSync(path)) return defaults;
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const project = typeof doc === "object" && doc !== null ? (doc as { name?: unknown; config?: unknown }) : {};
  const config = project.config;
  if (typeof config !== "object" || config === null || Array.isArray(config)) return defaults;
  const ownsBareKeys = project.name === CONFIG_NAMESPACE;
  for (const [name, declared] of Object.entries(config as Record<string, unknown>)) {
    const key = name.startsWith(`${CONFIG_NAMESPACE}:`)
      ? name.slice(CONFIG_NAMESPACE.length + 1)
      : !name.includes(":") && ownsBareKeys
        ? name
        : undefined;
    if (key === undefined) continue;
    // A declaration (a mapping with type, description, ...) holds its value under `value` or
    // `default`; anything else is the value itself.
    const isDeclaration = typeof declared === "object" && declared !== null && !Array.isArray(declared);
    const declaration = declared as { value?: unknown; default?: unknown };
    const value = isDeclaration ? (declaration.value ?? declaration.default) : declared;
    if (value !== undefined) defaults.set(key, value);
  }
  return defaults;
}

/** The Pulumi project's name (Pulumi.yaml `name`), part of every resource URN. */
export function readProjectName(projectDir: string): string {
  const path = join(projectDir, "Pulumi.yaml");
  if (!existsSync(path)) throw new ConfigError(`${path} does not exist; run this in the Pulumi project's folder`);
  const doc = parse(readFileSync(path, "utf8")) as { name?: unknown } | null;
  if (typeof doc?.name !== "string" || doc.name === "") throw new ConfigError(`${path} has no project name`);
  return doc.name;
}

/** The stacks that have a Pulumi.<stack>.yaml file in the project folder. */
export function listStacks(projectDir: string): string[] {
  return readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}
