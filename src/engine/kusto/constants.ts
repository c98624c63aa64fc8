/**
 * Turns the constant values Kusto.Language computes for literals (boxed C# values as Bridge.NET
 * represents them: System.Int64, System.DateTime, System.TimeSpan, decimal, Guid, ...) into
 * the engine's values, so literals are read by Kusto.Language's own lexer and never re-parsed.
 */
import { DOTNET_EPOCH_OFFSET } from "../values/datetime";
import { parseJsonStrict } from "../values/dynamic";
import type { KqlType, Value } from "../values/types";

interface BridgeBoxed {
  valueOf(): unknown;
}
interface BridgeTicks {
  readonly ticks: { toString(): string };
}
interface BridgeSystemDateTime {
  DateTime: { getTicks(d: Date): { toString(): string } };
}

function bridgeSystem(): BridgeSystemDateTime | undefined {
  return (globalThis as { System?: BridgeSystemDateTime }).System;
}

function hasTicks(v: object): v is BridgeTicks {
  return "ticks" in v && typeof (v as { ticks: unknown }).ticks === "object";
}

/** Unboxes Bridge's `$boxed` wrappers (System.Double, System.Boolean, System.DateTime ...). */
function unbox(v: unknown): unknown {
  if (typeof v === "object" && v !== null && "$boxed" in v) return (v as BridgeBoxed).valueOf();
  return v;
}

/** The engine value of a constant of the given type; undefined when it cannot be read. */
export function constantToValue(raw: unknown, type: KqlType): Value | undefined {
  if (raw === null || raw === undefined) return null;
  const v = unbox(raw);
  switch (type) {
    case "string":
      return typeof v === "string" ? v : String(v);
    case "bool":
      return typeof v === "boolean" ? v : undefined;
    case "int":
      return typeof v === "number" ? v : Number(String(v));
    case "real":
    case "decimal":
      return typeof v === "number" ? v : Number(String(v));
    case "long":
      return typeof v === "number" ? BigInt(Math.trunc(v)) : BigInt(String(v));
    case "timespan":
      return typeof v === "object" && v !== null && hasTicks(v) ? BigInt(v.ticks.toString()) : undefined;
    case "datetime": {
      if (!(v instanceof Date)) return undefined;
      const sys = bridgeSystem();
      if (!sys) return undefined;
      return BigInt(sys.DateTime.getTicks(v).toString()) - DOTNET_EPOCH_OFFSET;
    }
    case "guid":
      return String(v).toLowerCase();
    case "dynamic":
      // dynamic literals are read from their tree (eval/scalar.ts); this is for constant lets whose text is JSON
      return typeof v === "string" ? parseJsonStrict(v) : undefined;
  }
}
