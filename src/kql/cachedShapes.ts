/**
 * The shapes of the KQL results kept in the content cache. The cache is untrusted input (see
 * cache/contentCache.ts): a stored value that does not match its shape is analyzed again.
 */
import Type from "typebox";
import { FINDING_KINDS, FINDING_SEVERITIES } from "./analyze";

const Span = { start: Type.Integer({ minimum: 0 }), length: Type.Integer({ minimum: 0 }) };

const FindingSchema = Type.Object(
  {
    kind: Type.Enum(FINDING_KINDS),
    code: Type.String(),
    severity: Type.Enum(FINDING_SEVERITIES),
    message: Type.String(),
    ...Span,
    name: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const LookbackSchema = Type.Object({ ms: Type.Number(), ...Span, table: Type.Optional(Type.String()) }, { additionalProperties: false });

/** analyze.ts's QueryAnalysis. */
export const QueryAnalysisSchema = Type.Object(
  {
    findings: Type.Array(FindingSchema),
    resultColumns: Type.Union([
      Type.Array(Type.Object({ name: Type.String(), type: Type.String() }, { additionalProperties: false })),
      Type.Null(),
    ]),
    resultComplete: Type.Boolean(),
    lookbacks: Type.Array(LookbackSchema),
    tables: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

/** references.ts's QueryReferences. */
export const QueryReferencesSchema = Type.Object(
  { functions: Type.Array(Type.String()), watchlists: Type.Array(Type.String()) },
  { additionalProperties: false },
);
