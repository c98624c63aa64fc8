/**
 * parse_command_line(command_line, "windows"): the arguments as Windows' CommandLineToArgvW
 * splits them (the only parser the docs name). The rules are Microsoft's documented ones for
 * that function, so they are written out here; the npm splitters follow POSIX shells instead:
 * - the first argument (the program) ends at the first space or tab, or, when it starts with a
 *   double quote, at the next double quote, with no escapes;
 * - after it, spaces and tabs separate arguments outside double quotes; a double quote starts
 *   or ends a quoted part; inside one, two double quotes give a literal one and end it;
 * - 2n backslashes before a double quote give n backslashes (the quote then delimits), 2n+1
 *   give n and a literal double quote; other backslashes are literal.
 */
import { fn2, type FunctionTable } from "./types";
import type { Dyn } from "../values/types";

const isSpace = (c: string | undefined) => c === " " || c === "\t";

export function windowsArgv(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  // the program name
  if (line.length === 0) return args;
  let program = "";
  if (line[0] === '"') {
    const end = line.indexOf('"', 1);
    program = end < 0 ? line.slice(1) : line.slice(1, end);
    i = end < 0 ? line.length : end + 1;
  } else {
    while (i < line.length && !isSpace(line[i])) program += line[i++];
  }
  args.push(program);
  while (i < line.length && !isSpace(line[i])) i++; // text glued to a quoted program name is dropped
  for (;;) {
    while (isSpace(line[i])) i++;
    if (i >= line.length) return args;
    let arg = "";
    let quoted = false;
    while (i < line.length && (quoted || !isSpace(line[i]))) {
      const c = line[i]!;
      if (c === "\\") {
        let n = 0;
        while (line[i] === "\\") {
          n++;
          i++;
        }
        if (line[i] === '"') {
          arg += "\\".repeat(Math.floor(n / 2));
          if (n % 2 === 1) {
            arg += '"';
            i++;
          }
        } else arg += "\\".repeat(n);
      } else if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i += 2;
          quoted = false;
        } else {
          quoted = !quoted;
          i++;
        }
      } else {
        arg += c;
        i++;
      }
    }
    args.push(arg);
  }
}

export const COMMAND_LINE_FUNCTIONS: FunctionTable = {
  parse_command_line: fn2("string", "string", (line, parser) =>
    (parser as string).trim().toLowerCase() === "windows" ? (windowsArgv(line as string) as Dyn[]) : null,
  ),
};
