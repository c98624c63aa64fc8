/**
 * timespan values: bigint counts of 100 ns ticks. Text in .NET's `[-][d.]hh:mm[:ss[.fffffff]]`
 * form is read with .NET's own TimeSpan.Parse as Bridge.NET ships it (loaded with
 * Kusto.Language); Kusto's literal forms (`1d`, `2h`, `100ms`) are read by Kusto.Language.
 */
import { loadKusto } from "../../kql/kusto";
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND } from "./types";

interface BridgeTimeSpan {
  readonly ticks: { toString(): string };
}
interface BridgeSystem {
  TimeSpan: { parse(text: string): BridgeTimeSpan | null };
}

function bridgeSystem(): BridgeSystem {
  loadKusto(); // defines the global System
  const g = globalThis as { System?: BridgeSystem };
  if (!g.System?.TimeSpan) throw new Error("Bridge.NET System.TimeSpan is not loaded");
  return g.System;
}

/**
 * Reads `[-][d.]hh:mm[:ss[.fffffff]]`; null when the text is not a timespan. Bridge's parser
 * keeps milliseconds only, so seconds' fraction digits (up to 7) are added here.
 */
export function parseTimespan(text: string): bigint | null {
  const s = text.trim();
  if (s === "") return null;
  const lastColon = s.lastIndexOf(":");
  const dot = s.indexOf(".", lastColon);
  let whole = s;
  let fraction = 0n;
  if (lastColon >= 0 && dot > lastColon) {
    const digits = s.slice(dot + 1);
    if (!/^\d{1,7}$/.test(digits)) return null;
    fraction = BigInt(digits.padEnd(7, "0"));
    whole = s.slice(0, dot);
  }
  try {
    const ts = bridgeSystem().TimeSpan.parse(whole);
    if (!ts) return null;
    const ticks = BigInt(ts.ticks.toString());
    return whole.startsWith("-") ? ticks - fraction : ticks + fraction;
  } catch {
    return null;
  }
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** .NET's constant ("c") format, which Kusto uses for tostring(timespan): [-][d.]hh:mm:ss[.fffffff]. */
export function formatTimespan(ticks: bigint): string {
  const sign = ticks < 0n ? "-" : "";
  let t = abs(ticks);
  const days = t / TICKS_PER_DAY;
  t %= TICKS_PER_DAY;
  const hours = t / TICKS_PER_HOUR;
  t %= TICKS_PER_HOUR;
  const minutes = t / TICKS_PER_MINUTE;
  t %= TICKS_PER_MINUTE;
  const seconds = t / TICKS_PER_SECOND;
  const fraction = t % TICKS_PER_SECOND;
  const two = (v: bigint) => v.toString().padStart(2, "0");
  const head = `${sign}${days > 0n ? `${days}.` : ""}${two(hours)}:${two(minutes)}:${two(seconds)}`;
  return fraction === 0n ? head : `${head}.${fraction.toString().padStart(7, "0")}`;
}
