/** KQL scalar type names, as function parameters and table schemas declare them. */
export const KQL_SCALAR_TYPES = [
  "string",
  "int",
  "long",
  "real",
  "double",
  "decimal",
  "bool",
  "boolean",
  "datetime",
  "timespan",
  "guid",
  "dynamic",
] as const;

export type KqlScalarType = (typeof KQL_SCALAR_TYPES)[number];
