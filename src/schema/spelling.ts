/** Matching a value written in another spelling to the one canonical value it stands for. */

const key = (value: string, ignoreSpaces: boolean) => (ignoreSpaces ? value.replace(/[\s_-]+/g, "") : value).toLowerCase();

/**
 * The canonical value `value` is another spelling of: equal but for letter case (and, with
 * `ignoreSpaces`, spaces, underscores and hyphens). Undefined when there is none or more than one.
 */
export function spellingMatch(value: string, canonical: readonly string[], options: { ignoreSpaces?: boolean } = {}): string | undefined {
  const ignoreSpaces = options.ignoreSpaces === true;
  const wanted = key(value, ignoreSpaces);
  const matches = canonical.filter((c) => key(c, ignoreSpaces) === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}
