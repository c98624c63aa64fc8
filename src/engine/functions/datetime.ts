/**
 * Date and time functions. now() and ago() read the run's pinned clock, never the machine's,
 * so a query gives the same answer whenever it runs. Calendar arithmetic (months, years) is
 * done on UTC dates; fixed units on ticks.
 */
import { argAs, fn1, fn2, stringArg, type FunctionTable, type ScalarFunction } from "./types";
import { datetimeFromParts, datetimeParts, floorDiv, startOfDay } from "../values/datetime";
import { EvaluationError } from "../eval/context";
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_MS, TICKS_PER_SECOND } from "../values/types";

const FIXED_UNITS: Record<string, bigint> = {
  week: TICKS_PER_DAY * 7n,
  day: TICKS_PER_DAY,
  hour: TICKS_PER_HOUR,
  minute: TICKS_PER_MINUTE,
  second: TICKS_PER_SECOND,
  millisecond: TICKS_PER_MS,
  microsecond: 10n,
  nanosecond: 1n,
};

function unit(part: string): string {
  const p = part.trim().toLowerCase();
  return p.endsWith("s") && p !== "ms" ? p.slice(0, -1) : p;
}

const now: ScalarFunction = {
  build([offset], site) {
    const base = site.run.now;
    if (!offset) return () => base;
    const fo = argAs(offset, "timespan");
    return (row) => {
      const o = fo(row) as bigint | null;
      return o === null ? null : base + o;
    };
  },
};

const ago: ScalarFunction = {
  build([span], site) {
    const base = site.run.now;
    const fs = argAs(span!, "timespan");
    return (row) => {
      const s = fs(row) as bigint | null;
      return s === null ? null : base - s;
    };
  },
};

function startOfWeek(t: bigint): bigint {
  const day = startOfDay(t);
  return day - BigInt(datetimeParts(day).dayOfWeek) * TICKS_PER_DAY;
}
function startOfMonth(t: bigint): bigint {
  const p = datetimeParts(t);
  return datetimeFromParts(p.year, p.month, 1);
}
function startOfYear(t: bigint): bigint {
  return datetimeFromParts(datetimeParts(t).year, 1, 1);
}

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

/** .NET's AddMonths: the day is clamped to the target month's length. */
function addMonths(t: bigint, months: number): bigint {
  const p = datetimeParts(t);
  const total = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const day = Math.min(p.day, daysInMonth(year, month));
  return datetimeFromParts(year, month, day, p.hour, p.minute, p.second, p.subSecondTicks);
}

/** start/end-of functions with the optional offset (in units) Kusto allows. */
function periodFn(start: (t: bigint) => bigint, step: (t: bigint, n: number) => bigint, end: boolean): ScalarFunction {
  return {
    build([dt, offset]) {
      const fd = argAs(dt!, "datetime");
      const fo = offset ? argAs(offset, "long") : () => 0n;
      return (row) => {
        const t = fd(row) as bigint | null;
        const o = fo(row) as bigint | null;
        if (t === null || o === null) return null;
        const s = step(start(t), Number(o));
        return end ? step(s, 1) - 1n : s;
      };
    },
  };
}

export function datetimeAdd(part: string, amount: number, t: bigint): bigint {
  const u = unit(part);
  if (u === "year") return addMonths(t, amount * 12);
  if (u === "quarter") return addMonths(t, amount * 3);
  if (u === "month") return addMonths(t, amount);
  const size = FIXED_UNITS[u];
  if (size === undefined) throw new EvaluationError(`datetime part '${part}' is not supported`);
  return t + BigInt(amount) * size;
}

export function datetimeDiff(part: string, a: bigint, b: bigint): bigint {
  const u = unit(part);
  const pa = datetimeParts(a);
  const pb = datetimeParts(b);
  switch (u) {
    case "year":
      return BigInt(pa.year - pb.year);
    case "quarter":
      return BigInt(pa.year * 4 + Math.floor((pa.month - 1) / 3) - (pb.year * 4 + Math.floor((pb.month - 1) / 3)));
    case "month":
      return BigInt(pa.year * 12 + pa.month - (pb.year * 12 + pb.month));
    case "week":
      return (startOfWeek(a) - startOfWeek(b)) / FIXED_UNITS["week"]!;
    default: {
      const size = FIXED_UNITS[u];
      if (size === undefined) throw new EvaluationError(`datetime part '${part}' is not supported`);
      return floorDiv(a, size) - floorDiv(b, size);
    }
  }
}

