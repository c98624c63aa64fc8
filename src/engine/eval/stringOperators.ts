/**
 * The string comparison operators (==-like operators over text, has, contains, startswith,
 * endswith, hasprefix, hassuffix, like, matches regex) with their `_cs` and negated forms.
 * Operands that are not strings (dynamic values, numbers) are compared by their text.
 */
import type { Compiled } from "./context";
import type { RowFn } from "../functions/types";
import { argAs } from "../functions/types";
import { containsText, endsWithText, equalsIgnoreCase, hasPrefixTerm, hasSuffixTerm, hasTerm, startsWithText } from "../values/text";
import { compileRegex } from "../values/regex";
import type { Row } from "../values/types";
import { NO_ROW } from "./context";
import { STRING_OPERATOR_KINDS, type StringOperatorKind } from "../kusto/kinds";

export { STRING_OPERATOR_KINDS, type StringOperatorKind };

type Test = (text: string, needle: string, caseSensitive: boolean) => boolean;

const TESTS: Record<string, Test> = {
  Has: hasTerm,
  HasPrefix: hasPrefixTerm,
  HasSuffix: hasSuffixTerm,
  Contains: containsText,
  StartsWith: startsWithText,
  EndsWith: endsWithText,
};

/** `a <op> b` for the string operator kinds above. */
export function stringPredicate(kind: StringOperatorKind, a: Compiled, b: Compiled): RowFn {
  const left = argAs(a, "string") as (row: Row) => string;
  const right = argAs(b, "string") as (row: Row) => string;
  if (kind === "EqualTildeExpression" || kind === "BangTildeExpression") {
    const negate = kind === "BangTildeExpression";
    return (row) => equalsIgnoreCase(left(row), right(row)) !== negate;
  }
  if (kind === "MatchesRegexExpression") {
    if (b.rowFree) {
      const re = compileRegex(right(NO_ROW));
      return (row) => re.test(left(row));
    }
    return (row) => compileRegex(right(row)).test(left(row));
  }
  const negate = kind.startsWith("Not");
  const caseSensitive = kind.endsWith("CsExpression");
  const base = kind.replace(/^Not/, "").replace(/(Cs)?Expression$/, "");
  const test = TESTS[base]!;
  if (b.rowFree) {
    const needle = caseSensitive ? right(NO_ROW) : right(NO_ROW).toLowerCase();
    return (row) => test(left(row), needle, caseSensitive) !== negate;
  }
  return (row) => {
    const n = right(row);
    return test(left(row), caseSensitive ? n : n.toLowerCase(), caseSensitive) !== negate;
  };
}
