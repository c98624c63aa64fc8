/** Sentinel-provided functions known by name (see data/sentinel/builtin-functions.json). */
import data from "../../data/sentinel/builtin-functions.json";

const patterns = data.patterns.map((p) => new RegExp(p));

export function isSentinelBuiltin(name: string): boolean {
  return patterns.some((p) => p.test(name));
}
