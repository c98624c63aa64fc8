/** The Azure clouds a target may name; apart from target.ts so the CLI can list them without loading the Azure SDKs. */
import type { AzureCloud } from "../azure/target";

export const CLOUDS: readonly AzureCloud[] = ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"];
