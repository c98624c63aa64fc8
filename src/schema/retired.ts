/**
 * `retired.yaml` at the content root: the detections deliberately removed.
 * Each entry acknowledges one removal, so deleting a rule file is a reviewed
 * decision rather than a silent loss of coverage (docs/safe-deletes.md).
 */
import Type from "typebox";

export const RetiredEntrySchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      description: "The removed analytics rule's or hunting query's id (its YAML `id`, which is its Azure name).",
    }),
    name: Type.Optional(Type.String({ description: "Its display name, for readers of this file." })),
    reason: Type.String({ minLength: 1, description: "Why it was removed, e.g. replaced by another rule, data source gone." }),
    date: Type.Optional(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "When it was retired (YYYY-MM-DD)." })),
    ticket: Type.Optional(Type.String({ description: "Change or ticket reference." })),
  },
  { additionalProperties: false },
);

export const RetiredSchema = Type.Object(
  {
    retired: Type.Array(RetiredEntrySchema, { description: "One entry per removed detection." }),
  },
  {
    additionalProperties: false,
    title: "Retired Sentinel detections",
    description: "Analytics rules and hunting queries removed on purpose; an unlisted removal fails the summary and plan.",
  },
);

export type RetiredDoc = Type.Static<typeof RetiredSchema>;
export type RetiredEntryDoc = Type.Static<typeof RetiredEntrySchema>;
