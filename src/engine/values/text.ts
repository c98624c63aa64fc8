/**
 * Kusto's string predicates. `has` matches whole terms: Kusto splits text into maximal runs of
 * alphanumeric characters, so the right-hand side must sit in the left-hand side with no
 * alphanumeric character touching it at an end where it itself is alphanumeric. The `*_cs`
 * forms are case-sensitive; the others compare lower-cased text.
 */

const NON_ASCII_ALNUM = /[\p{L}\p{N}]/u;

export function isAlnumCode(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return NON_ASCII_ALNUM.test(String.fromCharCode(code));
}

function matchesAt(text: string, term: string, at: number, checkStart: boolean, checkEnd: boolean): boolean {
  if (checkStart && at > 0 && isAlnumCode(term.charCodeAt(0)) && isAlnumCode(text.charCodeAt(at - 1))) return false;
  const end = at + term.length;
  if (checkEnd && end < text.length && isAlnumCode(term.charCodeAt(term.length - 1)) && isAlnumCode(text.charCodeAt(end))) return false;
  return true;
}

function findBounded(text: string, term: string, checkStart: boolean, checkEnd: boolean): boolean {
  if (term === "") return true;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    if (matchesAt(text, term, at, checkStart, checkEnd)) return true;
  }
  return false;
}

/** `has` / `has_cs`: term match. `needle` must already be lower case when caseSensitive is false. */
export function hasTerm(text: string, needle: string, caseSensitive: boolean): boolean {
  return findBounded(caseSensitive ? text : text.toLowerCase(), needle, true, true);
}

/** `hasprefix`: the needle starts a term. */
export function hasPrefixTerm(text: string, needle: string, caseSensitive: boolean): boolean {
  return findBounded(caseSensitive ? text : text.toLowerCase(), needle, true, false);
}

/** `hassuffix`: the needle ends a term. */
export function hasSuffixTerm(text: string, needle: string, caseSensitive: boolean): boolean {
  return findBounded(caseSensitive ? text : text.toLowerCase(), needle, false, true);
}

export function containsText(text: string, needle: string, caseSensitive: boolean): boolean {
  return (caseSensitive ? text : text.toLowerCase()).includes(needle);
}

export function startsWithText(text: string, needle: string, caseSensitive: boolean): boolean {
  return (caseSensitive ? text : text.toLowerCase()).startsWith(needle);
}

export function endsWithText(text: string, needle: string, caseSensitive: boolean): boolean {
  return (caseSensitive ? text : text.toLowerCase()).endsWith(needle);
}

export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

/** The terms of a text, as Kusto's indexer splits it (used by has_any over many values). */
export function terms(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const alnum = i < text.length && isAlnumCode(text.charCodeAt(i));
    if (alnum && start < 0) start = i;
    else if (!alnum && start >= 0) {
      out.push(text.slice(start, i));
      start = -1;
    }
  }
  return out;
}
