/** Building blocks shared by the content schemas. */
import Type from "typebox";
import { ENTITY_TYPE_NAMES } from "../sentinel/reference";

export const GUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
/** Short Sentinel spellings (`5m`, `1h10m`, `1d`) or ISO-8601 day-time durations (`PT1H`, `P1D`, `P2DT1H30M`). */
export const DURATION_PATTERN =
  "^(?:(?=\\d)(?:\\d+[dD])?(?:\\d+[hH])?(?:\\d+[mM])?(?:\\d+[sS])?|[pP](?=\\d|[tT]\\d)(?:\\d+[dD])?(?:[tT](?=\\d)(?:\\d+[hH])?(?:\\d+[mM])?(?:\\d+(?:\\.\\d+)?[sS])?)?)$";
/** A KQL identifier usable as a function alias or column name without quoting. */
export const KQL_IDENTIFIER_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

/**
 * Annotation on a string whose list of values is open (unknown values are checked elsewhere, as warnings)
 * but which has canonical spellings: a value that matches one but for case (and, with `ignoreSpaces`,
 * spaces) is read as the canonical spelling, with a warning (schema/check.ts).
 */
export const CANONICAL_KEYWORD = "x-canonical";

/** A string from an open list with canonical spellings (see CANONICAL_KEYWORD). */
export const Canonical = (values: readonly string[], description: string, options: { ignoreSpaces?: boolean } = {}) =>
  Type.String({ description, [CANONICAL_KEYWORD]: { values: [...values], ...(options.ignoreSpaces ? { ignoreSpaces: true } : {}) } });

/** A closed list of strings; its static type is the union of the literals. */
export const Enum = <const T extends string[]>(values: readonly [...T], description: string) => Type.Enum<T>(values, { description });

/** A string restricted to a list only known at run time (reference data); its static type stays `string`. */
export const OneOf = (values: readonly string[], description: string) => Type.String({ enum: [...values], description });

export const Guid = (description: string) => Type.String({ pattern: GUID_PATTERN, description });
export const Duration = (description: string) =>
  Type.String({ pattern: DURATION_PATTERN, description: `${description} Written like 5m, 1h, 1h30m, 1d, or ISO-8601 PT1H, P1D.` });

export const StringList = (description: string) => Type.Array(Type.String(), { description });

export const RequiredDataConnectors = Type.Array(
  Type.Object(
    {
      connectorId: Type.String({ description: "Data connector id, e.g. AzureActiveDirectory." }),
      dataTypes: Type.Array(Type.String(), { description: "Tables the rule reads from this connector." }),
    },
    { additionalProperties: false },
  ),
  { description: "Data connectors and tables the content needs. Documentation only; not sent to Azure." },
);

/** Upstream tags are plain strings or small objects such as `{Schema: ASIMDns, SchemaVersion: 0.1.1}`. */
export const UpstreamTags = Type.Array(
  Type.Union([Type.String(), Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))]),
  { description: "Free-form labels from the Azure-Sentinel repository. Not sent to Azure." },
);

/** Solution metadata block (source, author, support, categories). Kept for provenance; not sent to Azure. */
export const UpstreamMetadata = Type.Record(Type.String(), Type.Unknown(), {
  description: "Azure-Sentinel solution metadata (source, author, support, categories). Not sent to Azure.",
});

export const EntityMappings = (maxItems: number | undefined) =>
  Type.Array(
    Type.Object(
      {
        entityType: Canonical(ENTITY_TYPE_NAMES, "Entity type, e.g. Account, IP, Host, URL."),
        fieldMappings: Type.Array(
          Type.Object(
            {
              identifier: Type.String({ description: "Entity identifier, e.g. FullName for Account, Address for IP." }),
              columnName: Type.String({ description: "Column of the query result that holds the value." }),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, description: "Up to 3 identifier-to-column mappings." },
        ),
      },
      { additionalProperties: false },
    ),
    { ...(maxItems === undefined ? {} : { maxItems }), description: "Map query columns to Sentinel entities (up to 10)." },
  );
