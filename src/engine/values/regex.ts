/**
 * Regular expressions with Kusto's flavour, RE2, through re2js (a pure-JS port of RE2/J): the
 * same syntax ((?i), \pL, [[:alpha:]], no backreferences or lookarounds) and linear-time
 * matching, so a pattern behaves as it does in the service. Patterns compile once per text.
 */
import { RE2JS } from "re2js";
import { EvaluationError } from "../eval/context";

const cache = new Map<string, RE2JS>();

export function compileRegex(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (error) {
      throw new EvaluationError(
        `invalid regular expression ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** The groups of the first match (index 0 = whole match), or null. Unmatched groups are null. */
export function regexFirstMatch(re: RE2JS, text: string): (string | null)[] | null {
  const m = re.matcher(text);
  if (!m.find()) return null;
  const groups: (string | null)[] = [];
  for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i));
  return groups;
}

/** Every non-overlapping match, as group arrays. */
export function regexAllMatches(re: RE2JS, text: string): (string | null)[][] {
  const out: (string | null)[][] = [];
  const m = re.matcher(text);
  while (m.find()) {
    const groups: (string | null)[] = [];
    for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i));
    out.push(groups);
    if (out.length > 1_000_000) break;
  }
  return out;
}

/** replace_regex(): every match replaced by the rewrite, where \\0..\\9 stand for groups. */
export function regexReplace(re: RE2JS, text: string, rewrite: string): string {
  const m = re.matcher(text);
  let out = "";
  let last = 0;
  let pos = 0;
  while (pos <= text.length && m.find(pos)) {
    const start = m.start();
    const end = m.end();
    out += text.slice(last, start);
    for (let i = 0; i < rewrite.length; i++) {
      const next = rewrite.charCodeAt(i + 1);
      if (rewrite[i] === "\\" && next >= 48 && next <= 57) {
        const g = next - 48;
        out += g <= m.groupCount() ? (m.group(g) ?? "") : "";
        i++;
      } else out += rewrite[i];
    }
    last = end;
    pos = end === start ? end + 1 : end;
  }
  return out + text.slice(last);
}
