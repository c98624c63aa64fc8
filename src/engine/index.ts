/**
 * The local KQL engine: runs a query over in-memory tables with Kusto.Language's parser and
 * binder and the evaluator in this folder. See docs/engine.md.
 */
export { KqlEngine, runQuery, position } from "./engine";
export type {
  CheckResult,
  EngineSchema,
  PreparedQuery,
  Problem,
  QueryResult,
  RunInput,
  RunQueryOptions,
  TableData,
  WatchlistSchema,
} from "./engine";
export type { WatchlistData, TimeRange } from "./sentinel";
export { DEFAULT_LIMITS, type EngineLimits } from "./eval/limits";
export { rowsFromObjects, valueFromJson, InputError } from "./io/input";
export { dynFromJs } from "./values/dynamic";
export { tableToJson, valueToJson } from "./io/output";
export type { JsonTable, JsonValue } from "./io/output";
export type { Column, KqlType, Row, Value, Dyn } from "./values/types";
export type { Table } from "./values/table";
export { KQL_TYPES, kqlTypeNamed } from "./values/types";
