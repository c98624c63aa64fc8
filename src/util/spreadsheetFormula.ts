/**
 * CSV cells a spreadsheet would run as a formula. An analyst who opens an exported watchlist in
 * Excel, LibreOffice or Google Sheets gets `=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...` or
 * `-2+3` evaluated (CSV or formula injection); a tab or carriage return before them does the
 * same in some programs. Plain numbers such as `-5` are only numbers and are left alone.
 */
const FORMULA_START = /^[\t\r]*[=+\-@]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function startsLikeFormula(value: string): boolean {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value.trim());
}