/** ISO 8601 week number: weeks start on Monday, and a week belongs to the year of its Thursday. */
export function isoWeek(t: bigint): number {
  const day = startOfDay(t);
  const mondayBased = (datetimeParts(day).dayOfWeek + 6) % 7; // Monday = 0
  const thursday = day + BigInt(3 - mondayBased) * TICKS_PER_DAY;
  const januaryFirst = datetimeFromParts(datetimeParts(thursday).year, 1, 1);
  return 1 + Number((thursday - januaryFirst) / (7n * TICKS_PER_DAY));
}

function datetimePart(part: string, t: bigint): number {
  const p = datetimeParts(t);
  switch (unit(part)) {
    case "year":
      return p.year;
    case "quarter":
      return Math.floor((p.month - 1) / 3) + 1;
    case "month":
      return p.month;
    case "week_of_year":
    case "weekofyear":
      return isoWeek(t);
    case "day":
      return p.day;
    case "dayofyear":
      return dayOfYear(t);
    case "hour":
      return p.hour;
    case "minute":
      return p.minute;
    case "second":
      return p.second;
    case "millisecond":
      return Math.floor(p.subSecondTicks / 10_000);
    case "microsecond":
      return Math.floor(p.subSecondTicks / 10);
    case "nanosecond":
      return p.subSecondTicks * 100;
    default:
      throw new EvaluationError(`datetime part '${part}' is not supported`);
  }
}

function dayOfYear(t: bigint): number {
  return Number((startOfDay(t) - startOfYear(t)) / TICKS_PER_DAY) + 1;
}

const TWO = (n: number) => String(n).padStart(2, "0");

/** format_datetime(): .NET-style custom format specifiers, the subset Kusto documents. */
export function formatDatetimeWith(t: bigint, format: string): string {
  const p = datetimeParts(t);
  const fraction = String(p.subSecondTicks).padStart(7, "0");
  let out = "";
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    let n = 1;
    while (format[i + n] === c) n++;
    switch (c) {
      case "y":
        out += n <= 2 ? (n === 1 ? String(p.year % 100) : TWO(p.year % 100)) : String(p.year).padStart(n, "0");
        break;
      case "M":
        out += n === 1 ? String(p.month) : TWO(p.month);
        break;
      case "d":
        out += n === 1 ? String(p.day) : TWO(p.day);
        break;
      case "H":
        out += n === 1 ? String(p.hour) : TWO(p.hour);
        break;
      case "h": {
        const h = p.hour % 12 === 0 ? 12 : p.hour % 12;
        out += n === 1 ? String(h) : TWO(h);
        break;
      }
      case "m":
        out += n === 1 ? String(p.minute) : TWO(p.minute);
        break;
      case "s":
        out += n === 1 ? String(p.second) : TWO(p.second);
        break;
      case "f":
        out += fraction.slice(0, Math.min(n, 7));
        break;
      case "F":
        out += fraction.slice(0, Math.min(n, 7)).replace(/0+$/, "");
        break;
      case "t":
        out += (p.hour < 12 ? "AM" : "PM").slice(0, n === 1 ? 1 : 2);
        break;
      default:
        out += c.repeat(n);
    }
    i += n;
  }
  return out;
}

function formatTimespanWith(ticks: bigint, format: string): string {
  const negative = ticks < 0n;
  let t = negative ? -ticks : ticks;
  const days = t / TICKS_PER_DAY;
  t %= TICKS_PER_DAY;
  const hours = Number(t / TICKS_PER_HOUR);
  t %= TICKS_PER_HOUR;
  const minutes = Number(t / TICKS_PER_MINUTE);
  t %= TICKS_PER_MINUTE;
  const seconds = Number(t / TICKS_PER_SECOND);
  const fraction = String(t % TICKS_PER_SECOND).padStart(7, "0");
  let out = negative ? "-" : "";
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    let n = 1;
    while (format[i + n] === c) n++;
    switch (c) {
      case "d":
        out += String(days).padStart(n, "0");
        break;
      case "h":
        out += n === 1 ? String(hours) : TWO(hours);
        break;
      case "m":
        out += n === 1 ? String(minutes) : TWO(minutes);
        break;
      case "s":
        out += n === 1 ? String(seconds) : TWO(seconds);
        break;
      case "f":
        out += fraction.slice(0, Math.min(n, 7));
        break;
      case "F":
        out += fraction.slice(0, Math.min(n, 7)).replace(/0+$/, "");
        break;
      default:
        out += c.repeat(n);
    }
    i += n;
  }
  return out;
}

function unixTo(ticksPerUnit: number): ScalarFunction {
  return fn1("real", (v) => BigInt(Math.round((v as number) * ticksPerUnit)));
}

