import { closest, distance } from "fastest-levenshtein";

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]/g, "");

/**
 * The candidate closest to `input`, if it is close enough to be a likely typo:
 * same letters ignoring case/spaces, or an edit distance within a third of its length.
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const exact = candidates.find((c) => squash(c) === squash(input));
  if (exact) return exact;
  const best = closest(input, [...candidates]);
  return distance(squash(input), squash(best)) <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

export function didYouMean(input: string, candidates: readonly string[]): string {
  const s = suggest(input, candidates);
  return s ? `Did you mean '${s}'? ` : "";
}
