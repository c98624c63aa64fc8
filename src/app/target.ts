/**
 * Which workspace a live command reads and which content it compares with:
 * from flags, or from a Pulumi stack's config file (flags win), so
 * `sentinel-iac diff --stack prod` looks at exactly what `pulumi up` on that
 * stack deploys to.
 */
import { resolveEndpoints, type AzureCloud, type AzureTarget } from "../azure/target";
import { ConfigError } from "../config/settings";
import { resolveStackContent } from "./stackContent";
import type { StackSettings } from "../model/stack";

export { CLOUDS } from "./clouds";

/** azure-native's `environment` config values -> cloud. */
const AZURE_NATIVE_ENVIRONMENTS: Record<string, AzureCloud> = {
  public: "AzureCloud",
  usgovernment: "AzureUSGovernment",
  china: "AzureChinaCloud",
};

export interface TargetFlags {
  content?: string;
  stack?: string;
  subscription?: string;
  resourceGroup?: string;
  workspace?: string;
  cloud?: AzureCloud;
  armEndpoint?: string;
  authorityHost?: string;
  /** Where Pulumi.yaml and Pulumi.<stack>.yaml live; defaults to the working directory. */
  projectDir?: string;
}

export interface ResolvedTarget {
  /** Undefined when neither flags nor the stack name a workspace. */
  target?: AzureTarget;
  /** Where Pulumi.yaml and the stack files are. */
  projectDir: string;
  contentDir: string;
  settings: StackSettings;
  /** What is missing for a complete target, for the error message. */
  missing: string[];
}

const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): ResolvedTarget {
  const { projectDir, contentDir, settings, stackFile: stack } = resolveStackContent(flags);
  let fromStack: Partial<AzureTarget> = {};
  if (stack) {
    const environment = str(stack.raw["azure-native:environment"]);
    const cloud = environment ? AZURE_NATIVE_ENVIRONMENTS[environment.toLowerCase()] : undefined;
    if (environment && !cloud) {
      throw new ConfigError(
        `${stack.path}: azure-native:environment '${environment}' is not one of ${Object.keys(AZURE_NATIVE_ENVIRONMENTS).join(", ")}.`,
      );
    }
    fromStack = {
      subscriptionId: str(stack.raw["azure-native:subscriptionId"]),
      resourceGroupName: stack.settings.resourceGroupName,
      workspaceName: stack.settings.workspaceName,
      ...(cloud ? { cloud } : {}),
    };
  }
  const subscriptionId =
    flags.subscription ?? fromStack.subscriptionId ?? str(env["AZURE_SUBSCRIPTION_ID"]) ?? str(env["ARM_SUBSCRIPTION_ID"]);
  const resourceGroupName = flags.resourceGroup ?? fromStack.resourceGroupName;
  const workspaceName = flags.workspace ?? fromStack.workspaceName;
  const missing = [
    ...(subscriptionId ? [] : ["--subscription (or azure-native:subscriptionId in the stack, or AZURE_SUBSCRIPTION_ID)"]),
    ...(resourceGroupName ? [] : ["--resource-group (or sentinel-iac:resourceGroupName in the stack)"]),
    ...(workspaceName ? [] : ["--workspace (or sentinel-iac:workspaceName in the stack)"]),
  ];
  const target: AzureTarget | undefined =
    subscriptionId && resourceGroupName && workspaceName
      ? {
          subscriptionId,
          resourceGroupName,
          workspaceName,
          ...((flags.cloud ?? fromStack.cloud) ? { cloud: flags.cloud ?? fromStack.cloud } : {}),
          ...(flags.armEndpoint ? { armEndpoint: flags.armEndpoint } : {}),
          ...(flags.authorityHost ? { authorityHost: flags.authorityHost } : {}),
        }
      : undefined;
  if (target) {
    try {
      resolveEndpoints(target);
    } catch (error) {
      throw new ConfigError(error instanceof Error ? error.message : String(error));
    }
  }
  return { target, projectDir, contentDir, settings, missing };
}

/** The target, or a ConfigError that says what to pass. */
export function requireTarget(resolved: ResolvedTarget, command: string): AzureTarget {
  if (resolved.target) return resolved.target;
  throw new ConfigError(`${command} needs a workspace: missing ${resolved.missing.join("; ")}.`);
}

/** True when the user named a workspace (flags or a stack), so `plan` should add the live section. */
export function targetRequested(flags: TargetFlags): boolean {
  return Boolean(flags.stack || flags.subscription || flags.resourceGroup || flags.workspace);
}
