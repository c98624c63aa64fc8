/** Reads the stack's `sentinel-iac:*` configuration (declared in Pulumi.yaml) for the program. */
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { checkSettingKeys, CONFIG_NAMESPACE, ConfigError, readProjectSettings } from "../config/settings";
import type { StackSettings } from "../model/stack";

export interface DeploymentTarget {
  resourceGroupName: string;
  workspaceName: string;
}

export interface ProgramConfig {
  target: DeploymentTarget;
  /** Absolute path of the content directory. */
  contentDir: string;
  settings: StackSettings;
  /** Seconds to wait after a watchlist or function is created or changed before rules that use it are written; 0 disables. */
  propagationWaitSeconds: number;
  validateQueries: boolean;
  allowEmptyContent: boolean;
  protectRules: boolean;
}

/**
 * `projectDir` is where Pulumi.yaml lives; contentDir is resolved against it. A configuration
 * mistake ends the program as a RunError: Pulumi shows its message without a stack trace.
 */
export function readProgramConfig(projectDir: string): ProgramConfig {
  try {
    return readConfig(projectDir);
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

function readConfig(projectDir: string): ProgramConfig {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  checkSettingKeys(
    Object.keys(pulumi.runtime.allConfig()),
    `stack ${pulumi.getStack()}`,
    "Remove it with `pulumi config rm <key>` and set the right one with `pulumi config set <key> <value>`.",
  );
  const settings = readProjectSettings((key) => config.get(key));
  return {
    target: {
      resourceGroupName: settings.resourceGroupName ?? config.require("resourceGroupName"),
      workspaceName: settings.workspaceName ?? config.require("workspaceName"),
    },
    contentDir: resolve(projectDir, settings.contentDir),
    settings: settings.stack,
    propagationWaitSeconds: settings.propagationWaitSeconds,
    validateQueries: settings.validateQueries,
    allowEmptyContent: settings.allowEmptyContent,
    protectRules: settings.protectRules,
  };
}
