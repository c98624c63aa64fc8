import { describe, expect, it } from "vitest";
import { days, hours, minutes, parseDuration, toIsoDuration } from "../src/sentinel/duration";

describe("durations", () => {
  it.each([
    ["5m", minutes(5)],
    ["5h", hours(5)],
    ["1d", days(1)],
    ["1h10m", hours(1) + minutes(10)],
    ["14d", days(14)],
    ["PT5H", hours(5)],
    ["pt5h", hours(5)],
    ["P1D", days(1)],
    ["P2DT1H30M", days(2) + hours(1) + minutes(30)],
    ["PT90M", minutes(90)],
    ["PT30S", 30_000],
  ])("reads %s", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(["", "1x", "P", "PT", "P1M", "P1Y", "P1W", "h", "-1h", "1.5h"])("refuses %j with a reason", (text) => {
    const parsed = parseDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });

  it("explains why months and years cannot be used", () => {
    const parsed = parseDuration("P1M");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/time span.*days/);
  });

  // The forms .NET's XmlConvert prints for a TimeSpan, which Azure echoes back.
  it.each([
    [minutes(5), "PT5M"],
    [hours(1), "PT1H"],
    [hours(5), "PT5H"],
    [hours(1) + minutes(30), "PT1H30M"],
    [hours(24), "P1D"],
    [hours(36), "P1DT12H"],
    [days(14), "P14D"],
    [days(2) + hours(1) + minutes(30), "P2DT1H30M"],
    [30_000, "PT30S"],
    [0, "PT0S"],
  ])("prints %d ms as %s", (ms, iso) => {
    expect(toIsoDuration(ms)).toBe(iso);
  });

  it("round-trips every upstream spelling to the canonical form", () => {
    expect(toIsoDuration((parseDuration("24h") as { ms: number }).ms)).toBe("P1D");
    expect(toIsoDuration((parseDuration("1d") as { ms: number }).ms)).toBe("P1D");
    expect(toIsoDuration((parseDuration("PT24H") as { ms: number }).ms)).toBe("P1D");
  });
});
