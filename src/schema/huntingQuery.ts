/**
 * Hunting query YAML, in the format of the Azure-Sentinel repository
 * (Hunting Queries/ and Solutions/<name>/Hunting Queries/).
 *
 * Only name, query, description, tactics and techniques reach Azure (as a saved
 * search and its tags). The other keys are accepted because upstream writes
 * them; they are checked loosely and reported as warnings, since Azure never
 * sees them.
 */
import Type from "typebox";
import { ATTACK_TACTICS } from "../sentinel/reference";
import { Canonical, Guid, RequiredDataConnectors, StringList, UpstreamMetadata, UpstreamTags } from "./common";

export const HuntingQuerySchema = Type.Object(
  {
    id: Guid("Hunting query id (a GUID). It becomes the saved search's name in Azure; never change it once deployed."),
    name: Type.String({ minLength: 1, description: "Display name." }),
    description: Type.String({ description: "What the query hunts for. Deployed as the saved search's description tag." }),
    "description-detailed": Type.Optional(Type.String({ description: "Longer description (upstream). Not sent to Azure." })),
    description_detailed: Type.Optional(Type.String({ description: "Longer description (upstream spelling). Not sent to Azure." })),
    requiredDataConnectors: Type.Optional(RequiredDataConnectors),
    tactics: Type.Optional(
      Type.Array(Canonical(ATTACK_TACTICS, "MITRE ATT&CK tactic, e.g. InitialAccess.", { ignoreSpaces: true }), {
        description: "MITRE ATT&CK tactics. Deployed as the saved search's tactics tag.",
      }),
    ),
    relevantTechniques: Type.Optional(StringList("MITRE ATT&CK technique ids. Deployed as the techniques tag.")),
    query: Type.String({ minLength: 1, description: "The KQL query." }),
    // Hunting queries deploy without entity mappings, so their shape is checked as a warning (validate/huntingQuery.ts).
    entityMappings: Type.Optional(
      Type.Unknown({ description: "Entity mappings (upstream). Not sent to Azure: saved searches have none." }),
    ),
    customDetails: Type.Optional(Type.Record(Type.String(), Type.String(), { description: "Upstream custom details. Not sent to Azure." })),
    version: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: "Content version." })),
    kind: Type.Optional(Type.String({ description: "Ignored for hunting queries." })),
    severity: Type.Optional(Type.String({ description: "Ignored for hunting queries." })),
    queryFrequency: Type.Optional(Type.String({ description: "Ignored for hunting queries." })),
    queryPeriod: Type.Optional(Type.String({ description: "Ignored for hunting queries." })),
    triggerOperator: Type.Optional(Type.String({ description: "Ignored for hunting queries." })),
    triggerThreshold: Type.Optional(Type.Number({ description: "Ignored for hunting queries." })),
    tags: Type.Optional(UpstreamTags),
    metadata: Type.Optional(UpstreamMetadata),
    References: Type.Optional(Type.Unknown({ description: "Upstream reference links. Not sent to Azure." })),
  },
  {
    additionalProperties: false,
    title: "Microsoft Sentinel hunting query",
    description: "A hunting query in the Azure-Sentinel YAML format.",
  },
);

export type HuntingQueryDoc = Type.Static<typeof HuntingQuerySchema>;
