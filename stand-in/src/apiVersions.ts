/**
 * What each Microsoft.SecurityInsights api-version returns of an alert rule,
 * read from the REST specs: the service shapes a response by the version
 * asked for, so a client on an older version never sees newer fields.
 * - 2022-09-01-preview (the version @azure/arm-securityinsight 1.0.0-beta.6
 *   pins): no alertDetailsOverride.alertDynamicProperties, no subTechniques,
 *   no sentinelEntitiesMappings;
 * - stable 2024-09-01: alertDynamicProperties, but neither of the other two;
 * - 2025-04-01-preview: all three.
 */
import type { ArmResourceBody } from "./armResources";

const PREVIEW_FIELDS_FROM = "2025-04-01-preview";
const DYNAMIC_PROPERTIES_FROM = "2024-09-01";

/** Orders api-versions by date; a preview sorts before the stable version of the same date. */
function versionKey(apiVersion: string): string {
  return apiVersion.endsWith("-preview") ? `${apiVersion.slice(0, 10)}-0` : `${apiVersion.slice(0, 10)}-1`;
}

const atLeast = (apiVersion: string, since: string) => versionKey(apiVersion) >= versionKey(since);

export function alertRuleForApiVersion(body: ArmResourceBody, apiVersion: string): ArmResourceBody {
  const previewFields = atLeast(apiVersion, PREVIEW_FIELDS_FROM) && apiVersion.endsWith("-preview");
  const dynamicProperties = atLeast(apiVersion, DYNAMIC_PROPERTIES_FROM);
  const p = body.properties;
  const override = p["alertDetailsOverride"];
  const dropDynamic = !dynamicProperties && typeof override === "object" && override !== null && "alertDynamicProperties" in override;
  if (previewFields && !dropDynamic) return body;
  const properties: Record<string, unknown> = { ...p };
  if (!previewFields) {
    delete properties["subTechniques"];
    delete properties["sentinelEntitiesMappings"];
  }
  if (dropDynamic) {
    const { alertDynamicProperties: _dropped, ...rest } = override as Record<string, unknown>;
    properties["alertDetailsOverride"] = rest;
  }
  return { ...body, properties };
}
