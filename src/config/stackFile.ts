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

export function readStackFile(projectDir: string, stack: string): StackFile {
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
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "object" && value !== null && "secure" in value) raw[key] = undefined;
  }
  checkSettingKeys(Object.keys(raw), path, "Rename or remove it in that file.");
  // A key the stack leaves out takes Pulumi.yaml's default, as `pulumi up` does.
  const defaults = projectDefaults(projectDir);
  const settings = readProjectSettings((key) => raw[`${CONFIG_NAMESPACE}:${key}`] ?? defaults.get(key));
  return { stack, path, settings, raw };
}

/**
 * The defaults Pulumi.yaml declares for this project's settings (`config: <key>: default:`), which
 * the engine gives a stack that does not set the key. Empty when there is no Pulumi.yaml.
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
  const config = typeof doc === "object" && doc !== null ? (doc as { config?: unknown }).config : undefined;
  if (typeof config !== "object" || config === null || Array.isArray(config)) return defaults;
  for (const [name, declared] of Object.entries(config as Record<string, unknown>)) {
    // `key` and `sentinel-iac:key` both name the project's own setting.
    const key = name.startsWith(`${CONFIG_NAMESPACE}:`) ? name.slice(CONFIG_NAMESPACE.length + 1) : name.includes(":") ? undefined : name;
    if (key === undefined) continue;
    // A declaration with a type holds its value under `default`; a bare value is the value.
    const isDeclaration = typeof declared === "object" && declared !== null && !Array.isArray(declared);
    const value = isDeclaration ? (declared as { default?: unknown }).default : declared;
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
