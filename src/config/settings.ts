/**
 * The project's `sentinel-iac:*` configuration keys, read the same way whether
 * they come from `pulumi.Config` (the program) or straight from a
 * `Pulumi.<stack>.yaml` file (the CLI's `--stack`).
 */
import { WORKSPACE_RULE_LIMITS } from "../sentinel/limits";
import { DEFAULT_STACK_SETTINGS, NRT_MODES, RULES_ENABLED, type NrtMode, type RulesEnabled, type StackSettings } from "../model/stack";
import { didYouMean } from "../util/suggest";

export const CONFIG_NAMESPACE = "sentinel-iac";
export const DEFAULT_PROPAGATION_WAIT_SECONDS = 60;

export interface ProjectSettings {
  resourceGroupName?: string;
  workspaceName?: string;
  /** As written in config: relative to the project directory. */
  contentDir: string;
  stack: StackSettings;
  propagationWaitSeconds: number;
  /** Run the KQL semantic checks in the program (errors stop the deploy). */
  validateQueries: boolean;
  /** Deploy a content folder with no rules, functions or watchlists (which removes what the stack deployed). */
  allowEmptyContent: boolean;
  /** Register analytics rules with Pulumi's `protect`, so removing one needs retired.yaml (docs/safe-deletes.md). */
  protectRules: boolean;
  /**
   * Endpoints other than the cloud's for the program's own Azure writes (functions, large
   * watchlists): a private endpoint, or the local stand-in. The dynamic providers read them
   * from the stack's config when they start.
   */
  deployEndpoints: { armEndpoint?: string; authorityHost?: string };
}

/** Returns the raw value of `sentinel-iac:<key>`: a string, number, boolean, list or undefined. */
export type ConfigLookup = (key: string) => unknown;

export class ConfigError extends Error {}

/** Every `sentinel-iac:*` key the project reads; Pulumi.yaml declares the same (a test keeps them equal). */
export const SETTING_KEYS = [
  "resourceGroupName",
  "workspaceName",
  "contentDir",
  "include",
  "exclude",
  "rulesEnabled",
  "disabledRules",
  "ignoreUnmanaged",
  "nrtRules",
  "propagationWaitSeconds",
  "validateQueries",
  "allowEmptyContent",
  "protectRules",
  "maxEnabledScheduledRules",
  "armEndpoint",
  "authorityHost",
] as const;

/**
 * An unknown `sentinel-iac:*` key is an error, as an unknown content key is: a typo such as
 * `sentinel-iac:nrtRule` would otherwise leave the real setting at its default, silently.
 * `keys` are the full config keys set for the stack; `where` names their source.
 */
export function checkSettingKeys(keys: Iterable<string>, where: string, fix: string): void {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const known = SETTING_KEYS.map((k) => `${prefix}${k}`);
  const unknown = [...keys].filter((k) => k.startsWith(prefix) && !(known as string[]).includes(k));
  if (unknown.length === 0) return;
  const problems = unknown.map((k) => `${k} is not a setting of sentinel-iac. ${didYouMean(k, known)}`.trim());
  throw new ConfigError(`${where}: ${problems.join(" ")} ${fix} The settings are: ${SETTING_KEYS.join(", ")}.`);
}

function asString(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  throw new ConfigError(`${CONFIG_NAMESPACE}:${key} must be a string, but is ${JSON.stringify(value)}.`);
}

function asEnum<T extends string>(key: string, value: unknown, allowed: readonly T[], fallback: T): T {
  const s = asString(key, value);
  if (s === undefined) return fallback;
  if ((allowed as readonly string[]).includes(s)) return s as T;
  throw new ConfigError(
    `${CONFIG_NAMESPACE}:${key} is '${s}'; it must be one of ${allowed.join(", ")}. Fix it with \`pulumi config set ${CONFIG_NAMESPACE}:${key} <value>\`.`,
  );
}

function asStringList(key: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      v = [value];
    }
  }
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
  throw new ConfigError(
    `${CONFIG_NAMESPACE}:${key} must be a list of strings. Set items with \`pulumi config set --path '${CONFIG_NAMESPACE}:${key}[0]' <value>\`.`,
  );
}

function asBoolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw new ConfigError(`${CONFIG_NAMESPACE}:${key} must be true or false, but is ${JSON.stringify(value)}.`);
}

function asSeconds(key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 3600) {
    throw new ConfigError(`${CONFIG_NAMESPACE}:${key} must be a whole number of seconds from 0 to 3600, but is ${JSON.stringify(value)}.`);
  }
  return n;
}

function asRuleLimit(key: string, value: unknown): number {
  const fallback = WORKSPACE_RULE_LIMITS.enabledScheduledRules;
  if (value === undefined || value === null) return fallback;
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  const max = WORKSPACE_RULE_LIMITS.enabledScheduledRulesDedicatedCluster;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ConfigError(
      `${CONFIG_NAMESPACE}:${key} must be a whole number from 1 to ${max} (Sentinel's limit is ${fallback} enabled scheduled rules, ${max} on a dedicated cluster after a support request), but is ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

/** An https URL without credentials: these endpoints receive bearer tokens. */
function asEndpoint(key: string, value: unknown): string | undefined {
  const text = asString(key, value);
  if (text === undefined || text === "") return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(
      `${CONFIG_NAMESPACE}:${key} '${text}' is not a URL; give an https URL, or remove the setting to use the cloud's.`,
    );
  }
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "") {
    throw new ConfigError(
      `${CONFIG_NAMESPACE}:${key} must be an https URL without a user name or password, since it receives bearer tokens.`,
    );
  }
  return text;
}

export function readProjectSettings(get: ConfigLookup): ProjectSettings {
  const armEndpoint = asEndpoint("armEndpoint", get("armEndpoint"));
  const authorityHost = asEndpoint("authorityHost", get("authorityHost"));
  return {
    resourceGroupName: asString("resourceGroupName", get("resourceGroupName")),
    workspaceName: asString("workspaceName", get("workspaceName")),
    contentDir: asString("contentDir", get("contentDir")) ?? ".",
    stack: {
      include: asStringList("include", get("include")),
      exclude: asStringList("exclude", get("exclude")),
      rulesEnabled: asEnum<RulesEnabled>("rulesEnabled", get("rulesEnabled"), RULES_ENABLED, DEFAULT_STACK_SETTINGS.rulesEnabled),
      disabledRules: asStringList("disabledRules", get("disabledRules")),
      ignoreUnmanaged: asStringList("ignoreUnmanaged", get("ignoreUnmanaged")),
      nrtRules: asEnum<NrtMode>("nrtRules", get("nrtRules"), NRT_MODES, DEFAULT_STACK_SETTINGS.nrtRules),
      ruleLimits: {
        enabledScheduled: asRuleLimit("maxEnabledScheduledRules", get("maxEnabledScheduledRules")),
        enabledNrt: DEFAULT_STACK_SETTINGS.ruleLimits.enabledNrt,
      },
    },
    propagationWaitSeconds: asSeconds("propagationWaitSeconds", get("propagationWaitSeconds"), DEFAULT_PROPAGATION_WAIT_SECONDS),
    validateQueries: asBoolean("validateQueries", get("validateQueries"), true),
    allowEmptyContent: asBoolean("allowEmptyContent", get("allowEmptyContent"), false),
    protectRules: asBoolean("protectRules", get("protectRules"), true),
    deployEndpoints: { ...(armEndpoint ? { armEndpoint } : {}), ...(authorityHost ? { authorityHost } : {}) },
  };
}
