import { closest, distance } from "fastest-levenshtein";

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]/g, "");

/**
 * Answers already given, per list of candidates. Checks pass one list (e.g. the ~750 known
 * tables) for many findings, and the same unknown names recur across files.
 */
const answered = new WeakMap<readonly string[], Map<string, string | undefined>>();

/**
 * The candidate closest to `input`, if it is close enough to be a likely typo:
 * same letters ignoring case/spaces, or an edit distance within a third of its length.
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  // The length is part of the key, so a list that grew since is not answered from before.
  const key = `${candidates.length}\u0000${input}`;
  let known = answered.get(candidates);
  if (known?.has(key)) return known.get(key);
  const answer = closestTypo(input, candidates);
  if (!known) answered.set(candidates, (known = new Map()));
  known.set(key, answer);
  return answer;
}

function closestTypo(input: string, candidates: readonly string[]): string | undefined {
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
