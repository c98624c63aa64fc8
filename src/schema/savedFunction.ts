/**
 * A KQL function saved in the workspace (a saved search with a function alias).
 * Metadata lives in YAML; the body lives in a `.kql` file beside it.
 */
import Type from "typebox";
import { KQL_SCALAR_TYPES } from "../sentinel/kqlTypes";
import { Enum, KQL_IDENTIFIER_PATTERN } from "./common";

const ScalarType = Enum(KQL_SCALAR_TYPES, "KQL scalar type.");

export const FunctionParameterSchema = Type.Object(
  {
    name: Type.String({ pattern: KQL_IDENTIFIER_PATTERN, description: "Parameter name as used in the function body." }),
    type: Type.Union([ScalarType, Type.Literal("table")], { description: "A KQL scalar type, or `table` for a tabular parameter." }),
    columns: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ pattern: KQL_IDENTIFIER_PATTERN, description: "Column the input table must have." }),
            type: ScalarType,
          },
          { additionalProperties: false },
        ),
        { description: "For `table` parameters: the columns the input must have. Empty means any table (`T:(*)`)." },
      ),
    ),
    default: Type.Optional(
      Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: "Default value (scalar parameters only)." }),
    ),
  },
  { additionalProperties: false },
);

export const SavedFunctionSchema = Type.Object(
  {
    alias: Type.String({
      pattern: KQL_IDENTIFIER_PATTERN,
      description: "Name queries call the function by. Also its saved search id unless savedSearchId is set.",
    }),
    savedSearchId: Type.Optional(
      Type.String({
        pattern: "^[^/\\\\?#\\s][^/\\\\?#]*$",
        maxLength: 256,
        description:
          "Resource name of the saved search in the workspace. Defaults to the alias. Set it to adopt a function that already exists under another id (sentinel-iac export writes it).",
      }),
    ),
    displayName: Type.Optional(Type.String({ minLength: 1, description: "Display name in the Logs UI. Defaults to the alias." })),
    category: Type.String({ minLength: 1, description: "Saved search category shown in the Logs UI, e.g. Security." }),
    description: Type.Optional(Type.String({ description: "What the function does. Deployed as the saved search's description tag." })),
    parameters: Type.Optional(Type.Array(FunctionParameterSchema, { description: "Function parameters, in order." })),
    queryFile: Type.Optional(
      Type.String({ description: "Path of the .kql body, relative to this file. Defaults to <this file's name>.kql." }),
    ),
  },
  {
    additionalProperties: false,
    title: "Microsoft Sentinel KQL function",
    description: "A KQL function deployed as a Log Analytics saved search with a function alias.",
  },
);

export type SavedFunctionDoc = Type.Static<typeof SavedFunctionSchema>;
export type FunctionParameterDoc = Type.Static<typeof FunctionParameterSchema>;
