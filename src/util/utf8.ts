/**
 * Strict UTF-8 decoding. Node's `readFileSync(path, "utf8")` turns invalid bytes into U+FFFD
 * without a word, so a rule saved as Latin-1 (`é` as the single byte 0xE9) would deploy with
 * replacement characters in its query or name. Content must be UTF-8; anything else is an
 * error that says where the first bad byte is.
 */
import { readFileSync } from "node:fs";

export type Utf8Decoding =
  | { ok: true; text: string }
  | {
      ok: false;
      /** 1-based line and column (in characters) of the first byte that is not UTF-8. */
      line: number;
      column: number;
      /** The offending byte, e.g. `0xE9`. */
      byte: string;
    };

export function decodeUtf8(bytes: Uint8Array): Utf8Decoding {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return locateInvalid(bytes);
  }
}

/** Reads a file that must be UTF-8. */
export function readUtf8File(path: string): Utf8Decoding {
  return decodeUtf8(readFileSync(path));
}

/** `line 3, column 7 (byte 0xE9)`, for messages. */
export function describeInvalidUtf8(failure: Extract<Utf8Decoding, { ok: false }>): string {
  return `line ${failure.line}, column ${failure.column} (byte ${failure.byte})`;
}

/**
 * Finds the first invalid byte. A newline byte (0x0A) is never part of a multi-byte sequence,
 * so lines are checked one by one, and the bad line is fed to a streaming decoder byte by
 * byte: it throws exactly at the byte that cannot continue a valid sequence.
 */
function locateInvalid(bytes: Uint8Array): Extract<Utf8Decoding, { ok: false }> {
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const slice = bytes.subarray(start, end);
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let decoded = "";
    // Where the sequence being decoded started: a bad sequence is reported at its first byte.
    let pending: number | undefined;
    for (let i = 0; i <= slice.length; i++) {
      try {
        const out = i < slice.length ? decoder.decode(slice.subarray(i, i + 1), { stream: true }) : decoder.decode();
        if (out === "") pending ??= i;
        else pending = undefined;
        decoded += out;
      } catch {
        const at = pending ?? Math.min(i, slice.length - 1);
        const byte = `0x${(slice[at] ?? 0).toString(16).toUpperCase().padStart(2, "0")}`;
        return { ok: false, line, column: [...decoded].length + 1, byte };
      }
    }
    start = end + 1;
    line++;
  }
  // Unreachable for input the fatal decoder refused; kept total for the type checker.
  return { ok: false, line: 1, column: 1, byte: "?" };
}
