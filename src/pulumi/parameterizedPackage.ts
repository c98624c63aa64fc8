/**
 * azure-native serves every Azure API version through "parameterized"
 * packages: `pulumi package add azure-native <module> <api-version>` asks the
 * azure-native plugin to describe one module at one API version as a package
 * of its own, and the SDK it generates registers that package with the
 * engine before each resource. This module computes exactly what such an SDK
 * sends, so the program can register the package itself (no generated SDK,
 * no plugin at build time), and the `pulumi import` file can name the same
 * package. No Pulumi SDK import here: the CLI uses it too.
 *
 * What the bytes are, from azure-native's `provider_parameterize.go`:
 * - the package is named `azure-native_<module>_<sdkVersion>`, and its
 *   resources `<package>:<module>:<Resource>`;
 * - the parameter the plugin reads back is the ASCII text of
 *   base64(JSON `{"module":...,"version":...}`);
 * - generated SDKs hand that parameter to `registerPackage` base64-encoded
 *   once more (`base64Parameter`), and the import file's `value` (JSON bytes)
 *   is the same string;
 * - the package version is the plugin's own version.
 */
import { createRequire } from "node:module";

export const AZURE_NATIVE_PLUGIN = "azure-native";

/** The azure-native version the engine must load the provider plugin at (the installed SDK's). */
export const AZURE_NATIVE_VERSION: string = (createRequire(__filename)("@pulumi/azure-native/package.json") as { version: string }).version;

export interface ParameterizedPackage {
  /** The azure-native module, e.g. `securityinsights`. */
  module: string;
  /** The Azure API version as ARM writes it, e.g. `2025-04-01-preview`. */
  apiVersion: string;
  /** azure-native's spelling of the version, e.g. `v20250401preview`. */
  sdkVersion: string;
  /** The package name, e.g. `azure-native_securityinsights_v20250401preview`. */
  name: string;
  /** Equal to the plugin version. */
  version: string;
  /** What generated SDKs pass to `registerPackage` as `base64Parameter`, and the import file's `parameterization.value`. */
  base64Parameter: string;
}

/** `2025-04-01-preview` -> `v20250401preview`, as azure-native's parseApiVersion does. */
export function sdkVersionOf(apiVersion: string): string {
  if (!/^20\d{2}-[01]\d-[0-3]\d(-preview|-privatepreview)?$/.test(apiVersion)) {
    throw new Error(`'${apiVersion}' is not an Azure API version (yyyy-mm-dd or yyyy-mm-dd-preview)`);
  }
  return `v${apiVersion.replace(/-/g, "")}`;
}

export function parameterizedPackage(module: string, apiVersion: string, version: string = AZURE_NATIVE_VERSION): ParameterizedPackage {
  const sdkVersion = sdkVersionOf(apiVersion);
  // Field order as Go's json.Marshal writes the plugin's parameterizeArgs struct: module, then version.
  const json = JSON.stringify({ module, version: sdkVersion });
  const parameter = Buffer.from(json, "utf8").toString("base64");
  return {
    module,
    apiVersion,
    sdkVersion,
    name: `${AZURE_NATIVE_PLUGIN}_${module}_${sdkVersion}`,
    version,
    base64Parameter: Buffer.from(parameter, "ascii").toString("base64"),
  };
}

/** The type token of one resource of the package, e.g. `azure-native_securityinsights_v20250401preview:securityinsights:NrtAlertRule`. */
export function packageToken(pkg: ParameterizedPackage, resource: string): string {
  return `${pkg.name}:${pkg.module}:${resource}`;
}

/** The provider resource type of the package, e.g. `pulumi:providers:azure-native_securityinsights_v20250401preview`. */
export function providerType(pkg: ParameterizedPackage): string {
  return `pulumi:providers:${pkg.name}`;
}
