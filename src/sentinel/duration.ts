/**
 * Durations as Sentinel YAML writes them (`5m`, `1h10m`, `1d`) and as the
 * Azure REST API takes them (ISO-8601: `PT5H`, `P1D`, `P2DT1H30M`).
 *
 * Azure stores a .NET TimeSpan and echoes it back through XmlConvert, which
 * prints days, hours, minutes and seconds and never folds hours into days or
 * months/years. Emitting exactly that form means `pulumi preview` after
 * `pulumi up` sees no difference between what we sent and what Azure returns.
 */

const MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** A duration in milliseconds, the unit every comparison uses. */
export type DurationMs = number;

export const minutes = (n: number): DurationMs => n * MS.minute;
export const hours = (n: number): DurationMs => n * MS.hour;
export const days = (n: number): DurationMs => n * MS.day;

// `1d`, `5h`, `1h10m`, `30s`, `1d12h`: one or more number+unit pairs, largest unit first.
const SHORT = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;
// ISO-8601 day-time durations. Years, months and weeks are refused: a TimeSpan cannot hold them.
const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export type DurationParseResult = { ok: true; ms: DurationMs } | { ok: false; reason: string };

/** Parses a Sentinel YAML or ISO-8601 duration. */
export function parseDuration(text: string): DurationParseResult {
  const value = text.trim();
  if (value === "") return { ok: false, reason: "is empty" };
  const short = SHORT.exec(value);
  if (short && short.slice(1).some((part) => part !== undefined)) {
    const [, d, h, m, s] = short;
    return { ok: true, ms: num(d) * MS.day + num(h) * MS.hour + num(m) * MS.minute + num(s) * MS.second };
  }
  const iso = ISO.exec(value);
  if (iso && iso.slice(1).some((part) => part !== undefined) && !/T$/i.test(value)) {
    const [, d, h, m, s] = iso;
    return {
      ok: true,
      ms: num(d) * MS.day + num(h) * MS.hour + num(m) * MS.minute + Math.round(Number(s ?? 0) * MS.second),
    };
  }
  if (/^P.*[YW]|^P[^T]*M/i.test(value)) {
    return { ok: false, reason: "uses years, months or weeks, which Azure cannot store as a time span; use days, e.g. 14d or P14D" };
  }
  return { ok: false, reason: "is not a duration; write it like 5m, 1h, 1h30m, 1d or ISO-8601 PT1H, P1D" };
}

function num(part: string | undefined): number {
  return part === undefined ? 0 : Number(part);
}

/** Whole days, hours, minutes and (possibly fractional) seconds, as TimeSpan splits a duration. */
function split(ms: DurationMs): { d: number; h: number; m: number; s: number } {
  const d = Math.floor(ms / MS.day);
  let rest = ms - d * MS.day;
  const h = Math.floor(rest / MS.hour);
  rest -= h * MS.hour;
  const m = Math.floor(rest / MS.minute);
  rest -= m * MS.minute;
  return { d, h, m, s: rest / MS.second };
}

/** The ISO-8601 text .NET's XmlConvert.ToString(TimeSpan) prints, which Azure echoes back. */
export function toIsoDuration(ms: DurationMs): string {
  if (ms < 0) throw new RangeError("negative durations are not supported");
  const { d, h, m, s } = split(ms);
  let time = "";
  if (h) time += `${h}H`;
  if (m) time += `${m}M`;
  if (s) time += `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, "")}S`;
  if (!d && !time) return "PT0S";
  return `P${d ? `${d}D` : ""}${time ? `T${time}` : ""}`;
}

/** Short human form for messages: `14d`, `1h30m`, `5m`. */
export function formatDurationShort(ms: DurationMs): string {
  const { d, h, m, s } = split(ms);
  const seconds = Math.round(s);
  const out = `${d ? `${d}d` : ""}${h ? `${h}h` : ""}${m ? `${m}m` : ""}${seconds ? `${seconds}s` : ""}`;
  return out === "" ? "0s" : out;
}
