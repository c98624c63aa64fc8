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
      description:
        "The removed analytics rule's or hunting query's id (its YAML `id`, which is its Azure name), or the removed function's alias.",
    }),
    stacks: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description:
          "Retire it from these stacks only (Pulumi.<stack>.yaml), when the detection stays in the repository but leaves these stacks' selection (include/exclude). Without it, the detection is retired everywhere and no file may define it.",
      }),
    ),
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
    description:
      "Analytics rules, hunting queries and functions removed on purpose, everywhere or from some stacks; an unlisted removal fails the summary and plan.",
  },
);

export type RetiredDoc = Type.Static<typeof RetiredSchema>;
export type RetiredEntryDoc = Type.Static<typeof RetiredEntrySchema>;