const datetimeAddFn: ScalarFunction = {
  build([part, amount, dt]) {
    const fp = stringArg(part!);
    const fa = argAs(amount!, "long");
    const fd = argAs(dt!, "datetime");
    return (row) => {
      const a = fa(row) as bigint | null;
      const t = fd(row) as bigint | null;
      return a === null || t === null ? null : datetimeAdd(fp(row), Number(a), t);
    };
  },
};

const datetimeDiffFn: ScalarFunction = {
  build([part, a, b]) {
    const fp = stringArg(part!);
    const fa = argAs(a!, "datetime");
    const fb = argAs(b!, "datetime");
    return (row) => {
      const x = fa(row) as bigint | null;
      const y = fb(row) as bigint | null;
      return x === null || y === null ? null : datetimeDiff(fp(row), x, y);
    };
  },
};

const makeDatetime: ScalarFunction = {
  build(args) {
    const fs = args.map((a) => argAs(a, "real"));
    return (row) => {
      const v = fs.map((f) => f(row) as number | null);
      if (v.some((x) => x === null)) return null;
      const [y, mo, d, h = 0, mi = 0, s = 0] = v as number[];
      const whole = Math.floor(s);
      return datetimeFromParts(y!, mo!, d!, h, mi, whole, Math.round((s - whole) * 10_000_000));
    };
  },
};

export const DATETIME_FUNCTIONS: FunctionTable = {
  now,
  ago,
  startofday: periodFn(startOfDay, (t, n) => t + BigInt(n) * TICKS_PER_DAY, false),
  endofday: periodFn(startOfDay, (t, n) => t + BigInt(n) * TICKS_PER_DAY, true),
  startofweek: periodFn(startOfWeek, (t, n) => t + BigInt(n) * 7n * TICKS_PER_DAY, false),
  endofweek: periodFn(startOfWeek, (t, n) => t + BigInt(n) * 7n * TICKS_PER_DAY, true),
  startofmonth: periodFn(startOfMonth, addMonths, false),
  endofmonth: periodFn(startOfMonth, addMonths, true),
  startofyear: periodFn(startOfYear, (t, n) => addMonths(t, 12 * n), false),
  endofyear: periodFn(startOfYear, (t, n) => addMonths(t, 12 * n), true),
  datetime_add: datetimeAddFn,
  datetime_diff: datetimeDiffFn,
  datetime_part: fn2("string", "datetime", (p, t) => datetimePart(p as string, t as bigint)),
  datepart: fn2("string", "datetime", (p, t) => datetimePart(p as string, t as bigint)),
  dayofweek: fn1("datetime", (t) => (startOfDay(t as bigint) - startOfWeek(t as bigint))),
  dayofmonth: fn1("datetime", (t) => datetimeParts(t as bigint).day),
  dayofyear: fn1("datetime", (t) => dayOfYear(t as bigint)),
  hourofday: fn1("datetime", (t) => datetimeParts(t as bigint).hour),
  getmonth: fn1("datetime", (t) => datetimeParts(t as bigint).month),
  monthofyear: fn1("datetime", (t) => datetimeParts(t as bigint).month),
  getyear: fn1("datetime", (t) => datetimeParts(t as bigint).year),
  week_of_year: fn1("datetime", (t) => isoWeek(t as bigint)),
  weekofyear: fn1("datetime", (t) => isoWeek(t as bigint)),
  format_datetime: fn2("datetime", "string", (t, f) => formatDatetimeWith(t as bigint, f as string)),
  format_timespan: fn2("timespan", "string", (t, f) => formatTimespanWith(t as bigint, f as string)),
  unixtime_seconds_todatetime: unixTo(10_000_000),
  unixtime_milliseconds_todatetime: unixTo(10_000),
  unixtime_microseconds_todatetime: unixTo(10),
  unixtime_nanoseconds_todatetime: unixTo(0.01),
  make_datetime: makeDatetime,
  make_timespan: {
    build(args) {
      const fs = args.map((a) => argAs(a, "real"));
      return (row) => {
        const v = fs.map((f) => f(row) as number | null);
        if (v.some((x) => x === null)) return null;
        const [a, b, c, d] = v as number[];
        const [days, h, m, s] = v.length >= 4 ? [a!, b!, c!, d!] : v.length === 3 ? [0, a!, b!, c!] : [0, a!, b ?? 0, 0];
        return BigInt(Math.round(((days * 24 + h) * 60 + m) * 60 * 1e7 + s * 1e7));
      };
    },
  },
};
